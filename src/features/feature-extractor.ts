/**
 * The base of every feature extractor: a callable object (fe(audio, options) ≡
 * fe.extract(audio, options)) that checks its input and options the same way for all
 * extractors, then hands float32 waveforms to the subclass. Config values are exposed as
 * read-only properties for the pipeline (samplingRate, modelInputNames, …).
 */
import type { Tensor } from "../tensor.js";
import { normalizeAudioInput, type AudioInput } from "./audio-input.js";
import type { FeatureExtractorConfig } from "./config-values.js";
import { FeatureExtractorInputError, SamplingRateMismatchError } from "./errors.js";
import type { RandomSource } from "./numpy-random-state.js";
import type { PaddingOption, PaddingSide } from "./padding.js";

/** The tensor kinds extractors produce: float32 features, int32 attention masks, bool flags. */
export type FeatureTensor = Tensor<"float32"> | Tensor<"int32"> | Tensor<"bool">;

/** Output tensors by Hugging Face name (input_values, input_features, attention_mask, is_longer). */
export type FeatureExtractorOutput = Record<string, FeatureTensor>;

/** CLAP's padding modes for clips shorter than max_length_s. */
export type ClapPaddingMode = "repeatpad" | "repeat" | "pad";

/** CLAP's handling of clips longer than max_length_s. */
export type ClapTruncationMode = "rand_trunc" | "fusion";

/**
 * Call options (camelCase versions of the Python keyword arguments). Each extractor uses the
 * ones its Python counterpart uses and ignores the others, as Python does; unknown keys are
 * rejected so that a misspelt `sampling_rate` cannot silently skip the rate check.
 */
export interface FeatureExtractorCallOptions {
  /** Rate of the audio passed in; must equal the extractor's. Omitting it only warns (as Python). */
  samplingRate?: number;
  /** Wav2Vec2/Whisper: true/"longest", "max_length", false/"do_not_pad". CLAP: "repeatpad" | "repeat" | "pad". */
  padding?: PaddingOption | ClapPaddingMode;
  /** Wav2Vec2/Whisper/CLAP: a length in samples. */
  maxLength?: number;
  /** Wav2Vec2/Whisper: cut to maxLength. CLAP: "rand_trunc" | "fusion". */
  truncation?: boolean | ClapTruncationMode;
  padToMultipleOf?: number;
  /** Wav2Vec2/Whisper: overrides the config's return_attention_mask. */
  returnAttentionMask?: boolean;
  /** Whisper: zero-mean/unit-variance normalise the waveform before the STFT. */
  doNormalize?: boolean;
  /** CLAP random crops, Whisper dither: the random source (default: the extractor's NumpyRandomState). */
  rng?: RandomSource;
}

const CALL_OPTION_KEYS: readonly string[] = [
  "samplingRate",
  "padding",
  "maxLength",
  "truncation",
  "padToMultipleOf",
  "returnAttentionMask",
  "doNormalize",
  "rng",
];

