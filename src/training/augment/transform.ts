/**
 * The shape every augmentation has, with audiomentations' semantics: a transform is applied
 * with probability `p` (drawn first), then its parameters are drawn, then it renders. Each call
 * is a pure function of (samples, sampleRate, rng): the input is never modified, the output is a
 * new Float32Array, and all randomness comes from the Rng passed in — so the same seed gives
 * the same output, and a resumed training run continues the same augmentations.
 *
 * `run` also reports what was applied and with which parameters (the drawn SNR, gain, rate, …),
 * for logging and for tests of the statistical properties.
 */
import { describeValue } from "../../errors.js";
import { AugmentationError } from "../errors.js";
import type { Rng } from "../random.js";

/** Parameter values a transform reports (JSON-friendly). */
export type ParameterValue = number | string | boolean;

/** One transform that was applied, and the parameters it drew. */
export interface AppliedAugmentation {
  readonly name: string;
  readonly parameters: Readonly<Record<string, ParameterValue>>;
}

export interface AugmentationOutcome {
  /** The augmented audio (always a new array). */
  readonly samples: Float32Array;
  /** The transforms that ran, in order; empty when nothing was applied. */
  readonly applied: readonly AppliedAugmentation[];
}

/** Anything that augments mono audio: a single transform or a composition. */
export interface Transform {
  readonly name: string;
  /** Probability of applying. */
  readonly p: number;
  /** The augmented audio (a new array; `samples` is not modified). */
  apply(samples: Float32Array, sampleRate: number, rng: Rng): Float32Array;
  /** Like apply, and says what was applied with which parameters. */
  run(samples: Float32Array, sampleRate: number, rng: Rng): AugmentationOutcome;
  /** The settings, for logs and configs. */
  toJSON(): Record<string, unknown>;
}

/** Throws unless `samples` is a Float32Array and `sampleRate` a positive number. */
export function checkAudio(name: string, samples: unknown, sampleRate: unknown): asserts samples is Float32Array {
  if (!(samples instanceof Float32Array)) {
    throw new AugmentationError(`${name}: samples must be a mono Float32Array, got ${describeValue(samples)}; downmix and convert first (readAudio with { mono: true } does)`);
  }
  if (typeof sampleRate !== "number" || !Number.isFinite(sampleRate) || sampleRate <= 0) {
    throw new AugmentationError(`${name}: sampleRate must be a positive number of Hz (e.g. 16000), got ${describeValue(sampleRate)}`);
  }
}

/**
 * A transform with its own probability: `draw` picks the parameters (after the coin flip),
 * `render` produces the output from them. Subclasses must not modify the input in either.
 */
export abstract class Augmentation<P extends Record<string, ParameterValue>> implements Transform {
  abstract readonly name: string;
  readonly p: number;

  protected constructor(name: string, p: number | undefined) {
    this.p = p ?? 0.5;
    if (typeof this.p !== "number" || !(this.p >= 0 && this.p <= 1)) {
      throw new AugmentationError(`${name}: p must be a probability in [0, 1], got ${describeValue(p)}`);
    }
  }

  apply(samples: Float32Array, sampleRate: number, rng: Rng): Float32Array {
    return this.run(samples, sampleRate, rng).samples;
  }

  run(samples: Float32Array, sampleRate: number, rng: Rng): AugmentationOutcome {
    checkAudio(this.name, samples, sampleRate);
    const shouldApply = rng.random() < this.p;
    if (!shouldApply || samples.length === 0) return { samples: samples.slice(), applied: [] };
    const parameters = this.draw(samples, sampleRate, rng);
    const out = this.render(samples, sampleRate, parameters, rng);
    return { samples: out, applied: [{ name: this.name, parameters }] };
  }

  /**
   * Renders with given parameters (no coin flip, no parameter draw) — for previews and tests.
   * Transforms that add random noise still draw it from `rng`.
   */
  applyWith(samples: Float32Array, sampleRate: number, parameters: P, rng: Rng): Float32Array {
    checkAudio(this.name, samples, sampleRate);
    if (samples.length === 0) return samples.slice();
    return this.render(samples, sampleRate, parameters, rng);
  }

  abstract toJSON(): Record<string, unknown>;

  protected abstract draw(samples: Float32Array, sampleRate: number, rng: Rng): P;

  protected abstract render(samples: Float32Array, sampleRate: number, parameters: P, rng: Rng): Float32Array;
}

/** Rejects option keys a transform does not know (a misspelt `min_snr_db` would otherwise be ignored). */
export function checkOptionKeys(name: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new AugmentationError(`${name}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const hint = known.includes(camel) ? ` (did you mean ${camel}?)` : "";
      throw new AugmentationError(`${name}: unknown option ${JSON.stringify(key)}${hint}; valid options are ${known.join(", ")}`);
    }
  }
}

/** A finite number, or the default when undefined. */
export function finiteOption(name: string, option: string, value: unknown, fallback: number): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new AugmentationError(`${name}: ${option} must be a finite number, got ${describeValue(value)}`);
  }
  return v;
}

/** Checks min ≤ max for a parameter range. */
export function checkRange(name: string, minName: string, min: number, maxName: string, max: number): void {
  if (min > max) {
    throw new AugmentationError(`${name}: ${minName} (${min}) must not be greater than ${maxName} (${max}); swap them or widen the range`);
  }
}

/** One of the allowed strings, or the default when undefined. */
export function choiceOption<T extends string>(name: string, option: string, value: unknown, allowed: readonly T[], fallback: T): T {
  const v = value === undefined ? fallback : value;
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    throw new AugmentationError(`${name}: ${option} must be ${allowed.map((a) => JSON.stringify(a)).join(" or ")}, got ${describeValue(value)}`);
  }
  return v as T;
}

/** true/false, or the default when undefined. */
export function booleanOption(name: string, option: string, value: unknown, fallback: boolean): boolean {
  const v = value === undefined ? fallback : value;
  if (typeof v !== "boolean") throw new AugmentationError(`${name}: ${option} must be true or false, got ${describeValue(value)}`);
  return v;
}
