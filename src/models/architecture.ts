/**
 * The family descriptor: everything the rest of audioclass needs to know about one architecture
 * family, in one object that lives in the family's folder (models/<family>/index.ts) — its
 * `model_type`s and transformers class name, config parsing (build, parameters), the forward
 * graph in inference and training forms, the classification head and its initialisation,
 * training defaults, the feature extractor it pairs with and the default preprocessor config.
 * The registry (registry.ts) lists the descriptors; training, the pipelines, the CLI and the
 * feature-extractor lookup ask it instead of switching on `model_type` strings.
 *
 * The graph's inputs use Hugging Face feature names (`input_values`, `input_features`,
 * `attention_mask`) with a symbolic "batch" dim; its output is `logits` [batch, num_labels].
 */
import type { GraphModel } from "../graph/index.js";
import type { Weights } from "../nn/index.js";
import type { Tensor } from "../tensor.js";
import type { SeededRandom } from "./initialize-parameters.js";
import type { ModelConfig } from "./model-config.js";
import type { ParameterSpec } from "./parameter-spec.js";

export interface ArchitectureBuildOptions {
  /** Use onnxruntime's fused contrib ops (com.microsoft) where they are exact. */
  readonly fused?: boolean;
  /**
   * Build the training form of the forward pass: g.dropout wherever transformers applies dropout,
   * and inputs for the training-only randomness drawn each step (SpecAugment masks, LayerDrop
   * gates; see trainingInputs). Inference graphs (the default) have neither.
   */
  readonly training?: boolean;
}

/** Where a parameter sits, for freezing part of a model. */
export interface ParameterPlace {
  /**
   * feature-encoder: the convolutional waveform encoder (wav2vec2 family); embeddings: what turns
   * features into the first hidden states; layer: transformer layer `layer`; post-layers: norms
   * after the last layer; head: pooling, projector, classifier.
   */
  readonly part: "feature-encoder" | "embeddings" | "layer" | "post-layers" | "head";
  readonly layer?: number;
}

/** What trainingInputs gets to size its feeds. */
export interface TrainingInputContext {
  /** The batch's model inputs (input_values, attention_mask, …). */
  readonly feeds: Readonly<Record<string, Tensor>>;
  /** The dims of a training input of the graph for this batch. */
  inputDims(name: string): number[];
  readonly random: SeededRandom;
}

/**
 * Fine-tuning defaults of a family, from the Hugging Face recipes for it (see
 * training/trainer-options.ts for the options they fill in).
 */
export interface FamilyTrainingDefaults {
  readonly learningRate: number;
  readonly batchSize: number;
  readonly gradientAccumulationSteps: number;
  readonly epochs: number;
  /** What stays frozen by default ("feature-encoder": the recipes' freeze_feature_encoder()). */
  readonly freeze: "none" | "feature-encoder";
  /** Training clips longer than this are cut (undefined: extractors with a fixed window need no cut). */
  readonly maxDurationSeconds?: number;
}

export interface AudioClassificationArchitecture {
  /** A short name for messages, e.g. "Audio Spectrogram Transformer". */
  readonly name: string;
  /** Hugging Face `model_type` values this family builds. */
  readonly modelTypes: readonly string[];
  /** The transformers class save_pretrained writes into config.json `architectures`. */
  readonly architectureClass: string;
  /** The `feature_extractor_type` transformers' AutoFeatureExtractor pairs with these model types. */
  readonly featureExtractorType: string;
  /**
   * Whether the graph takes an `attention_mask`, so padded batches run exactly (the trainer then
   * asks the feature extractor for masks).
   */
  readonly takesAttentionMask: boolean;
  readonly trainingDefaults: FamilyTrainingDefaults;
  /**
   * preprocessor_config.json for a config with none (a model trained from scratch): the family's
   * feature extractor with its constructor defaults and the sizes the model config fixes.
   */
  defaultPreprocessorConfig(config: ModelConfig): Record<string, unknown>;
  /**
   * The classification head's parameters for `numLabels` labels (a subset of `parameters`, in
   * their initialisation order); those marked `labelDependent` are replaced for a new label set.
   */
  headParameters(config: ModelConfig, numLabels: number): ParameterSpec[];
  /** Parameter-name prefix of the backbone in the *ForAudioClassification checkpoints, e.g. "wav2vec2". */
  basePrefix(config: ModelConfig): string;
  build(config: ModelConfig, weights: Weights, options?: ArchitectureBuildOptions): GraphModel;
  /**
   * Every parameter (and buffer) of the *ForAudioClassification model the config describes, in
   * checkpoint naming, with its fresh initialisation (transformers' `_init_weights`).
   */
  parameters(config: ModelConfig): ParameterSpec[];
  /** Transformer layers (for freezing all but the last N). */
  numLayers(config: ModelConfig): number;
  parameterPlace(config: ModelConfig, name: string): ParameterPlace;
  /**
   * One step's feeds for the inputs a `training: true` graph adds (SpecAugment masks, LayerDrop
   * gates), drawn from `context.random`. Families without such inputs return {}.
   */
  trainingInputs(config: ModelConfig, context: TrainingInputContext): Record<string, Tensor>;
  /** Whether the family has a convolutional feature encoder (`freeze_feature_encoder`). */
  readonly hasFeatureEncoder: boolean;
  /**
   * Checks features against what the config needs (sizes the graph fixes), throwing a
   * ModelInputError that says what the feature extractor should produce.
   */
  checkInputs?(config: ModelConfig, features: Readonly<Record<string, Tensor>>): void;
}
