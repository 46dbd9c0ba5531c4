/**
 * The audio-classification heads of the architectures we fine-tune, as transformers defines them:
 * the class name save_pretrained writes into `architectures`, the head's parameters and shapes,
 * and how `_init_weights` initialises each (which config key holds the std, whether the normal is
 * truncated). Parameters whose first dimension is the number of labels are "label-dependent":
 * they are the ones a new label set replaces.
 */
import { describeValue } from "../../errors.js";
import { CheckpointContentError } from "../checkpoint-errors.js";
import type { JsonDocument } from "./json-document.js";

/** How a head parameter starts: N(0, std²) (optionally truncated to [-2, 2] as trunc_normal_), zeros, or a constant. */
export type HeadInit = { readonly kind: "normal"; readonly std: number; readonly truncate?: readonly [number, number] } | { readonly kind: "fill"; readonly value: number };

export interface HeadParameter {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: HeadInit;
  /** True when the shape depends on the number of labels. */
  readonly labelDependent: boolean;
}

export interface ClassificationHead {
  readonly modelType: string;
  /** The *For…Classification class transformers instantiates (config.json `architectures`). */
  readonly architecture: string;
  /** The config key holding the init std ("initializer_range" or "init_std"). */
  readonly initKey: "initializer_range" | "init_std";
  /** The head's parameters for `numLabels` labels, in initialisation order. */
  parameters(config: JsonDocument, numLabels: number): HeadParameter[];
}

function intOf(config: JsonDocument, key: string, fallback: number): number {
  const value = config.get(key) ?? fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new CheckpointContentError(`${config.source}: "${key}" must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

function stdOf(config: JsonDocument, key: string): number {
  const value = config.get(key) ?? 0.02;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new CheckpointContentError(`${config.source}: "${key}" must be a number ≥ 0, got ${describeValue(value)}`);
  }
  return value;
}

const zeros: HeadInit = { kind: "fill", value: 0 };
const ones: HeadInit = { kind: "fill", value: 1 };

/**
 * Wav2Vec2ForSequenceClassification and its copies (HuBERT, WavLM, Data2VecAudio, UniSpeech,
 * UniSpeechSat, Wav2Vec2Conformer) and WhisperForAudioClassification: optional layer weights
 * (ones / (layers + 1), set at construction), projector hidden → classifier_proj_size, classifier
 * → labels; nn.Linear weights N(0, std²), biases zero.
 */
function projectorHead(modelType: string, architecture: string, initKey: "initializer_range" | "init_std", hiddenKey: string, defaults: { hidden: number; layers: number }): ClassificationHead {
  return {
    modelType,
    architecture,
    initKey,
    parameters(config, numLabels) {
      const hidden = intOf(config, hiddenKey, defaults.hidden);
      const proj = intOf(config, "classifier_proj_size", 256);
      const std = stdOf(config, initKey);
      const params: HeadParameter[] = [];
      if (config.get("use_weighted_layer_sum") === true) {
        const layers = intOf(config, "num_hidden_layers", defaults.layers) + 1;
        params.push({ name: "layer_weights", shape: [layers], init: { kind: "fill", value: 1 / layers }, labelDependent: false });
      }
      params.push(
        { name: "projector.weight", shape: [proj, hidden], init: { kind: "normal", std }, labelDependent: false },
        { name: "projector.bias", shape: [proj], init: zeros, labelDependent: false },
        { name: "classifier.weight", shape: [numLabels, proj], init: { kind: "normal", std }, labelDependent: true },
        { name: "classifier.bias", shape: [numLabels], init: zeros, labelDependent: true },
      );
      return params;
    },
  };
}

/** ASTForAudioClassification: ASTMLPHead = LayerNorm + Linear; Linear weights trunc_normal_(std) within [-2, 2]. */
const astHead: ClassificationHead = {
  modelType: "audio-spectrogram-transformer",
  architecture: "ASTForAudioClassification",
  initKey: "initializer_range",
  parameters(config, numLabels) {
    const hidden = intOf(config, "hidden_size", 768);
    const std = stdOf(config, "initializer_range");
    return [
      { name: "classifier.layernorm.weight", shape: [hidden], init: ones, labelDependent: false },
      { name: "classifier.layernorm.bias", shape: [hidden], init: zeros, labelDependent: false },
      { name: "classifier.dense.weight", shape: [numLabels, hidden], init: { kind: "normal", std, truncate: [-2, 2] }, labelDependent: true },
      { name: "classifier.dense.bias", shape: [numLabels], init: zeros, labelDependent: true },
    ];
  },
};

const HEADS: readonly ClassificationHead[] = [
  astHead,
  projectorHead("wav2vec2", "Wav2Vec2ForSequenceClassification", "initializer_range", "hidden_size", { hidden: 768, layers: 12 }),
  projectorHead("hubert", "HubertForSequenceClassification", "initializer_range", "hidden_size", { hidden: 768, layers: 12 }),
  projectorHead("wavlm", "WavLMForSequenceClassification", "initializer_range", "hidden_size", { hidden: 768, layers: 12 }),
  projectorHead("data2vec-audio", "Data2VecAudioForSequenceClassification", "initializer_range", "hidden_size", { hidden: 768, layers: 12 }),
  projectorHead("unispeech", "UniSpeechForSequenceClassification", "initializer_range", "hidden_size", { hidden: 768, layers: 12 }),
  projectorHead("unispeech-sat", "UniSpeechSatForSequenceClassification", "initializer_range", "hidden_size", { hidden: 768, layers: 12 }),
  projectorHead("wav2vec2-conformer", "Wav2Vec2ConformerForSequenceClassification", "initializer_range", "hidden_size", { hidden: 1024, layers: 24 }),
  projectorHead("whisper", "WhisperForAudioClassification", "init_std", "d_model", { hidden: 384, layers: 4 }),
];

/** The head of `modelType`, or undefined for types without an audio-classification head here. */
export function classificationHeadFor(modelType: unknown): ClassificationHead | undefined {
  return HEADS.find((h) => h.modelType === modelType);
}

export function classificationModelTypes(): string[] {
  return HEADS.map((h) => h.modelType);
}
