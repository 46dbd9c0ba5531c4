/**
 * The settings the shared speech-encoder pieces read: the convolutional feature encoder, the
 * feature projection, the convolutional position embedding, the transformer layers and the
 * sequence-classification head. Each family reads its config.json into this shape (adding what
 * only it has) with the helpers below, which give typed errors naming the key.
 */
import { SUPPORTED_ACTIVATIONS } from "../../nn/index.js";
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";

/** How the positional information is injected before the transformer layers. */
export type PositionalConvKind =
  /** One grouped conv, weight norm (folded by the loader), same padding, activation. */
  | { kind: "weight-norm"; kernel: number; groups: number }
  /** HuBERT's `conv_pos_batch_norm`: BatchNorm1d, then a plain grouped conv. */
  | { kind: "batch-norm"; kernel: number; groups: number }
  /** Data2VecAudio: a stack of plain grouped convs, each followed by a non-affine LayerNorm. */
  | { kind: "layer-stack"; kernel: number; groups: number; layers: number };

/** The convolutional waveform encoder (`feature_extractor.conv_layers.N`). */
export interface ConvFeatureEncoderConfig {
  /** One entry per conv layer. */
  readonly convDim: readonly number[];
  readonly convKernel: readonly number[];
  readonly convStride: readonly number[];
  readonly convBias: boolean;
  /** "group": GroupNorm(channels) after the first conv only; "layer": LayerNorm after every conv. */
  readonly featExtractNorm: "group" | "layer";
  readonly featExtractActivation: string;
}

export interface SpeechEncoderConfig extends ConvFeatureEncoderConfig {
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly intermediateSize: number;
  readonly hiddenAct: string;
  readonly layerNormEps: number;
  /** HuBERT can drop the LayerNorm before the feature projection. */
  readonly featProjLayerNorm: boolean;
  readonly positionalConv: PositionalConvKind;
  /** Pre-LN layers and a final LayerNorm (large / XLS-R layout) instead of post-LN layers. */
  readonly doStableLayerNorm: boolean;
  /** wav2vec2 MMS: a small adapter after each pre-LN layer (`adapter_attn_dim`). */
  readonly adapterAttnDim: number | undefined;
  readonly useWeightedLayerSum: boolean;
  readonly classifierProjSize: number;
  readonly numLabels: number;
}

// transformers' defaults (configuration_wav2vec2.py and its copies): the base-size models.
export const BASE_CONV_DIM = [512, 512, 512, 512, 512, 512, 512];
export const BASE_CONV_STRIDE = [5, 2, 2, 2, 2, 2, 2];
export const BASE_CONV_KERNEL = [10, 3, 3, 3, 3, 2, 2];

export function positiveInt(config: ModelConfig, key: string, fallback: number): number {
  const value = config.int(key, fallback);
  if (value < 1) throw new ModelConfigError(`${config.source}: "${key}" must be a positive integer, got ${value}`);
  return value;
}

export function positiveInts(config: ModelConfig, key: string, fallback: readonly number[]): number[] {
  const values = config.ints(key, fallback);
  if (values.length === 0 || values.some((v) => v < 1)) {
    throw new ModelConfigError(`${config.source}: "${key}" must be a non-empty list of positive integers, got [${values.join(", ")}]`);
  }
  return values;
}

export function activationName(config: ModelConfig, key: string, fallback = "gelu"): string {
  const name = config.string(key, fallback);
  if (!SUPPORTED_ACTIVATIONS.includes(name)) {
    throw new ModelConfigError(`${config.source}: "${key}" is "${name}", which audioclass does not implement; use one of ${SUPPORTED_ACTIVATIONS.join(", ")}`);
  }
  return name;
}

/** `a` must divide by `b` (heads, groups): the error names both keys. */
export function checkDivisible(config: ModelConfig, key: string, value: number, byKey: string, by: number): void {
  if (value % by !== 0) throw new ModelConfigError(`${config.source}: "${key}" ${value} is not divisible by "${byKey}" ${by}`);
}

/** conv_dim / conv_kernel / conv_stride / conv_bias / feat_extract_norm / feat_extract_activation. */
export function readConvFeatureEncoder(
  config: ModelConfig,
  options: { norm?: "group" | "layer"; defaults?: { convDim: readonly number[]; convKernel: readonly number[]; convStride: readonly number[] } } = {},
): ConvFeatureEncoderConfig {
  const convDim = positiveInts(config, "conv_dim", options.defaults?.convDim ?? BASE_CONV_DIM);
  const convKernel = positiveInts(config, "conv_kernel", options.defaults?.convKernel ?? BASE_CONV_KERNEL);
  const convStride = positiveInts(config, "conv_stride", options.defaults?.convStride ?? BASE_CONV_STRIDE);
  if (convKernel.length !== convDim.length || convStride.length !== convDim.length) {
    throw new ModelConfigError(
      `${config.source}: "conv_dim", "conv_kernel" and "conv_stride" need one entry per conv layer, ` +
        `got ${convDim.length}, ${convKernel.length} and ${convStride.length}`,
    );
  }
  return {
    convDim,
    convKernel,
    convStride,
    convBias: config.bool("conv_bias", false),
    featExtractNorm: options.norm ?? config.choice("feat_extract_norm", ["group", "layer"] as const, "group"),
    featExtractActivation: activationName(config, "feat_extract_activation"),
  };
}

/** The transformer sizes every family shares (hidden_size, heads, layers, feed-forward, LayerNorm eps). */
export function readTransformerSizes(config: ModelConfig, defaults: { hiddenSize?: number; numLayers?: number; numHeads?: number; intermediateSize?: number; hiddenAct?: string } = {}) {
  const hiddenSize = positiveInt(config, "hidden_size", defaults.hiddenSize ?? 768);
  const numHeads = positiveInt(config, "num_attention_heads", defaults.numHeads ?? 12);
  checkDivisible(config, "hidden_size", hiddenSize, "num_attention_heads", numHeads);
  return {
    hiddenSize,
    numHeads,
    numLayers: positiveInt(config, "num_hidden_layers", defaults.numLayers ?? 12),
    intermediateSize: positiveInt(config, "intermediate_size", defaults.intermediateSize ?? 3072),
    hiddenAct: activationName(config, "hidden_act", defaults.hiddenAct ?? "gelu"),
    layerNormEps: config.number("layer_norm_eps", 1e-5),
  };
}

/** The weight-normalised positional conv of wav2vec2 and its copies. */
export function readWeightNormPositionalConv(config: ModelConfig, hiddenSize: number): PositionalConvKind {
  const groups = positiveInt(config, "num_conv_pos_embedding_groups", 16);
  checkDivisible(config, "hidden_size", hiddenSize, "num_conv_pos_embedding_groups", groups);
  return { kind: "weight-norm", kernel: positiveInt(config, "num_conv_pos_embeddings", 128), groups };
}

/** transformers refuses the conv adapter in *ForSequenceClassification; so do we, naming the key. */
export function rejectAddAdapter(config: ModelConfig): void {
  if (config.bool("add_adapter", false)) {
    throw new ModelConfigError(`${config.source}: "add_adapter" is true, but sequence classification does not support the conv adapter; set it to false`);
  }
}

/** The head: use_weighted_layer_sum, classifier_proj_size, the labels. */
export function readHeadSettings(config: ModelConfig) {
  return {
    useWeightedLayerSum: config.bool("use_weighted_layer_sum", false),
    classifierProjSize: positiveInt(config, "classifier_proj_size", 256),
    numLabels: config.labels().length,
  };
}
