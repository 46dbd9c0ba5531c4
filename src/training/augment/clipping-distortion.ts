/**
 * ClippingDistortion (audiomentations): clips a random percentage of the samples. An integer
 * percentage q is drawn from [min, max]; the samples below numpy's percentile ⌊q/2⌋ and above
 * percentile 100 − ⌊q/2⌋ (of the signed sample values, not of |x|) are set to those thresholds.
 * So q = 30 clips the lowest 15 % and the highest 15 % — 30 % of the samples in all — and an odd
 * q clips q − 1 percent, as in audiomentations.
 */
import { describeValue } from "../../errors.js";
import { AugmentationError } from "../errors.js";
import type { Rng } from "../random.js";
import { Augmentation, checkOptionKeys, checkRange } from "./transform.js";
import { percentileOfSorted } from "./signal-math.js";

export interface ClippingDistortionOptions {
  /** Lowest percentage of samples to clip, a whole number in [0, 100]. Default 0. */
  minPercentileThreshold?: number;
  /** Highest percentage of samples to clip, a whole number in [0, 100]. Default 40. */
  maxPercentileThreshold?: number;
  /** Probability of applying. Default 0.5. */
  p?: number;
}

type Parameters = { percentileThreshold: number };

const NAME = "ClippingDistortion";

function percentOption(option: string, value: unknown, fallback: number): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 100) {
    throw new AugmentationError(`${NAME}: ${option} must be a whole number of percent in [0, 100], got ${describeValue(value)}`);
  }
  return v;
}

export class ClippingDistortion extends Augmentation<Parameters> {
  readonly name = NAME;
  readonly minPercentileThreshold: number;
  readonly maxPercentileThreshold: number;

  constructor(options: ClippingDistortionOptions = {}) {
    checkOptionKeys(NAME, options, ["minPercentileThreshold", "maxPercentileThreshold", "p"]);
    super(NAME, options.p);
    this.minPercentileThreshold = percentOption("minPercentileThreshold", options.minPercentileThreshold, 0);
    this.maxPercentileThreshold = percentOption("maxPercentileThreshold", options.maxPercentileThreshold, 40);
    checkRange(NAME, "minPercentileThreshold", this.minPercentileThreshold, "maxPercentileThreshold", this.maxPercentileThreshold);
  }

  toJSON(): Record<string, unknown> {
    return { name: NAME, minPercentileThreshold: this.minPercentileThreshold, maxPercentileThreshold: this.maxPercentileThreshold, p: this.p };
  }

  protected draw(_samples: Float32Array, _sampleRate: number, rng: Rng): Parameters {
    return { percentileThreshold: rng.integer(this.minPercentileThreshold, this.maxPercentileThreshold) };
  }

  protected render(samples: Float32Array, _sampleRate: number, { percentileThreshold }: Parameters): Float32Array {
    const lowerPercentile = Math.floor(percentileThreshold / 2);
    const sorted = Float64Array.from(samples).sort();
    const lower = Math.fround(percentileOfSorted(sorted, lowerPercentile));
    const upper = Math.fround(percentileOfSorted(sorted, 100 - lowerPercentile));
    const out = new Float32Array(samples.length);
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i]!;
      out[i] = x < lower ? lower : x > upper ? upper : x;
    }
    return out;
  }
}
