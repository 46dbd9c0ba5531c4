// The wav2vec2 family (wav2vec2, HuBERT, WavLM, Data2VecAudio) for sequence classification.
export { wav2vec2Architecture, hubertArchitecture, wavlmArchitecture, data2vecAudioArchitecture } from "./architectures.js";
export { readFamilyConfig, type Wav2Vec2FamilyConfig, type Wav2Vec2Variant } from "./family-config.js";
export { relativePositionBucket, relativePositionBucketTable } from "./relative-position-buckets.js";
export { wav2vec2FamilyParameters, wav2vec2FamilyHeadParameters, WAV2VEC2_FAMILY_PREFIX } from "./wav2vec2-parameters.js";
// The shared speech-encoder pieces, re-exported under the names the wav2vec2 tests know.
export {
  computeMaskIndices,
  specAugmentFeeds,
  applySpecAugment,
  MASK_TIME_INPUT,
  MASK_FEATURE_INPUT,
  type MaskOptions,
  transformersFrames,
  graphValidFrames,
  type PositionalConvKind,
} from "../speech-encoder/index.js";
