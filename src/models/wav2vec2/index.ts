// The wav2vec2 family (wav2vec2, HuBERT, WavLM, Data2VecAudio) for sequence classification.
export { wav2vec2Architecture, hubertArchitecture, wavlmArchitecture, data2vecAudioArchitecture } from "./architectures.js";
export { readFamilyConfig, type Wav2Vec2FamilyConfig, type Wav2Vec2Variant, type PositionalConvKind } from "./family-config.js";
export { relativePositionBucket, relativePositionBucketTable } from "./relative-position-buckets.js";
