/**
 * AddGaussianSNR (audiomentations): adds white Gaussian noise at a signal-to-noise ratio drawn
 * uniformly in decibels. The noise's standard deviation is RMS(signal) / 10^(SNR/20), so the
 * achieved SNR equals the drawn one up to the noise's own sampling spread (≈ 8.7/√(2n) dB for
 * n samples, e.g. 0.03 dB at one second of 16 kHz audio). Silence stays silent.
 */
import type { Rng } from "../random.js";
import { Augmentation, checkOptionKeys, checkRange, finiteOption } from "./transform.js";
import { noiseRmsForSnr, rms } from "./signal-math.js";

export interface AddGaussianSNROptions {
  /** Lowest SNR in dB (more noise). Default 5. */
  minSnrDb?: number;
  /** Highest SNR in dB (less noise). Default 40. */
  maxSnrDb?: number;
  /** Probability of applying. Default 0.5. */
  p?: number;
}

type Parameters = { snrDb: number; noiseStd: number };

const NAME = "AddGaussianSNR";

export class AddGaussianSNR extends Augmentation<Parameters> {
  readonly name = NAME;
  readonly minSnrDb: number;
  readonly maxSnrDb: number;

  constructor(options: AddGaussianSNROptions = {}) {
    checkOptionKeys(NAME, options, ["minSnrDb", "maxSnrDb", "p"]);
    super(NAME, options.p);
    this.minSnrDb = finiteOption(NAME, "minSnrDb", options.minSnrDb, 5);
    this.maxSnrDb = finiteOption(NAME, "maxSnrDb", options.maxSnrDb, 40);
    checkRange(NAME, "minSnrDb", this.minSnrDb, "maxSnrDb", this.maxSnrDb);
  }

  toJSON(): Record<string, unknown> {
    return { name: NAME, minSnrDb: this.minSnrDb, maxSnrDb: this.maxSnrDb, p: this.p };
  }

  protected draw(samples: Float32Array, _sampleRate: number, rng: Rng): Parameters {
    const snrDb = rng.uniform(this.minSnrDb, this.maxSnrDb);
    return { snrDb, noiseStd: noiseRmsForSnr(rms(samples), snrDb) };
  }

  protected render(samples: Float32Array, _sampleRate: number, { noiseStd }: Parameters, rng: Rng): Float32Array {
    const out = new Float32Array(samples.length);
    for (let i = 0; i < samples.length; i++) out[i] = samples[i]! + noiseStd * rng.standardNormal();
    return out;
  }
}
