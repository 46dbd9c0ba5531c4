/**
 * The settings of a wav2vec2-family checkpoint (wav2vec2, HuBERT, WavLM, Data2VecAudio), read
 * from config.json once and validated, with the defaults of the matching transformers config
 * class for keys a hand-written config leaves out.
 */
import { SUPPORTED_ACTIVATIONS } from "../../nn/index.js";
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";

export type Wav2Vec2Variant = "wav2vec2" | "hubert" | "wavlm" | "data2vec-audio";

/** How the positional information is injected before the transformer layers. */
export type PositionalConvKind =
  /** One grouped conv, weight norm (folded by the loader), same padding, activation. */
  | { kind: "weight-norm"; kernel: number; groups: number }
  /** HuBERT's `conv_pos_batch_norm`: BatchNorm1d, then a plain grouped conv. */
  | { kind: "batch-norm"; kernel: number; groups: number }
  /** Data2VecAudio: a stack of plain grouped convs, each followed by a non-affine LayerNorm. */
  | { kind: "layer-stack"; kernel: number; groups: number; layers: number };

export interface Wav2Vec2FamilyConfig {
  readonly variant: Wav2Vec2Variant;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly intermediateSize: number;
  readonly hiddenAct: string;
  readonly layerNormEps: number;
  /** Feature encoder: one entry per conv layer. */
  readonly convDim: readonly number[];
  readonly convKernel: readonly number[];
  readonly convStride: readonly number[];
  readonly convBias: boolean;
  /** "group": GroupNorm(channels) after the first conv only; "layer": LayerNorm after every conv. */
  readonly featExtractNorm: "group" | "layer";
  readonly featExtractActivation: string;
  /** HuBERT can drop the LayerNorm before the feature projection. */
  readonly featProjLayerNorm: boolean;
  readonly positionalConv: PositionalConvKind;
  /** Pre-LN layers and a final LayerNorm (large / XLS-R layout) instead of post-LN layers. */
  readonly doStableLayerNorm: boolean;
  /** wav2vec2 MMS: a small adapter after each pre-LN layer (`adapter_attn_dim`). */
  readonly adapterAttnDim: number | undefined;
  /** WavLM's relative position buckets. */
  readonly numBuckets: number;
  readonly maxBucketDistance: number;
  readonly useWeightedLayerSum: boolean;
  readonly classifierProjSize: number;
  readonly numLabels: number;
}

// transformers' defaults (configuration_wav2vec2.py and friends): the base-size models.
const BASE_CONV_DIM = [512, 512, 512, 512, 512, 512, 512];
const BASE_CONV_STRIDE = [5, 2, 2, 2, 2, 2, 2];
const BASE_CONV_KERNEL = [10, 3, 3, 3, 3, 2, 2];

function positiveInt(config: ModelConfig, key: string, fallback: number): number {
  const value = config.int(key, fallback);
  if (value < 1) throw new ModelConfigError(`${config.source}: "${key}" must be a positive integer, got ${value}`);
  return value;
}

function positiveInts(config: ModelConfig, key: string, fallback: readonly number[]): number[] {
  const values = config.ints(key, fallback);
  if (values.length === 0 || values.some((v) => v < 1)) {
    throw new ModelConfigError(`${config.source}: "${key}" must be a non-empty list of positive integers, got [${values.join(", ")}]`);
  }
  return values;
}

function activationName(config: ModelConfig, key: string): string {
  const name = config.string(key, "gelu");
  if (!SUPPORTED_ACTIVATIONS.includes(name)) {
    throw new ModelConfigError(`${config.source}: "${key}" is "${name}", which audioclass does not implement; use one of ${SUPPORTED_ACTIVATIONS.join(", ")}`);
  }
  return name;
}

