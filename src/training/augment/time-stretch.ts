/**
 * TimeStretch (audiomentations, method "librosa_phase_vocoder"): changes the tempo without
 * changing the pitch. A rate is drawn uniformly from [minRate, maxRate]; rate > 1 speeds up,
 * rate < 1 slows down (see phase-vocoder.ts for the algorithm and why). With
 * leaveLengthUnchanged (the default) the result is cut or zero-padded at the end back to the
 * input's length; otherwise it has round(n / rate) samples.
 */
import { AugmentationError } from "../errors.js";
import type { Rng } from "../random.js";
import { Augmentation, booleanOption, checkOptionKeys, checkRange, finiteOption } from "./transform.js";
import { timeStretch } from "./phase-vocoder.js";

export interface TimeStretchOptions {
  /** Lowest rate, > 0.1. Default 0.8. */
  minRate?: number;
  /** Highest rate, < 10. Default 1.25. */
  maxRate?: number;
  /** Keep the input's length (crop or zero-pad the end). Default true. */
  leaveLengthUnchanged?: boolean;
  /** FFT size of the phase vocoder (hop = nFft/4). Default 2048, as librosa. */
  nFft?: number;
  /** Probability of applying. Default 0.5. */
  p?: number;
}

type Parameters = { rate: number };

const NAME = "TimeStretch";

export class TimeStretch extends Augmentation<Parameters> {
  readonly name = NAME;
  readonly minRate: number;
  readonly maxRate: number;
  readonly leaveLengthUnchanged: boolean;
  readonly nFft: number;

  constructor(options: TimeStretchOptions = {}) {
    checkOptionKeys(NAME, options, ["minRate", "maxRate", "leaveLengthUnchanged", "nFft", "p"]);
    super(NAME, options.p);
    this.minRate = finiteOption(NAME, "minRate", options.minRate, 0.8);
    this.maxRate = finiteOption(NAME, "maxRate", options.maxRate, 1.25);
    if (!(this.minRate > 0.1)) throw new AugmentationError(`${NAME}: minRate must be greater than 0.1, got ${this.minRate}`);
    if (!(this.maxRate < 10)) throw new AugmentationError(`${NAME}: maxRate must be less than 10, got ${this.maxRate}`);
    checkRange(NAME, "minRate", this.minRate, "maxRate", this.maxRate);
    this.leaveLengthUnchanged = booleanOption(NAME, "leaveLengthUnchanged", options.leaveLengthUnchanged, true);
    this.nFft = checkFftSize(NAME, options.nFft);
  }

  toJSON(): Record<string, unknown> {
    const { minRate, maxRate, leaveLengthUnchanged, nFft, p } = this;
    return { name: NAME, minRate, maxRate, leaveLengthUnchanged, nFft, p };
  }

  protected draw(_samples: Float32Array, _sampleRate: number, rng: Rng): Parameters {
    return { rate: rng.uniform(this.minRate, this.maxRate) };
  }

  protected render(samples: Float32Array, _sampleRate: number, { rate }: Parameters): Float32Array {
    const stretched = timeStretch(samples, rate, this.nFft);
    if (!this.leaveLengthUnchanged) return Float32Array.from(stretched);
    const out = new Float32Array(samples.length);
    out.set(stretched.subarray(0, samples.length));
    return out;
  }
}

/** An even FFT size of at least 16 (default 2048). */
export function checkFftSize(name: string, value: unknown): number {
  const v = value ?? 2048;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 16 || v % 4 !== 0) {
    throw new AugmentationError(`${name}: nFft must be a whole number ≥ 16 divisible by 4 (e.g. 2048), got ${String(value)}`);
  }
  return v;
}
