/**
 * The settings of WhisperForAudioClassification, read from config.json with transformers'
 * WhisperConfig defaults (4.49), validated so a bad config fails with a ModelConfigError naming the key.
 */
import { SUPPORTED_ACTIVATIONS } from "../../nn/index.js";
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";

export interface WhisperSettings {
  readonly dModel: number;
  readonly encoderLayers: number;
  readonly encoderHeads: number;
  readonly encoderFfnDim: number;
  /** Hugging Face activation name of the feed-forward blocks (the conv stem always uses exact GELU). */
  readonly activation: string;
  readonly numMelBins: number;
  /** Encoder positions after the stride-2 conv: the input has exactly 2 × this many frames. */
  readonly maxSourcePositions: number;
  readonly useWeightedLayerSum: boolean;
  readonly classifierProjSize: number;
  readonly numLabels: number;
}

/** Input frames per encoder position: conv1 has stride 1, conv2 stride 2. */
export const WHISPER_FRAMES_PER_POSITION = 2;

function atLeast(config: ModelConfig, key: string, fallback: number, min: number): number {
  const v = config.int(key, fallback);
  if (v < min) throw new ModelConfigError(`${config.source}: "${key}" must be an integer ≥ ${min}, got ${v}`);
  return v;
}

export function readWhisperSettings(config: ModelConfig): WhisperSettings {
  const dModel = atLeast(config, "d_model", 384, 1);
  const encoderHeads = atLeast(config, "encoder_attention_heads", 6, 1);
  if (dModel % encoderHeads !== 0) {
    throw new ModelConfigError(`${config.source}: "d_model" ${dModel} is not a multiple of "encoder_attention_heads" ${encoderHeads}; each head needs d_model / encoder_attention_heads features`);
  }
  const numLabels = config.labels().length;
  if (numLabels < 1) throw new ModelConfigError(`${config.source}: an audio classifier needs at least one label; set "id2label" or "num_labels"`);
  return {
    dModel,
    encoderLayers: atLeast(config, "encoder_layers", 4, 0),
    encoderHeads,
    encoderFfnDim: atLeast(config, "encoder_ffn_dim", 1536, 1),
    activation: config.choice("activation_function", SUPPORTED_ACTIVATIONS, "gelu"),
    numMelBins: atLeast(config, "num_mel_bins", 80, 1),
    maxSourcePositions: atLeast(config, "max_source_positions", 1500, 1),
    useWeightedLayerSum: config.bool("use_weighted_layer_sum", false),
    classifierProjSize: atLeast(config, "classifier_proj_size", 256, 1),
    numLabels,
  };
}
