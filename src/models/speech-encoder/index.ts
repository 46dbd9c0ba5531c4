// The speech-encoder pieces the raw-waveform families compose: conv feature encoder, feature
// projection, positional conv, transformer layers, weighted layer sum + projector head,
// SpecAugment / LayerDrop training inputs, and the shared parameter specs and recipes.
export * from "./speech-encoder-config.js";
export { checkedLinear } from "./checked-linear.js";
export { featureEncoder, featureProjection } from "./feature-encoder.js";
export { sampleCounts, convOutputLengths, validFrames, zeroInvalid, receptiveField, appendReceptiveFieldPadding } from "./frame-lengths.js";
export { maskedGroupNorm } from "./masked-group-norm.js";
export { positionalConvEmbedding, positionalConvWeight, samePaddedConv } from "./positional-conv.js";
export { encoderLayer, feedForwardBlock, type LayerAttention, type LayerDropout } from "./encoder-layer.js";
export { encoder, transformerLayers, type EncoderOptions, type LayerAttentionFactory } from "./encoder.js";
export { sequenceClassificationHead, weightedLayerSum, maskedMean } from "./sequence-classification-head.js";
export { speechParameterPlace } from "./parameter-place.js";
export * from "./parameter-specs.js";
export { WAV2VEC2_RECIPE, wav2vec2PreprocessorDefaults } from "./recipes.js";
export { computeMaskIndices, specAugmentFeeds, applySpecAugment, MASK_TIME_INPUT, MASK_FEATURE_INPUT, MASK_TIME_FRAMES, type MaskOptions } from "./spec-augment.js";
export { readSpeechTrainingSettings, type SpeechTrainingSettings } from "./training-settings.js";
export { speechTrainingInputs, transformersFrames, graphValidFrames } from "./training-inputs.js";
export { skipTrainingOnlyWeights } from "./training-only-weights.js";
export { wav2vec2StyleFamily, type Wav2Vec2StyleFamilySpec } from "./wav2vec2-style-family.js";
export { squeezeWithPositions, squeezedLengths, squeezePaddingSamples, upsample, type SqueezeConfig } from "./squeeze.js";
