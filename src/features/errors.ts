import { ConfigError, InvalidArgumentError } from "../errors.js";

/**
 * Audio or call options a feature extractor cannot use: empty or non-finite audio, a 2-D array
 * where a mono waveform is needed, a wrong type, an unknown padding mode, …
 */
export class FeatureExtractorInputError extends InvalidArgumentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The audio's sampling rate differs from the one the model was trained at (Python raises too). */
export class SamplingRateMismatchError extends FeatureExtractorInputError {
  readonly expected: number;
  readonly actual: number;

  constructor(extractor: string, expected: number, actual: number) {
    super(
      `The model corresponding to this feature extractor: ${extractor} was trained using a sampling rate of ${expected}. ` +
        `Please make sure that the provided audio input was sampled with ${expected} and not ${actual} ` +
        `(resample it to ${expected} Hz first, e.g. with audioclass's resample()).`,
    );
    this.expected = expected;
    this.actual = actual;
  }
}

/** preprocessor_config.json (or a config object) is missing, unreadable or holds invalid values. */
export class FeatureExtractorConfigError extends ConfigError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `feature_extractor_type` names an extractor audioclass does not implement. */
export class UnsupportedFeatureExtractorError extends FeatureExtractorConfigError {
  readonly featureExtractorType: string;
  readonly supported: readonly string[];

  constructor(type: string, supported: readonly string[], source: string) {
    super(
      `${source}: feature_extractor_type ${JSON.stringify(type)} is not supported; ` +
        `audioclass implements ${supported.join(", ")}`,
    );
    this.featureExtractorType = type;
    this.supported = supported;
  }
}
