/**
 * The settings of an Audio Spectrogram Transformer, read from config.json with transformers'
 * ASTConfig defaults (4.49), validated so a bad config fails with a ModelConfigError naming the key.
 */
import { SUPPORTED_ACTIVATIONS } from "../../nn/index.js";
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";

export interface AstSettings {
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly intermediateSize: number;
  /** Hugging Face activation name (ACT2FN key). */
  readonly hiddenAct: string;
  readonly layerNormEps: number;
  readonly patchSize: number;
  readonly qkvBias: boolean;
  readonly frequencyStride: number;
  readonly timeStride: number;
  /** Spectrogram frames the model takes (the feature extractor pads or truncates to this). */
  readonly maxLength: number;
  readonly numMelBins: number;
  readonly numLabels: number;
  /** Patches along frequency and time, as ASTEmbeddings.get_shape computes them. */
  readonly frequencyPatches: number;
  readonly timePatches: number;
}

function atLeast(config: ModelConfig, key: string, fallback: number, min: number): number {
  const v = config.int(key, fallback);
  if (v < min) throw new ModelConfigError(`${config.source}: "${key}" must be an integer ≥ ${min}, got ${v}`);
  return v;
}

const positive = (config: ModelConfig, key: string, fallback: number): number => atLeast(config, key, fallback, 1);

/** transformers' get_shape: (bins − patch) // stride + 1 patches per axis (a Conv2d without padding). */
export function patchCount(size: number, patch: number, stride: number): number {
  return Math.floor((size - patch) / stride) + 1;
}

export function readAstSettings(config: ModelConfig): AstSettings {
  const hiddenSize = positive(config, "hidden_size", 768);
  const numHeads = positive(config, "num_attention_heads", 12);
  if (hiddenSize % numHeads !== 0) {
    throw new ModelConfigError(`${config.source}: "hidden_size" ${hiddenSize} is not a multiple of "num_attention_heads" ${numHeads}; each head needs hidden_size / num_attention_heads features`);
  }
  const patchSize = positive(config, "patch_size", 16);
  const frequencyStride = positive(config, "frequency_stride", 10);
  const timeStride = positive(config, "time_stride", 10);
  const maxLength = positive(config, "max_length", 1024);
  const numMelBins = positive(config, "num_mel_bins", 128);
  for (const [key, size] of [["num_mel_bins", numMelBins], ["max_length", maxLength]] as const) {
    if (size < patchSize) {
      throw new ModelConfigError(`${config.source}: "${key}" ${size} is smaller than "patch_size" ${patchSize}, so the spectrogram holds no whole patch; use at least ${patchSize}`);
    }
  }
  const layerNormEps = config.number("layer_norm_eps", 1e-12);
  if (!(layerNormEps > 0)) throw new ModelConfigError(`${config.source}: "layer_norm_eps" must be a positive number, got ${layerNormEps}`);
  const numLabels = config.labels().length;
  if (numLabels < 1) throw new ModelConfigError(`${config.source}: an audio classifier needs at least one label; set "id2label" or "num_labels"`);
  return {
    hiddenSize,
    numLayers: atLeast(config, "num_hidden_layers", 12, 0),
    numHeads,
    intermediateSize: positive(config, "intermediate_size", 3072),
    hiddenAct: config.choice("hidden_act", SUPPORTED_ACTIVATIONS, "gelu"),
    layerNormEps,
    patchSize,
    qkvBias: config.bool("qkv_bias", true),
    frequencyStride,
    timeStride,
    maxLength,
    numMelBins,
    numLabels,
    frequencyPatches: patchCount(numMelBins, patchSize, frequencyStride),
    timePatches: patchCount(maxLength, patchSize, timeStride),
  };
}
