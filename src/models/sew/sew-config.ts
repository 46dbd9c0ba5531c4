/**
 * SEW configs (SEWConfig): wav2vec2's conv feature encoder with SEW's deeper default stack, a
 * LayerNorm over the conv features, a projection to hidden_size only when the widths differ, and
 * the squeezed encoder (squeeze_factor) with post-LN wav2vec2 layers.
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

// configuration_sew.py's defaults (SEW-tiny / mid / D-base share them).
export const SEW_CONV_DIM = [64, 128, 128, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512];
export const SEW_CONV_STRIDE = [5, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1];
export const SEW_CONV_KERNEL = [10, 3, 1, 3, 1, 3, 1, 3, 1, 2, 1, 2, 1];

export interface SewConfig extends SpeechEncoderConfig {
  readonly squeezeFactor: number;
  /** A Linear from conv_dim[-1] to hidden_size (only when they differ). */
  readonly projectFeatures: boolean;
  /** The LayerNorm over the conv features. */
  readonly featureLayerNormEps: number;
}

/** The conv stack with SEW's defaults, the squeeze factor and the feature LayerNorm epsilon. */
export function readSewEncoderParts(config: ModelConfig, featureLayerNormEpsKey: string) {
  const conv = readConvFeatureEncoder(config, {
    defaults: { convDim: SEW_CONV_DIM, convStride: SEW_CONV_STRIDE, convKernel: SEW_CONV_KERNEL },
  });
  const squeezeFactor = positiveInt(config, "squeeze_factor", 2);
  if (squeezeFactor > 64) throw new ModelConfigError(`${config.source}: "squeeze_factor" ${squeezeFactor} is larger than any SEW model uses; use 1 … 64`);
  return { ...conv, squeezeFactor, featureLayerNormEps: config.number(featureLayerNormEpsKey, 1e-5) };
}

export function readSewConfig(config: ModelConfig): SewConfig {
  rejectAddAdapter(config);
  const sizes = readTransformerSizes(config);
  const parts = readSewEncoderParts(config, "layer_norm_eps");
  return {
    ...sizes,
    ...parts,
    featureLayerNormEps: sizes.layerNormEps,
    projectFeatures: parts.convDim[parts.convDim.length - 1] !== sizes.hiddenSize,
    featProjLayerNorm: false,
    positionalConv: readWeightNormPositionalConv(config, sizes.hiddenSize),
    doStableLayerNorm: false,
    adapterAttnDim: undefined,
    ...readHeadSettings(config),
  };
}
