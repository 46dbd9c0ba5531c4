// The wav2vec2 family (wav2vec2, HuBERT, WavLM, Data2VecAudio) for sequence classification.
export { wav2vec2Architecture, hubertArchitecture, wavlmArchitecture, data2vecAudioArchitecture } from "./architectures.js";
export { readFamilyConfig, type Wav2Vec2FamilyConfig, type Wav2Vec2Variant, type PositionalConvKind } from "./family-config.js";
export { relativePositionBucket, relativePositionBucketTable } from "./relative-position-buckets.js";
export { wav2vec2FamilyParameters, WAV2VEC2_FAMILY_PREFIX } from "./wav2vec2-parameters.js";
export { readWav2Vec2TrainingSettings, type Wav2Vec2TrainingSettings } from "./training-settings.js";
export { computeMaskIndices, specAugmentFeeds, applySpecAugment, MASK_TIME_INPUT, MASK_FEATURE_INPUT, type MaskOptions } from "./spec-augment.js";
export { transformersFrames, graphValidFrames } from "./training-inputs.js";
