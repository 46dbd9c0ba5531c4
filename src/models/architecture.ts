/**
 * What an architecture family provides: a builder that turns config.json + weights into the
 * forward graph. The graph's inputs use Hugging Face feature names (`input_values`,
 * `input_features`, `attention_mask`) with a symbolic "batch" dim; its output is `logits`
 * [batch, num_labels].
 */
import type { GraphModel } from "../graph/index.js";
import type { Weights } from "../nn/index.js";
import type { Tensor } from "../tensor.js";
import type { ModelConfig } from "./model-config.js";

export interface ArchitectureBuildOptions {
  /** Use onnxruntime's fused contrib ops (com.microsoft) where they are exact. */
  readonly fused?: boolean;
}

export interface AudioClassificationArchitecture {
  /** A short name for messages, e.g. "Audio Spectrogram Transformer". */
  readonly name: string;
  /** Hugging Face `model_type` values this family builds. */
  readonly modelTypes: readonly string[];
  /** Parameter-name prefix of the backbone in the *ForAudioClassification checkpoints, e.g. "wav2vec2". */
  basePrefix(config: ModelConfig): string;
  build(config: ModelConfig, weights: Weights, options?: ArchitectureBuildOptions): GraphModel;
  /**
   * Checks features against what the config needs (sizes the graph fixes), throwing a
   * ModelInputError that says what the feature extractor should produce.
   */
  checkInputs?(config: ModelConfig, features: Readonly<Record<string, Tensor>>): void;
}
