// nn/: reusable graph pieces over Hugging Face parameter names.
export { Weights, featureDim } from "./weights.js";
export type { WeightMap, ExpectedShape } from "./weights.js";
export { linear, DEFAULT_LINEAR_FORM } from "./linear.js";
export type { LinearForm, LinearOptions } from "./linear.js";
export { layerNorm } from "./layer-norm.js";
export { groupNorm } from "./group-norm.js";
export { activation, SUPPORTED_ACTIVATIONS } from "./activations.js";
export { selfAttention, BART_ATTENTION_NAMES, BERT_ATTENTION_NAMES } from "./attention.js";
export type { SelfAttentionOptions, AttentionNames } from "./attention.js";
export { additiveAttentionMask, FLOAT32_MIN } from "./attention-mask.js";
export { feedForward } from "./feed-forward.js";
export type { FeedForwardOptions } from "./feed-forward.js";
export { conv1d, conv2d } from "./conv.js";
export type { ConvLayerOptions } from "./conv.js";
export { weightNorm } from "./weight-norm.js";
export { embedding } from "./embedding.js";
export { MissingWeightError, WeightShapeError, UnknownActivationError, LayerConfigError } from "./errors.js";
