/**
 * UniSpeech and UniSpeechSat configs: their sequence classifiers copy wav2vec2's modules
 * (conv feature encoder, LayerNorm + projection, weight-normalised positional conv, post-LN or
 * `do_stable_layer_norm` pre-LN layers with the optional `adapter_attn_dim` adapter), so they read
 * into the shared speech-encoder settings with UniSpeechConfig's defaults (the base sizes).
 */
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

export function readUniSpeechConfig(config: ModelConfig): SpeechEncoderConfig {
  rejectAddAdapter(config);
  const sizes = readTransformerSizes(config);
  return {
    ...sizes,
    ...readConvFeatureEncoder(config),
    featProjLayerNorm: true,
    positionalConv: readWeightNormPositionalConv(config, sizes.hiddenSize),
    doStableLayerNorm: config.bool("do_stable_layer_norm", false),
    adapterAttnDim: config.has("adapter_attn_dim") ? positiveInt(config, "adapter_attn_dim", 1) : undefined,
    ...readHeadSettings(config),
  };
}
