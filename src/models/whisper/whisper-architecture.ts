/**
 * WhisperForAudioClassification (model_type "whisper"): the Whisper encoder, the last hidden
 * state or a softmax-weighted sum of all hidden states (use_weighted_layer_sum), projector, mean
 * over time, classifier.
 */
import { GraphBuilder, type GraphModel, type Value } from "../../graph/index.js";
import { type Weights, linear } from "../../nn/index.js";
import type { ArchitectureBuildOptions } from "../architecture.js";
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";
import { WHISPER_FRAMES_PER_POSITION, type WhisperSettings, readWhisperSettings } from "./whisper-config.js";
import { type WhisperTrainingSettings, whisperEncoder } from "./whisper-encoder.js";

/**
 * Where the backbone sits in WhisperForAudioClassification checkpoints: the model holds
 * `encoder.` directly (transformers' base_model_prefix "model" belongs to WhisperModel).
 */
export const WHISPER_ENCODER_PREFIX = "encoder";

/** softmax(layer_weights)-weighted sum of the hidden states, stacked on axis 1 as transformers does. */
function weightedLayerSum(g: GraphBuilder, weights: Weights, hiddenStates: readonly Value[]): Value {
  const count = hiddenStates.length;
  const layerWeights = g.softmax(weights.param(g, "layer_weights", [count]), -1);
  const stacked = g.concat(hiddenStates.map((h) => g.unsqueeze(h, [1])), 1);
  return g.reduceSum(g.mul(stacked, g.reshape(layerWeights, [count, 1, 1])), [1], { keepDims: false });
}

/**
 * A speech-recognition checkpoint (WhisperForConditionalGeneration / WhisperModel: model.encoder.*,
 * model.decoder.*) has no classification head; say so instead of reporting a missing weight. The
 * names may arrive with the loader's "encoder." prefix added in front.
 */
function rejectSpeechRecognitionCheckpoint(weights: Weights, s: WhisperSettings): void {
  if (weights.has(`${WHISPER_ENCODER_PREFIX}.conv1.weight`)) return;
  const seq2seq = weights.allNames().some((n) => n.endsWith("model.encoder.conv1.weight") || /(^|\.)model\.decoder\./.test(n));
  if (!seq2seq) return;
  throw new ModelConfigError(
    `this checkpoint holds a Whisper speech-recognition model (weights model.encoder.*, model.decoder.*), not a WhisperForAudioClassification: ` +
      `it has no projector (${s.dModel} → ${s.classifierProjSize}) or classifier to produce labels. ` +
      `Use a checkpoint fine-tuned for audio classification (weights encoder.*, projector.*, classifier.*), or fine-tune this one first`,
  );
}

/** transformers' WhisperConfig defaults: no dropout, no LayerDrop. */
export function readWhisperTrainingSettings(config: ModelConfig): WhisperTrainingSettings {
  return {
    dropout: config.probability("dropout", 0),
    attentionDropout: config.probability("attention_dropout", 0),
    activationDropout: config.probability("activation_dropout", 0),
    layerDrop: config.probability("encoder_layerdrop", 0, { inclusive: true }),
  };
}

export function buildWhisper(config: ModelConfig, weights: Weights, options: ArchitectureBuildOptions = {}): GraphModel {
  const s = readWhisperSettings(config);
  rejectSpeechRecognitionCheckpoint(weights, s);
  const g = new GraphBuilder({ name: "WhisperForAudioClassification" });
  const inputFeatures = g.input("input_features", "float32", ["batch", s.numMelBins, s.maxSourcePositions * WHISPER_FRAMES_PER_POSITION]);
  const training = options.training === true ? readWhisperTrainingSettings(config) : undefined;
  const encoder = g.scope("encoder", () => whisperEncoder(g, weights.scope(WHISPER_ENCODER_PREFIX), s, inputFeatures, { fused: options.fused, training }));
  const hidden = s.useWeightedLayerSum ? weightedLayerSum(g, weights, encoder.hiddenStates) : encoder.lastHiddenState;
  weights.tensor("projector.weight", [s.classifierProjSize, s.dModel]);
  weights.tensor("classifier.weight", [s.numLabels, s.classifierProjSize]);
  const projected = linear(g, weights, "projector", hidden);
  const pooled = g.reduceMean(projected, [1], { keepDims: false });
  g.output("logits", linear(g, weights, "classifier", pooled));
  return g.build({ metadata: { model_type: "whisper", architecture: "WhisperForAudioClassification" } });
}
