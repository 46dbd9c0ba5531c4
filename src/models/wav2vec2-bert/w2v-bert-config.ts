/**
 * Wav2Vec2-BERT configs (Wav2Vec2BertConfig): stacked fbank frames (`feature_projection_input_dim`)
 * projected to hidden_size, then Conformer blocks whose attention uses `relative_key` distance
 * embeddings (or rotary / Transformer-XL relative positions, or none) and whose convolution module
 * is causal; the config class's defaults (w2v-bert-2.0's sizes).
 */
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";
import { type SpeechEncoderConfig, positiveInt, readHeadSettings, readTransformerSizes, rejectAddAdapter } from "../speech-encoder/index.js";

export type W2vBertPositions = "relative_key" | "relative" | "rotary" | "none";

export interface W2vBertConfig extends Pick<SpeechEncoderConfig, "hiddenSize" | "numLayers" | "numHeads" | "intermediateSize" | "hiddenAct" | "layerNormEps" | "useWeightedLayerSum" | "classifierProjSize" | "numLabels"> {
  readonly inputDim: number;
  readonly positionEmbeddings: W2vBertPositions;
  readonly leftMaxPositions: number;
  readonly rightMaxPositions: number;
  readonly rotaryBase: number;
  readonly depthwiseKernel: number;
}

export function readW2vBertConfig(config: ModelConfig): W2vBertConfig {
  rejectAddAdapter(config);
  if (config.bool("use_intermediate_ffn_before_adapter", false)) {
    throw new ModelConfigError(`${config.source}: "use_intermediate_ffn_before_adapter" is true; audioclass builds Wav2Vec2-BERT classifiers without the adapter's intermediate FFN, set it to false`);
  }
  const sizes = readTransformerSizes(config, { hiddenSize: 1024, numLayers: 24, numHeads: 16, intermediateSize: 4096, hiddenAct: "swish" });
  const raw = config.raw["position_embeddings_type"];
  const positionEmbeddings: W2vBertPositions = raw === null ? "none" : config.choice("position_embeddings_type", ["relative_key", "relative", "rotary"] as const, "relative_key");
  const depthwiseKernel = positiveInt(config, "conv_depthwise_kernel_size", 31);
  if (depthwiseKernel % 2 === 0) throw new ModelConfigError(`${config.source}: "conv_depthwise_kernel_size" must be odd, got ${depthwiseKernel}`);
  const headSize = sizes.hiddenSize / sizes.numHeads;
  if (positionEmbeddings === "rotary" && headSize % 2 !== 0) {
    throw new ModelConfigError(`${config.source}: rotary position embeddings need an even head size (hidden_size / num_attention_heads), got ${headSize}`);
  }
  return {
    ...sizes,
    inputDim: positiveInt(config, "feature_projection_input_dim", 160),
    positionEmbeddings,
    leftMaxPositions: positiveInt(config, "left_max_position_embeddings", 64),
    rightMaxPositions: positiveInt(config, "right_max_position_embeddings", 8),
    rotaryBase: config.number("rotary_embedding_base", 10000),
    depthwiseKernel,
    ...readHeadSettings(config),
  };
}
