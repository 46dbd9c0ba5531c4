/**
 * Shift (audiomentations): moves the audio forwards or backwards in time. With rollover
 * (default) samples pushed past one end come back at the other (np.roll); without, the vacated
 * part is silence. A short fade (fadeDuration seconds, default 5 ms; 0 disables it) smooths the
 * seams — the old start and end of the audio — so the shift adds no click.
 */
import { AugmentationError } from "../errors.js";
import type { Rng } from "../random.js";
import { Augmentation, booleanOption, checkOptionKeys, checkRange, choiceOption, finiteOption } from "./transform.js";
import { crossfadeMasks, roundHalfEven } from "./signal-math.js";

export type ShiftUnit = "fraction" | "samples" | "seconds";

export interface ShiftOptions {
  /** Smallest shift (negative = earlier), in shiftUnit. Default −0.5. */
  minShift?: number;
  /** Largest shift, in shiftUnit. Default 0.5. */
  maxShift?: number;
  /** "fraction" of the length (default; shifts within [−1, 1]), "samples" or "seconds". */
  shiftUnit?: ShiftUnit;
  /** Wrap around (default true) or fill with zeros. */
  rollover?: boolean;
  /** Fade at the seams in seconds: 0 (off) or ≥ 0.00025. Default 0.005. */
  fadeDuration?: number;
  /** Probability of applying. Default 0.5. */
  p?: number;
}

type Parameters = { shift: number };

const NAME = "Shift";
const MIN_FADE = 0.00025;

export class Shift extends Augmentation<Parameters> {
  readonly name = NAME;
  readonly minShift: number;
  readonly maxShift: number;
  readonly shiftUnit: ShiftUnit;
  readonly rollover: boolean;
  readonly fadeDuration: number;

  constructor(options: ShiftOptions = {}) {
    checkOptionKeys(NAME, options, ["minShift", "maxShift", "shiftUnit", "rollover", "fadeDuration", "p"]);
    super(NAME, options.p);
    this.minShift = finiteOption(NAME, "minShift", options.minShift, -0.5);
    this.maxShift = finiteOption(NAME, "maxShift", options.maxShift, 0.5);
    checkRange(NAME, "minShift", this.minShift, "maxShift", this.maxShift);
    this.shiftUnit = choiceOption(NAME, "shiftUnit", options.shiftUnit, ["fraction", "samples", "seconds"], "fraction");
    if (this.shiftUnit === "fraction" && (this.minShift < -1 || this.maxShift > 1)) {
      throw new AugmentationError(`${NAME}: with shiftUnit "fraction" the shifts must lie in [−1, 1], got [${this.minShift}, ${this.maxShift}]`);
    }
    if (this.shiftUnit === "samples" && (!Number.isInteger(this.minShift) || !Number.isInteger(this.maxShift))) {
      throw new AugmentationError(`${NAME}: with shiftUnit "samples" the shifts must be whole numbers, got ${this.minShift} and ${this.maxShift}`);
    }
    this.rollover = booleanOption(NAME, "rollover", options.rollover, true);
    this.fadeDuration = finiteOption(NAME, "fadeDuration", options.fadeDuration, 0.005);
    if (this.fadeDuration < 0 || (this.fadeDuration > 0 && this.fadeDuration < MIN_FADE)) {
      throw new AugmentationError(`${NAME}: fadeDuration must be 0 (no fade) or at least ${MIN_FADE} s, got ${this.fadeDuration}`);
    }
  }

  toJSON(): Record<string, unknown> {
    const { minShift, maxShift, shiftUnit, rollover, fadeDuration, p } = this;
    return { name: NAME, minShift, maxShift, shiftUnit, rollover, fadeDuration, p };
  }

  protected draw(_samples: Float32Array, _sampleRate: number, rng: Rng): Parameters {
    const shift = this.shiftUnit === "samples" ? rng.integer(this.minShift, this.maxShift) : rng.uniform(this.minShift, this.maxShift);
    return { shift };
  }

  /** The shift in whole samples (positive = later), as audiomentations rounds it. */
  shiftInSamples(shift: number, length: number, sampleRate: number): number {
    if (this.shiftUnit === "samples") return shift;
    return roundHalfEven(shift * (this.shiftUnit === "fraction" ? length : sampleRate));
  }

  protected render(samples: Float32Array, sampleRate: number, { shift }: Parameters): Float32Array {
    const n = samples.length;
    const places = this.shiftInSamples(shift, n, sampleRate);
    const out = new Float32Array(n);
    const offset = ((places % n) + n) % n;
    // np.roll
    out.set(samples.subarray(n - offset), 0);
    out.set(samples.subarray(0, n - offset), offset);
    if (!this.rollover) {
      if (places > 0) out.fill(0, 0, Math.min(places, n));
      else if (places < 0) out.fill(0, Math.max(n + places, 0));
    }
    if (this.fadeDuration > 0) this.fadeSeams(out, places, sampleRate);
    return out;
  }

  private fadeSeams(out: Float32Array, places: number, sampleRate: number): void {
    const n = out.length;
    const fadeLength = Math.floor(sampleRate * this.fadeDuration);
    if (fadeLength === 0 || places === 0) return;
    const { fadeIn, fadeOut } = crossfadeMasks(fadeLength);
    // the seam: where the old first sample now sits (the old last sample sits just before it)
    const seam = places > 0 ? places : n + places;
    if (seam < 0 || seam > n) return;
    if (places > 0 || this.rollover) {
      const end = Math.min(seam + fadeLength, n);
      for (let i = seam; i < end; i++) out[i] = out[i]! * fadeIn[i - seam]!;
    }
    if (places < 0 || this.rollover) {
      const start = Math.max(seam - fadeLength, 0);
      for (let i = start; i < seam; i++) out[i] = out[i]! * fadeOut[fadeLength - (seam - i)]!;
    }
  }
}
