/**
 * ClapConfig (config.json of a ClapModel) read into typed settings with transformers' defaults
 * (ClapAudioConfig / ClapTextConfig in configuration_clap.py). As in Python, the top-level
 * `projection_hidden_act` overrides the towers' own.
 */
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";

export interface ClapAudioSettings {
  windowSize: number;
  numMelBins: number;
  specSize: number;
  patchSize: [number, number];
  patchStride: [number, number];
  depths: number[];
  numAttentionHeads: number[];
  enableFusion: boolean;
  patchEmbedInputChannels: number;
  flattenPatchEmbeds: boolean;
  enablePatchLayerNorm: boolean;
  hiddenAct: string;
  layerNormEps: number;
  /** spec_size // num_mel_bins: how many time slices are stacked along frequency. */
  freqRatio: number;
  /** Width of the spectrogram image in frames (spec_size · freq_ratio) before stacking. */
  specWidth: number;
  /** Height in mel bins (spec_size // freq_ratio). */
  specHeight: number;
  /** Patch grid of the first stage (spec_size // patch_stride). */
  grid: [number, number];
}

export interface ClapTextSettings {
  numHiddenLayers: number;
  numAttentionHeads: number;
  hiddenAct: string;
  layerNormEps: number;
  padTokenId: number;
  maxPositionEmbeddings: number;
}

export interface ClapSettings {
  audio: ClapAudioSettings;
  text: ClapTextSettings;
  projectionHiddenAct: string;
}

function pair(config: ModelConfig, key: string, fallback: number | [number, number]): [number, number] {
  const v = config.raw[key] ?? fallback;
  if (typeof v === "number" && Number.isInteger(v) && v > 0) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x) && x > 0)) return [v[0] as number, v[1] as number];
  throw new ModelConfigError(`${config.source}: "${key}" must be a positive integer or a pair of them, got ${JSON.stringify(v)}`);
}

function positive(config: ModelConfig, key: string, fallback: number): number {
  const v = config.int(key, fallback);
  if (v < 1) throw new ModelConfigError(`${config.source}: "${key}" must be ≥ 1, got ${v}`);
  return v;
}

export function readAudioSettings(config: ModelConfig): ClapAudioSettings {
  const specSize = positive(config, "spec_size", 256);
  const numMelBins = positive(config, "num_mel_bins", 64);
  const depths = config.ints("depths", [2, 2, 6, 2]);
  const heads = config.ints("num_attention_heads", [4, 8, 16, 32]);
  if (depths.length === 0 || heads.length !== depths.length || [...depths, ...heads].some((d) => d < 1)) {
    throw new ModelConfigError(`${config.source}: "depths" and "num_attention_heads" must be lists of positive integers of the same length, got ${JSON.stringify(depths)} and ${JSON.stringify(heads)}`);
  }
  const fusionType = config.raw["fusion_type"];
  const enableFusion = config.bool("enable_fusion", false);
  if (enableFusion && fusionType === "channel_map") {
    throw new ModelConfigError(`${config.source}: fusion_type "channel_map" is not supported (transformers' forward pass cannot run it either); use "aff_2d" or null`);
  }
  const freqRatio = Math.floor(specSize / numMelBins);
  if (freqRatio < 1) throw new ModelConfigError(`${config.source}: spec_size ${specSize} must be at least num_mel_bins ${numMelBins}`);
  const patchStride = pair(config, "patch_stride", [4, 4]);
  const grid: [number, number] = [Math.floor(specSize / patchStride[0]), Math.floor(specSize / patchStride[1])];
  return {
    windowSize: positive(config, "window_size", 8),
    numMelBins,
    specSize,
    patchSize: pair(config, "patch_size", 4),
    patchStride,
    depths,
    numAttentionHeads: heads,
    enableFusion,
    patchEmbedInputChannels: positive(config, "patch_embed_input_channels", 1),
    flattenPatchEmbeds: config.bool("flatten_patch_embeds", true),
    enablePatchLayerNorm: config.bool("enable_patch_layer_norm", true),
    hiddenAct: config.string("hidden_act", "gelu"),
    layerNormEps: config.number("layer_norm_eps", 1e-5),
    freqRatio,
    specWidth: specSize * freqRatio,
    specHeight: Math.floor(specSize / freqRatio),
    grid,
  };
}

export function readTextSettings(config: ModelConfig): ClapTextSettings {
  const positionType = config.string("position_embedding_type", "absolute");
  if (positionType !== "absolute") {
    throw new ModelConfigError(`${config.source}: position_embedding_type ${JSON.stringify(positionType)} is not supported; CLAP checkpoints use "absolute"`);
  }
  if (config.bool("is_decoder", false)) throw new ModelConfigError(`${config.source}: "is_decoder" must be false for CLAP's text encoder`);
  return {
    numHiddenLayers: positive(config, "num_hidden_layers", 12),
    numAttentionHeads: positive(config, "num_attention_heads", 12),
    hiddenAct: config.string("hidden_act", "gelu"),
    layerNormEps: config.number("layer_norm_eps", 1e-12),
    padTokenId: config.int("pad_token_id", 1),
    maxPositionEmbeddings: positive(config, "max_position_embeddings", 514),
  };
}

/** The settings of a ClapModel config.json (model_type "clap"). */
export function readClapSettings(config: ModelConfig): ClapSettings {
  if (config.has("model_type") && config.string("model_type") !== "clap") {
    throw new ModelConfigError(`${config.source}: model_type ${JSON.stringify(config.string("model_type"))} is not a CLAP model; expected "clap" (a ClapModel checkpoint such as laion/clap-htsat-unfused)`);
  }
  return {
    audio: readAudioSettings(config.sub("audio_config")),
    text: readTextSettings(config.sub("text_config")),
    projectionHiddenAct: config.string("projection_hidden_act", "relu"),
  };
}