function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function checkCallOptions(options: unknown): FeatureExtractorCallOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new FeatureExtractorInputError(`feature extractor options must be an object like { samplingRate: 16000 }, got ${typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!CALL_OPTION_KEYS.includes(key)) {
      const suggestion = CALL_OPTION_KEYS.includes(camelCase(key)) ? ` (did you mean ${camelCase(key)}?)` : "";
      throw new FeatureExtractorInputError(
        `unknown feature extractor option ${JSON.stringify(key)}${suggestion}; valid options are ${CALL_OPTION_KEYS.join(", ")}`,
      );
    }
  }
  return options as FeatureExtractorCallOptions;
}

function warn(message: string): void {
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: { code: string }) => void } }).process;
  if (proc?.emitWarning !== undefined) proc.emitWarning(message, { code: "AUDIOCLASS_SAMPLING_RATE" });
  else console.warn(message);
}

/** Defines enumerable, non-writable properties (the config values a caller may read but not change). */
export function defineReadonly(target: object, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: false, configurable: false });
  }
}

export interface BaseSettings {
  featureExtractorType: string;
  samplingRate: number;
  featureSize: number;
  paddingValue: number;
  paddingSide: PaddingSide;
  returnAttentionMask: boolean;
  modelInputNames: readonly string[];
  config: FeatureExtractorConfig;
}

export interface FeatureExtractor {
  /** Same as extract(audio, options). */
  (audio: AudioInput, options?: FeatureExtractorCallOptions): FeatureExtractorOutput;
}

export abstract class FeatureExtractor {
  /** The Python class name, e.g. "ASTFeatureExtractor". */
  declare readonly featureExtractorType: string;
  /** The rate (Hz) the model was trained at; audio must be resampled to it. */
  declare readonly samplingRate: number;
  declare readonly featureSize: number;
  declare readonly paddingValue: number;
  declare readonly paddingSide: PaddingSide;
  /** Whether an attention_mask is returned when a call does not say. */
  declare readonly returnAttentionMask: boolean;
  /** The tensor names the model takes, first the main input. */
  declare readonly modelInputNames: readonly string[];
  /** The config the extractor was built from, as given (frozen copy). */
  declare readonly config: FeatureExtractorConfig;
  declare private warnedMissingRate: boolean;

  protected constructor(settings: BaseSettings) {
    // The instance is a function so that fe(audio) works; its prototype makes it a FeatureExtractor.
    const callable = (audio: AudioInput, options?: FeatureExtractorCallOptions): FeatureExtractorOutput =>
      (callable as unknown as FeatureExtractor).extract(audio, options);
    Object.setPrototypeOf(callable, new.target.prototype);
    defineReadonly(callable, {
      featureExtractorType: settings.featureExtractorType,
      samplingRate: settings.samplingRate,
      featureSize: settings.featureSize,
      paddingValue: settings.paddingValue,
      paddingSide: settings.paddingSide,
      returnAttentionMask: settings.returnAttentionMask,
      modelInputNames: Object.freeze([...settings.modelInputNames]),
      config: Object.freeze({ ...settings.config }),
    });
    Object.defineProperty(callable, "warnedMissingRate", { value: false, writable: true, enumerable: false });
    return callable as unknown as FeatureExtractor;
  }

  /**
   * Features for one waveform or a batch. The result always has a batch dimension. Throws
   * FeatureExtractorInputError for bad audio or options, SamplingRateMismatchError when
   * options.samplingRate differs from the extractor's.
   */
  extract(audio: AudioInput, options?: FeatureExtractorCallOptions): FeatureExtractorOutput {
    const opts = checkCallOptions(options);
    this.checkSamplingRate(opts.samplingRate);
    const { waveforms } = normalizeAudioInput(audio);
    return this.compute(waveforms, opts);
  }

  /** The effective config (defaults filled in) in preprocessor_config.json form. */
  abstract toJSON(): Record<string, unknown>;

  /**
   * Options a pipeline adds when it runs clips of different lengths as one batch, so that the
   * batch equals Python's pipeline, which extracts each clip alone and pads the results to the
   * longest. Extractors that already bring every clip to one fixed length (AST, Whisper, CLAP)
   * need nothing; variable-length ones (Wav2Vec2) pad to the longest clip and mask the padding.
   */
  batchOptions(): FeatureExtractorCallOptions {
    return {};
  }

  /**
   * Whether a clip's features depend on that clip alone — a fixed-length extractor without
   * randomness — so features computed one clip at a time (cached, or in worker threads) and
   * stacked equal those of one call on the batch. False when the batch is padded to its longest
   * clip (Wav2Vec2) or clips draw random crops or dither from a shared generator (CLAP, Whisper
   * with dither).
   */
  get perExample(): boolean {
    return false;
  }

  /**
   * Seconds of audio the model sees of one clip: the rest of a longer clip is cut off (AST's
   * max_length frames, Whisper's chunk_length, CLAP's max_length_s). Undefined for extractors
   * that take clips of any length (Wav2Vec2). Long audio is classified in windows of this size
   * by default.
   */
  get inputSeconds(): number | undefined {
    return undefined;
  }

  protected abstract compute(waveforms: Float32Array[], options: FeatureExtractorCallOptions): FeatureExtractorOutput;

  private checkSamplingRate(rate: number | undefined): void {
    if (rate === undefined) {
      if (!this.warnedMissingRate) {
        this.warnedMissingRate = true;
        warn(
          `It is strongly recommended to pass the \`samplingRate\` option to ${this.featureExtractorType}; ` +
            `audioclass assumes the audio is at ${this.samplingRate} Hz. Failing to do so can result in silent errors that might be hard to debug.`,
        );
      }
      return;
    }
    if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0) {
      throw new FeatureExtractorInputError(`samplingRate must be a positive number of Hz, got ${JSON.stringify(rate)}`);
    }
    if (rate !== this.samplingRate) throw new SamplingRateMismatchError(this.featureExtractorType, this.samplingRate, rate);
  }
}
