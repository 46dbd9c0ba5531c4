/**
 * PitchShift (audiomentations, method "librosa_phase_vocoder" — librosa.effects.pitch_shift):
 * moves the pitch by n semitones, drawn uniformly from [minSemitones, maxSemitones], keeping the
 * duration. The audio is time-stretched by rate = 2^(−n/12) (phase vocoder), then resampled from
 * sr/rate to sr (band-limited, fractional ratio), then cut or zero-padded to the input's length:
 * every frequency f becomes f·2^(n/12).
 *
 * audiomentations' default method is now "signalsmith_stretch" (a native library); this is the
 * librosa method its documentation describes and the recipe's older releases used.
 */
import { AugmentationError } from "../errors.js";
import type { Rng } from "../random.js";
import { Augmentation, checkOptionKeys, checkRange, finiteOption } from "./transform.js";
import { timeStretch } from "./phase-vocoder.js";
import { resampleByStep } from "./fractional-resample.js";
import { checkFftSize } from "./time-stretch.js";

export interface PitchShiftOptions {
  /** Lowest shift in semitones (negative = down), ≥ −24. Default −4. */
  minSemitones?: number;
  /** Highest shift in semitones, ≤ 24. Default 4. */
  maxSemitones?: number;
  /** FFT size of the phase vocoder. Default 2048. */
  nFft?: number;
  /** Probability of applying. Default 0.5. */
  p?: number;
}

type Parameters = { semitones: number };

const NAME = "PitchShift";

/** librosa.effects.pitch_shift for a mono signal; the output has the input's length. */
export function pitchShift(samples: ArrayLike<number>, semitones: number, nFft = 2048): Float32Array {
  const rate = 2 ** (-semitones / 12);
  const stretched = timeStretch(samples, rate, nFft);
  // librosa.resample(orig_sr = sr/rate, target_sr = sr) yields ceil(len·rate) samples; we then
  // fix the length to the input's, which only needs the first n of them
  const shifted = resampleByStep(stretched, 1 / rate, Math.min(samples.length, Math.ceil(stretched.length * rate)));
  const out = new Float32Array(samples.length);
  for (let i = 0; i < shifted.length; i++) out[i] = shifted[i]!;
  return out;
}

export class PitchShift extends Augmentation<Parameters> {
  readonly name = NAME;
  readonly minSemitones: number;
  readonly maxSemitones: number;
  readonly nFft: number;

  constructor(options: PitchShiftOptions = {}) {
    checkOptionKeys(NAME, options, ["minSemitones", "maxSemitones", "nFft", "p"]);
    super(NAME, options.p);
    this.minSemitones = finiteOption(NAME, "minSemitones", options.minSemitones, -4);
    this.maxSemitones = finiteOption(NAME, "maxSemitones", options.maxSemitones, 4);
    if (this.minSemitones < -24) throw new AugmentationError(`${NAME}: minSemitones must be ≥ −24, got ${this.minSemitones}`);
    if (this.maxSemitones > 24) throw new AugmentationError(`${NAME}: maxSemitones must be ≤ 24, got ${this.maxSemitones}`);
    checkRange(NAME, "minSemitones", this.minSemitones, "maxSemitones", this.maxSemitones);
    this.nFft = checkFftSize(NAME, options.nFft);
  }

  toJSON(): Record<string, unknown> {
    return { name: NAME, minSemitones: this.minSemitones, maxSemitones: this.maxSemitones, nFft: this.nFft, p: this.p };
  }

  protected draw(_samples: Float32Array, _sampleRate: number, rng: Rng): Parameters {
    return { semitones: rng.uniform(this.minSemitones, this.maxSemitones) };
  }

  protected render(samples: Float32Array, _sampleRate: number, { semitones }: Parameters): Float32Array {
    return pitchShift(samples, semitones, this.nFft);
  }
}
