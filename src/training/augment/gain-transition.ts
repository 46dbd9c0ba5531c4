/**
 * GainTransition (audiomentations): a fade between two gains. Two gains are drawn uniformly in
 * dB, and a transition of random length starting at a random sample t0 (which may lie before
 * the start or run past the end of the audio): the first gain holds until t0, the gain then
 * moves linearly in dB to the second gain, which holds to the end.
 */
import { describeValue } from "../../errors.js";
import { AugmentationError } from "../errors.js";
import type { Rng } from "../random.js";
import { Augmentation, checkOptionKeys, checkRange, choiceOption, finiteOption } from "./transform.js";
import { dbToAmplitude, roundHalfEven } from "./signal-math.js";

export type DurationUnit = "seconds" | "fraction" | "samples";

export interface GainTransitionOptions {
  /** Lowest gain in dB. Default −24. */
  minGainDb?: number;
  /** Highest gain in dB. Default 6. */
  maxGainDb?: number;
  /** Shortest transition, in durationUnit; must be > 0. Default 0.2. */
  minDuration?: number;
  /** Longest transition, in durationUnit. Default 6. */
  maxDuration?: number;
  /** "seconds" (default), "fraction" of the audio's length, or "samples". */
  durationUnit?: DurationUnit;
  /** Probability of applying. Default 0.5. */
  p?: number;
}

type Parameters = { startGainDb: number; endGainDb: number; fadeSamples: number; startSample: number };

const NAME = "GainTransition";

export class GainTransition extends Augmentation<Parameters> {
  readonly name = NAME;
  readonly minGainDb: number;
  readonly maxGainDb: number;
  readonly minDuration: number;
  readonly maxDuration: number;
  readonly durationUnit: DurationUnit;

  constructor(options: GainTransitionOptions = {}) {
    checkOptionKeys(NAME, options, ["minGainDb", "maxGainDb", "minDuration", "maxDuration", "durationUnit", "p"]);
    super(NAME, options.p);
    this.minGainDb = finiteOption(NAME, "minGainDb", options.minGainDb, -24);
    this.maxGainDb = finiteOption(NAME, "maxGainDb", options.maxGainDb, 6);
    checkRange(NAME, "minGainDb", this.minGainDb, "maxGainDb", this.maxGainDb);
    this.minDuration = finiteOption(NAME, "minDuration", options.minDuration, 0.2);
    this.maxDuration = finiteOption(NAME, "maxDuration", options.maxDuration, 6);
    this.durationUnit = choiceOption(NAME, "durationUnit", options.durationUnit, ["seconds", "fraction", "samples"], "seconds");
    if (this.minDuration <= 0) throw new AugmentationError(`${NAME}: minDuration must be greater than zero, got ${describeValue(this.minDuration)}`);
    checkRange(NAME, "minDuration", this.minDuration, "maxDuration", this.maxDuration);
    if (this.durationUnit === "samples" && (!Number.isInteger(this.minDuration) || !Number.isInteger(this.maxDuration))) {
      throw new AugmentationError(`${NAME}: with durationUnit "samples", minDuration and maxDuration must be whole numbers, got ${this.minDuration} and ${this.maxDuration}`);
    }
  }

  toJSON(): Record<string, unknown> {
    const { minGainDb, maxGainDb, minDuration, maxDuration, durationUnit, p } = this;
    return { name: NAME, minGainDb, maxGainDb, minDuration, maxDuration, durationUnit, p };
  }

  protected draw(samples: Float32Array, sampleRate: number, rng: Rng): Parameters {
    const n = samples.length;
    const scale = this.durationUnit === "samples" ? 1 : this.durationUnit === "fraction" ? n : sampleRate;
    const minSamples = roundHalfEven(this.minDuration * scale);
    const maxSamples = roundHalfEven(this.maxDuration * scale);
    const fadeSamples = Math.max(3, rng.integer(minSamples, maxSamples));
    const startSample = rng.integer(-fadeSamples + 2, n - 2);
    const startGainDb = rng.uniform(this.minGainDb, this.maxGainDb);
    const endGainDb = rng.uniform(this.minGainDb, this.maxGainDb);
    return { startGainDb, endGainDb, fadeSamples, startSample };
  }

  protected render(samples: Float32Array, _sampleRate: number, parameters: Parameters): Float32Array {
    const { startGainDb, endGainDb, fadeSamples, startSample } = parameters;
    const n = samples.length;
    const out = new Float32Array(n);
    const f = Math.fround;
    const startRatio = dbToAmplitude(startGainDb);
    const endRatio = dbToAmplitude(endGainDb);
    const step = fadeSamples > 1 ? (endGainDb - startGainDb) / (fadeSamples - 1) : 0;
    for (let i = 0; i < n; i++) {
      const k = i - startSample;
      let ratio: number;
      if (k < 0) ratio = startRatio;
      else if (k >= fadeSamples) ratio = endRatio;
      else {
        // np.linspace in float32, then 10^(dB/20) in float32, as audiomentations' fade mask
        const db = f(k === fadeSamples - 1 ? endGainDb : startGainDb + k * step);
        ratio = f(10 ** f(db / 20));
      }
      out[i] = samples[i]! * ratio;
    }
    return out;
  }
}
