/**
 * PlaceInWindow: puts a short clip at a random position inside a fixed-length window — the
 * model's input window (1 s for the default model) — and fills the rest with silence, so a
 * model trained on clips that start at sample 0 also sees words that start late, sit in the
 * middle, end at the window's end, or are partly cut off at either edge, as the windows of a
 * long recording show them. The output always has exactly the window's length.
 *
 * The clip's start (in samples, relative to the window's start) is drawn uniformly from
 * [min(0, W − L) − ⌊c·L⌋, max(0, W − L) + ⌊c·L⌋], where W is the window length, L the clip length
 * and c = maxCutFraction: with c = 0 the clip stays whole inside the window (when it fits), with
 * c = 0.2 up to a fifth of it may fall outside on either side. A clip longer than the window is
 * cut to a random excerpt the same way. Add noise after this transform to pad with noise instead
 * of silence.
 */
import { AugmentationError } from "../errors.js";
import type { Rng } from "../random.js";
import { Augmentation, checkOptionKeys, finiteOption } from "./transform.js";

export interface PlaceInWindowOptions {
  /** The window's length in seconds. Default 1. */
  windowSeconds?: number;
  /** The largest fraction of the clip, in [0, 1), that may fall outside either edge. Default 0. */
  maxCutFraction?: number;
  /** Probability of applying. Default 0.5. */
  p?: number;
}

type Parameters = { offset: number };

const NAME = "PlaceInWindow";

export class PlaceInWindow extends Augmentation<Parameters> {
  readonly name = NAME;
  readonly windowSeconds: number;
  readonly maxCutFraction: number;

  constructor(options: PlaceInWindowOptions = {}) {
    checkOptionKeys(NAME, options, ["windowSeconds", "maxCutFraction", "p"]);
    super(NAME, options.p);
    this.windowSeconds = finiteOption(NAME, "windowSeconds", options.windowSeconds, 1);
    if (this.windowSeconds <= 0) throw new AugmentationError(`${NAME}: windowSeconds must be positive, got ${this.windowSeconds}`);
    this.maxCutFraction = finiteOption(NAME, "maxCutFraction", options.maxCutFraction, 0);
    if (this.maxCutFraction < 0 || this.maxCutFraction >= 1) {
      throw new AugmentationError(`${NAME}: maxCutFraction must lie in [0, 1) (a share of the clip that may fall outside the window), got ${this.maxCutFraction}`);
    }
  }

  toJSON(): Record<string, unknown> {
    const { windowSeconds, maxCutFraction, p } = this;
    return { name: NAME, windowSeconds, maxCutFraction, p };
  }

  /** The window's length in samples at `sampleRate`. */
  windowLength(sampleRate: number): number {
    return Math.max(1, Math.round(this.windowSeconds * sampleRate));
  }

  /** The smallest and largest start (in samples, relative to the window) a clip of `length` samples may get. */
  offsetRange(length: number, sampleRate: number): { min: number; max: number } {
    const window = this.windowLength(sampleRate);
    const cut = Math.floor(this.maxCutFraction * length);
    return { min: Math.min(0, window - length) - cut, max: Math.max(0, window - length) + cut };
  }

  protected draw(samples: Float32Array, sampleRate: number, rng: Rng): Parameters {
    const { min, max } = this.offsetRange(samples.length, sampleRate);
    return { offset: rng.integer(min, max) };
  }

  protected render(samples: Float32Array, sampleRate: number, { offset }: Parameters): Float32Array {
    if (!Number.isInteger(offset)) throw new AugmentationError(`${NAME}: offset must be a whole number of samples, got ${offset}`);
    const out = new Float32Array(this.windowLength(sampleRate));
    const from = Math.max(0, -offset); // first sample of the clip that lands in the window
    const to = Math.min(samples.length, out.length - offset); // one past the last
    if (to > from) out.set(samples.subarray(from, to), offset + from);
    return out;
  }
}
