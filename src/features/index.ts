// Public surface of the features layer: the extractors, AutoFeatureExtractor, options, errors.
export {
  featureExtractorFromConfig,
  SUPPORTED_FEATURE_EXTRACTORS,
  type FromConfigOptions,
  type ExtractorTypeForModel,
} from "./auto-feature-extractor.js";
export {
  FeatureExtractor,
  type FeatureExtractorCallOptions,
  type FeatureExtractorOutput,
  type FeatureTensor,
  type ClapPaddingMode,
  type ClapTruncationMode,
} from "./feature-extractor.js";
export { ASTFeatureExtractor } from "./ast-feature-extractor.js";
export { Wav2Vec2FeatureExtractor } from "./wav2vec2-feature-extractor.js";
export { WhisperFeatureExtractor } from "./whisper-feature-extractor.js";
export { ClapFeatureExtractor } from "./clap-feature-extractor.js";
export { SeamlessM4TFeatureExtractor } from "./seamless-m4t-feature-extractor.js";
export { NumpyRandomState, type RandomSource } from "./numpy-random-state.js";
export { normalizeAudioInput, type AudioArray, type AudioInput, type NormalizedAudio } from "./audio-input.js";
export { padWaveforms, type PaddingOption, type PaddingSide, type PadOptions, type PaddedBatch } from "./padding.js";
export type { FeatureExtractorConfig } from "./config-values.js";
export {
  FeatureExtractorInputError,
  SamplingRateMismatchError,
  FeatureExtractorConfigError,
  UnsupportedFeatureExtractorError,
} from "./errors.js";
export { stackFeatures } from "./stack-features.js";
export { loadFeatureExtractor, type LoadFeatureExtractorOptions } from "./load-feature-extractor.js";
