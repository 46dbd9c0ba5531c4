/**
 * SpeedPerturb: plays the audio faster or slower by a factor drawn uniformly from
 * [minFactor, maxFactor], changing tempo and pitch together — Kaldi's speed perturbation (sox
 * `speed`, torchaudio's SpeedPerturbation), the standard augmentation for speaker-independent
 * speech models: every frequency f becomes f·factor and the clip lasts duration/factor.
 * Band-limited fractional resampling; the output length is ceil(length / factor).
 */
import { AugmentationError } from "../errors.js";
import type { Rng } from "../random.js";
import { Augmentation, checkOptionKeys, checkRange, finiteOption } from "./transform.js";
import { resampleByStep } from "./fractional-resample.js";

export interface SpeedPerturbOptions {
  /** Slowest factor (< 1 is slower and lower). Default 0.9. */
  minFactor?: number;
  /** Fastest factor (> 1 is faster and higher). Default 1.1. */
  maxFactor?: number;
  /** Probability of applying. Default 0.5. */
  p?: number;
}

type Parameters = { factor: number };

const NAME = "SpeedPerturb";

/** The audio played `factor` times faster (band-limited resampling by a fractional step). */
export function speedPerturb(samples: ArrayLike<number>, factor: number): Float32Array {
  return Float32Array.from(resampleByStep(samples, factor, Math.ceil(samples.length / factor)));
}

export class SpeedPerturb extends Augmentation<Parameters> {
  readonly name = NAME;
  readonly minFactor: number;
  readonly maxFactor: number;

  constructor(options: SpeedPerturbOptions = {}) {
    checkOptionKeys(NAME, options, ["minFactor", "maxFactor", "p"]);
    super(NAME, options.p);
    this.minFactor = finiteOption(NAME, "minFactor", options.minFactor, 0.9);
    this.maxFactor = finiteOption(NAME, "maxFactor", options.maxFactor, 1.1);
    if (this.minFactor < 0.25 || this.maxFactor > 4) {
      throw new AugmentationError(`${NAME}: factors must lie in [0.25, 4], got ${this.minFactor}..${this.maxFactor}`);
    }
    checkRange(NAME, "minFactor", this.minFactor, "maxFactor", this.maxFactor);
  }

  toJSON(): Record<string, unknown> {
    return { name: NAME, minFactor: this.minFactor, maxFactor: this.maxFactor, p: this.p };
  }

  protected draw(_samples: Float32Array, _sampleRate: number, rng: Rng): Parameters {
    return { factor: rng.uniform(this.minFactor, this.maxFactor) };
  }

  protected render(samples: Float32Array, _sampleRate: number, { factor }: Parameters): Float32Array {
    return speedPerturb(samples, factor);
  }
}
