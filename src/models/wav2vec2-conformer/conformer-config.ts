/**
 * Wav2Vec2-Conformer configs (Wav2Vec2ConformerConfig): wav2vec2's conv feature encoder and
 * feature projection, then Conformer layers with relative (Transformer-XL) or rotary position
 * embeddings, or none, and the convolution module's depthwise kernel; the config class's defaults
 * (the large model).
 */
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";
import {
  type SpeechEncoderConfig,
  positiveInt,
  readConvFeatureEncoder,
  readHeadSettings,
  readTransformerSizes,
  readWeightNormPositionalConv,
  rejectAddAdapter,
} from "../speech-encoder/index.js";

export type ConformerPositions = "relative" | "rotary" | "none";

export interface ConformerConfig extends SpeechEncoderConfig {
  readonly positionEmbeddings: ConformerPositions;
  readonly rotaryBase: number;
  /** Odd, for "same" padding of the depthwise conv. */
  readonly depthwiseKernel: number;
}

export function readConformerConfig(config: ModelConfig): ConformerConfig {
  rejectAddAdapter(config);
  const sizes = readTransformerSizes(config, { hiddenSize: 1024, numLayers: 24, numHeads: 16, intermediateSize: 4096, hiddenAct: "swish" });
  const raw = config.raw["position_embeddings_type"];
  const positionEmbeddings: ConformerPositions = raw === null ? "none" : config.choice("position_embeddings_type", ["relative", "rotary"] as const, "relative");
  const depthwiseKernel = positiveInt(config, "conv_depthwise_kernel_size", 31);
  if (depthwiseKernel % 2 === 0) {
    throw new ModelConfigError(`${config.source}: "conv_depthwise_kernel_size" must be odd for the convolution module's same padding, got ${depthwiseKernel}`);
  }
  const headSize = sizes.hiddenSize / sizes.numHeads;
  if (positionEmbeddings === "rotary" && headSize % 2 !== 0) {
    throw new ModelConfigError(`${config.source}: rotary position embeddings need an even head size (hidden_size / num_attention_heads), got ${headSize}`);
  }
  return {
    ...sizes,
    ...readConvFeatureEncoder(config),
    featProjLayerNorm: true,
    positionalConv: readWeightNormPositionalConv(config, sizes.hiddenSize),
    doStableLayerNorm: true,
    adapterAttnDim: undefined,
    positionEmbeddings,
    rotaryBase: config.number("rotary_embedding_base", 10000),
    depthwiseKernel,
    ...readHeadSettings(config),
  };
}
