/**
 * The settings of a wav2vec2-family checkpoint (wav2vec2, HuBERT, WavLM, Data2VecAudio), read
 * from config.json once and validated, with the defaults of the matching transformers config class for keys a
 * hand-written config leaves out.
 */
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";
import {
  type PositionalConvKind,
  type SpeechEncoderConfig,
  checkDivisible,
  positiveInt,
  readConvFeatureEncoder,
  readHeadSettings,
  readTransformerSizes,
  readWeightNormPositionalConv,
  rejectAddAdapter,
} from "../speech-encoder/index.js";

export type Wav2Vec2Variant = "wav2vec2" | "hubert" | "wavlm" | "data2vec-audio";

export interface Wav2Vec2FamilyConfig extends SpeechEncoderConfig {
  readonly variant: Wav2Vec2Variant;
  /** WavLM's relative position buckets. */
  readonly numBuckets: number;
  readonly maxBucketDistance: number;
}

function readPositionalConv(config: ModelConfig, variant: Wav2Vec2Variant, hiddenSize: number): PositionalConvKind {
  if (variant === "data2vec-audio") {
    const groups = positiveInt(config, "num_conv_pos_embedding_groups", 16);
    checkDivisible(config, "hidden_size", hiddenSize, "num_conv_pos_embedding_groups", groups);
    // Data2VecAudio reuses num_conv_pos_embeddings as the number of conv layers.
    return { kind: "layer-stack", kernel: positiveInt(config, "conv_pos_kernel_size", 19), groups, layers: positiveInt(config, "num_conv_pos_embeddings", 5) };
  }
  const conv = readWeightNormPositionalConv(config, hiddenSize);
  const batchNorm = variant === "hubert" && config.bool("conv_pos_batch_norm", false);
  return batchNorm ? { ...conv, kind: "batch-norm" } : conv;
}

/** Reads and checks everything the sequence-classification graph needs. */
export function readFamilyConfig(config: ModelConfig, variant: Wav2Vec2Variant): Wav2Vec2FamilyConfig {
  rejectAddAdapter(config);
  const sizes = readTransformerSizes(config);
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
    ...sizes,
    ...readConvFeatureEncoder(config, variant === "data2vec-audio" ? { norm: "layer" } : {}),
    featProjLayerNorm: variant === "hubert" ? config.bool("feat_proj_layer_norm", true) : true,
    positionalConv: readPositionalConv(config, variant, sizes.hiddenSize),
    doStableLayerNorm: variant === "data2vec-audio" ? false : config.bool("do_stable_layer_norm", false),
    adapterAttnDim,
    numBuckets,
    maxBucketDistance,
    ...readHeadSettings(config),
  };
}
