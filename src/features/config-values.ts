/**
 * Typed reads of preprocessor_config.json values with Python's defaults. A present but invalid
 * value is a FeatureExtractorConfigError naming the key, the file and what would work; a
 * missing (or JSON null, where null means "unset") value falls back to the default.
 */
import { describeValue } from "../errors.js";
import { MAX_WINDOW_FEATURE_VALUES, MAX_WINDOW_FFT_POINTS, MAX_WINDOW_FRAMES, MAX_WINDOW_SAMPLES, PREPROCESSOR_BOUNDS } from "./config-bounds.js";
import { FeatureExtractorConfigError } from "./errors.js";

/** A preprocessor config as parsed from JSON (snake_case keys, as Hugging Face writes them). */
export type FeatureExtractorConfig = Readonly<Record<string, unknown>>;

export class ConfigReader {
  readonly config: FeatureExtractorConfig;
  /** Where the config came from, for messages ("…/preprocessor_config.json" or "config object"). */
  readonly source: string;

  constructor(config: unknown, source: string) {
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
      throw new FeatureExtractorConfigError(`${source}: a feature extractor config must be a JSON object, got ${describeValue(config)}`);
    }
    this.config = config as FeatureExtractorConfig;
    this.source = source;
  }

  private invalid(key: string, expected: string): FeatureExtractorConfigError {
    return new FeatureExtractorConfigError(`${this.source}: "${key}" must be ${expected}, got ${describeValue(this.config[key])}`);
  }

  has(key: string): boolean {
    return this.config[key] !== undefined && this.config[key] !== null;
  }

  number(key: string, fallback: number, check: { positive?: boolean; min?: number; max?: number } = {}): number {
    if (!this.has(key)) return fallback;
    const v = this.config[key];
    if (typeof v !== "number" || !Number.isFinite(v)) throw this.invalid(key, "a finite number");
    if (check.positive === true && !(v > 0)) throw this.invalid(key, "a positive number");
    if (check.min !== undefined && v < check.min) throw this.invalid(key, `a number ≥ ${check.min}`);
    if (check.max !== undefined && v > check.max) throw this.invalid(key, `a number ≤ ${check.max}`);
    return v;
  }

  integer(key: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
    if (!this.has(key)) return fallback;
    const v = this.config[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      throw this.invalid(key, max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`);
    }
    return v;
  }

  /** Checks that seconds × rate, the samples of one padded window, stays within MAX_WINDOW_SAMPLES. */
  windowSamples(secondsKey: string, seconds: number, samplingRate: number): number {
    const samples = Math.round(seconds * samplingRate);
    if (samples > MAX_WINDOW_SAMPLES) {
      throw new FeatureExtractorConfigError(
        `${this.source}: "${secondsKey}" ${seconds} s at ${samplingRate} Hz makes input windows of ${samples} samples, ` +
          `more than the ${MAX_WINDOW_SAMPLES} (an hour at 16 kHz) audioclass accepts`,
      );
    }
    return samples;
  }

  /** Checks that a window of `samples` at `hopKey` samples per frame stays within MAX_WINDOW_FRAMES. */
  windowFrames(hopKey: string, samples: number, hop: number): number {
    const frames = Math.floor(samples / hop) + 1;
    if (frames > MAX_WINDOW_FRAMES) {
      throw new FeatureExtractorConfigError(
        `${this.source}: "${hopKey}" ${hop} makes ${frames} frames per input window, more than the ${MAX_WINDOW_FRAMES} (an hour at a 10 ms hop) audioclass accepts`,
      );
    }
    return frames;
  }

  /** Checks that one window's STFT, `frames` × the FFT length, stays within MAX_WINDOW_FFT_POINTS. */
  windowFftPoints(frames: number, fftKey: string, fftLength: number): void {
    const points = frames * fftLength;
    if (points > MAX_WINDOW_FFT_POINTS) {
      throw new FeatureExtractorConfigError(
        `${this.source}: "${fftKey}" ${fftLength} over ${frames} frames per input window makes ${points} FFT points, more than the ${MAX_WINDOW_FFT_POINTS} ` +
          `audioclass computes for one window (released models need about 10^6: Whisper 3001 × 400); lower "${fftKey}", shorten the window or lengthen hop_length`,
      );
    }
  }

  /** Checks that one window's features, `frames` × mel bins, stay within MAX_WINDOW_FEATURE_VALUES. */
  windowFeatureValues(frames: number, featureKey: string, featureSize: number): void {
    const values = frames * featureSize;
    if (values > MAX_WINDOW_FEATURE_VALUES) {
      throw new FeatureExtractorConfigError(
        `${this.source}: "${featureKey}" ${featureSize} over ${frames} frames per input window makes ${values} feature values, more than the ${MAX_WINDOW_FEATURE_VALUES} ` +
          `audioclass computes for one window (released models need under 400 000: Whisper large-v3 3000 × 128); lower "${featureKey}", shorten the window or lengthen hop_length`,
      );
    }
  }

  /** An integer size within its documented bound (config-bounds.ts). */
  size(key: keyof typeof PREPROCESSOR_BOUNDS, fallback: number): number {
    const { min, max } = PREPROCESSOR_BOUNDS[key];
    return this.integer(key, fallback, min, max);
  }

  nullableNumber(key: string, fallback: number | null): number | null {
    if (this.config[key] === null) return null;
    return this.has(key) ? this.number(key, 0) : fallback;
  }

  boolean(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback;
    const v = this.config[key];
    if (typeof v !== "boolean") throw this.invalid(key, "true or false");
    return v;
  }

  choice<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    if (!this.has(key)) return fallback;
    const v = this.config[key];
    if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
      throw this.invalid(key, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
    }
    return v as T;
  }

  string(key: string, fallback: string): string {
    if (!this.has(key)) return fallback;
    const v = this.config[key];
    if (typeof v !== "string") throw this.invalid(key, "a string");
    return v;
  }

  stringList(key: string, fallback: readonly string[]): readonly string[] {
    if (!this.has(key)) return fallback;
    const v = this.config[key];
    if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === "string")) {
      throw this.invalid(key, "a non-empty list of strings");
    }
    return Object.freeze([...(v as string[])]);
  }
}