function readPositionalConv(config: ModelConfig, variant: Wav2Vec2Variant, hiddenSize: number): PositionalConvKind {
  const groups = positiveInt(config, "num_conv_pos_embedding_groups", 16);
  if (hiddenSize % groups !== 0) {
    throw new ModelConfigError(`${config.source}: "hidden_size" ${hiddenSize} is not divisible by "num_conv_pos_embedding_groups" ${groups}`);
  }
  if (variant === "data2vec-audio") {
    // Data2VecAudio reuses num_conv_pos_embeddings as the number of conv layers.
    return { kind: "layer-stack", kernel: positiveInt(config, "conv_pos_kernel_size", 19), groups, layers: positiveInt(config, "num_conv_pos_embeddings", 5) };
  }
  const kernel = positiveInt(config, "num_conv_pos_embeddings", 128);
  const batchNorm = variant === "hubert" && config.bool("conv_pos_batch_norm", false);
  return { kind: batchNorm ? "batch-norm" : "weight-norm", kernel, groups };
}

/** Reads and checks everything the sequence-classification graph needs. */
export function readFamilyConfig(config: ModelConfig, variant: Wav2Vec2Variant): Wav2Vec2FamilyConfig {
  if (config.bool("add_adapter", false)) {
    // transformers refuses this too (Wav2Vec2ForSequenceClassification.__init__).
    throw new ModelConfigError(`${config.source}: "add_adapter" is true, but sequence classification does not support the conv adapter; set it to false`);
  }
  const hiddenSize = positiveInt(config, "hidden_size", 768);
  const numHeads = positiveInt(config, "num_attention_heads", 12);
  if (hiddenSize % numHeads !== 0) {
    throw new ModelConfigError(`${config.source}: "hidden_size" ${hiddenSize} is not divisible by "num_attention_heads" ${numHeads}`);
  }
  const convDim = positiveInts(config, "conv_dim", BASE_CONV_DIM);
  const convKernel = positiveInts(config, "conv_kernel", BASE_CONV_KERNEL);
  const convStride = positiveInts(config, "conv_stride", BASE_CONV_STRIDE);
  if (convKernel.length !== convDim.length || convStride.length !== convDim.length) {
    throw new ModelConfigError(
      `${config.source}: "conv_dim", "conv_kernel" and "conv_stride" need one entry per conv layer, ` +
        `got ${convDim.length}, ${convKernel.length} and ${convStride.length}`,
    );
  }
  const featExtractNorm = variant === "data2vec-audio" ? "layer" : config.choice("feat_extract_norm", ["group", "layer"] as const, "group");
  const numBuckets = variant === "wavlm" ? positiveInt(config, "num_buckets", 320) : 320;
  const maxBucketDistance = variant === "wavlm" ? positiveInt(config, "max_bucket_distance", 800) : 800;
  // The log-spaced buckets start at num_buckets / 4; the largest distance must lie beyond them.
  if (variant === "wavlm" && (numBuckets < 4 || maxBucketDistance <= Math.floor(numBuckets / 4))) {
    throw new ModelConfigError(
      `${config.source}: WavLM needs "num_buckets" ≥ 4 and "max_bucket_distance" > num_buckets / 4, got ${numBuckets} and ${maxBucketDistance}`,
    );
  }
  const adapterAttnDim = variant === "wav2vec2" && config.has("adapter_attn_dim") ? positiveInt(config, "adapter_attn_dim", 1) : undefined;
  return {
    variant,
    hiddenSize,
    numLayers: positiveInt(config, "num_hidden_layers", 12),
    numHeads,
    intermediateSize: positiveInt(config, "intermediate_size", 3072),
    hiddenAct: activationName(config, "hidden_act"),
    layerNormEps: config.number("layer_norm_eps", 1e-5),
    convDim,
    convKernel,
    convStride,
    convBias: config.bool("conv_bias", false),
    featExtractNorm,
    featExtractActivation: activationName(config, "feat_extract_activation"),
    featProjLayerNorm: variant === "hubert" ? config.bool("feat_proj_layer_norm", true) : true,
    positionalConv: readPositionalConv(config, variant, hiddenSize),
    doStableLayerNorm: variant === "data2vec-audio" ? false : config.bool("do_stable_layer_norm", false),
    adapterAttnDim,
    numBuckets,
    maxBucketDistance,
    useWeightedLayerSum: config.bool("use_weighted_layer_sum", false),
    classifierProjSize: positiveInt(config, "classifier_proj_size", 256),
    numLabels: config.labels().length,
  };
}
