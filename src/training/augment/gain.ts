/**
 * Gain (audiomentations): multiplies the audio by one amplitude factor, drawn uniformly in dB.
 * The output may leave [−1, 1]; follow with Normalize if that matters downstream.
 */
import type { Rng } from "../random.js";
import { Augmentation, checkOptionKeys, checkRange, finiteOption } from "./transform.js";
import { dbToAmplitude } from "./signal-math.js";

export interface GainOptions {
  /** Lowest gain in dB. Default −12. */
  minGainDb?: number;
  /** Highest gain in dB. Default 12. */
  maxGainDb?: number;
  /** Probability of applying. Default 0.5. */
  p?: number;
}

type Parameters = { gainDb: number };

const NAME = "Gain";

export class Gain extends Augmentation<Parameters> {
  readonly name = NAME;
  readonly minGainDb: number;
  readonly maxGainDb: number;

  constructor(options: GainOptions = {}) {
    checkOptionKeys(NAME, options, ["minGainDb", "maxGainDb", "p"]);
    super(NAME, options.p);
    this.minGainDb = finiteOption(NAME, "minGainDb", options.minGainDb, -12);
    this.maxGainDb = finiteOption(NAME, "maxGainDb", options.maxGainDb, 12);
    checkRange(NAME, "minGainDb", this.minGainDb, "maxGainDb", this.maxGainDb);
  }

  toJSON(): Record<string, unknown> {
    return { name: NAME, minGainDb: this.minGainDb, maxGainDb: this.maxGainDb, p: this.p };
  }

  protected draw(_samples: Float32Array, _sampleRate: number, rng: Rng): Parameters {
    return { gainDb: rng.uniform(this.minGainDb, this.maxGainDb) };
  }

  protected render(samples: Float32Array, _sampleRate: number, { gainDb }: Parameters): Float32Array {
    const ratio = dbToAmplitude(gainDb);
    const out = new Float32Array(samples.length);
    for (let i = 0; i < samples.length; i++) out[i] = samples[i]! * ratio;
    return out;
  }
}
