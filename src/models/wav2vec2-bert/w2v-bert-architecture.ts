/**
 * Wav2Vec2BertForSequenceClassification (model_type "wav2vec2-bert"): input_features [batch,
 * frames, 160] (SeamlessM4TFeatureExtractor's stacked fbank pairs) and attention_mask [batch,
 * frames] → feature projection (LayerNorm, Linear) → [SpecAugment] → padded frames zeroed,
 * dropout, Conformer blocks (w2v-bert-layer.ts; LayerDrop in training) → the wav2vec2 head
 * (projector, mean over the valid frames, classifier). Hidden states for use_weighted_layer_sum:
 * [input, block 1, …, block N]. No final LayerNorm.
 */
import { GraphBuilder, type GraphModel, type Value } from "../../graph/index.js";
import { additiveAttentionMask, layerNorm, type Weights } from "../../nn/index.js";
import type { ArchitectureBuildOptions } from "../architecture.js";
import { layerDropGate } from "../layer-drop.js";
import type { ModelConfig } from "../model-config.js";
import { type SpeechTrainingSettings, applySpecAugment, checkedLinear, readSpeechTrainingSettings, sequenceClassificationHead, skipTrainingOnlyWeights, zeroInvalid } from "../speech-encoder/index.js";
import { relativeShiftIndex } from "../wav2vec2-conformer/conformer-attention.js";
import { relativePositionEmbeddings, rotaryEmbeddings } from "../wav2vec2-conformer/conformer-positions.js";
import { type W2vBertConfig, readW2vBertConfig } from "./w2v-bert-config.js";
import { type W2vBertPositionInputs, distanceIndex, w2vBertLayer } from "./w2v-bert-layer.js";

export const W2V_BERT_PREFIX = "wav2vec2_bert";

/** Wav2Vec2BertModel passes the attention mask to SpecAugment. */
export function readW2vBertTrainingSettings(config: ModelConfig): SpeechTrainingSettings {
  return readSpeechTrainingSettings(config, { maskTimeOverValidFrames: true });
}

function positionInputs(g: GraphBuilder, config: W2vBertConfig, x: Value): W2vBertPositionInputs {
  switch (config.positionEmbeddings) {
    case "relative_key":
      return { kind: "relative_key", distanceIndex: distanceIndex(g, x, config) };
    case "relative":
      return { kind: "relative", embeddings: relativePositionEmbeddings(g, x, config.hiddenSize), shiftIndex: relativeShiftIndex(g, x) };
    case "rotary":
      return { kind: "rotary", ...rotaryEmbeddings(g, x, config.hiddenSize / config.numHeads, config.rotaryBase) };
    default:
      return { kind: "none" };
  }
}

export function buildW2vBert(config: ModelConfig, weights: Weights, options: ArchitectureBuildOptions = {}): GraphModel {
  const c = readW2vBertConfig(config);
  const g = new GraphBuilder({ name: "Wav2Vec2BertForSequenceClassification" });
  const inputFeatures = g.input("input_features", "float32", ["batch", "frames", c.inputDim]);
  const attentionMask = g.input("attention_mask", "int64", ["batch", "frames"]);
  skipTrainingOnlyWeights(weights, W2V_BERT_PREFIX);
  const base = weights.scope(W2V_BERT_PREFIX);
  const training = options.training === true ? readW2vBertTrainingSettings(config) : undefined;
  let h = g.scope("feature_projection", () => {
    const w = base.scope("feature_projection");
    return checkedLinear(g, w, "projection", layerNorm(g, w, "layer_norm", inputFeatures, { epsilon: c.layerNormEps }), c.hiddenSize);
  });
  if (training) h = applySpecAugment(g, base, training, g.dropout(h, training.featProjDropout));
  const valid = g.scope("frame_mask", () => g.equal(g.cast(attentionMask, "int64"), 1));
  const encoderWeights = base.scope("encoder");
  const states = g.scope("encoder", () => {
    const dropout = {
      hidden: training?.hiddenDropout ?? 0,
      activation: training?.activationDropout ?? 0,
      attention: training?.attentionDropout ?? 0,
      conv: training ? config.probability("conformer_conv_dropout", 0.1) : 0,
    };
    const x = g.dropout(zeroInvalid(g, h, valid, "time-major"), dropout.hidden);
    const positions = positionInputs(g, c, x);
    const mask = g.scope("attention_mask", () => additiveAttentionMask(g, valid));
    const gate = training !== undefined && training.layerDrop > 0 ? layerDropGate(g, c.numLayers) : undefined;
    const out: Value[] = [x];
    let state = x;
    for (let i = 0; i < c.numLayers; i++) {
      const name = `layers.${i}`;
      const input = state;
      const output = g.scope(name, () => w2vBertLayer(g, encoderWeights.scope(name), c, input, valid, mask, positions, dropout));
      state = gate === undefined ? output : gate(i, input, output);
      out.push(state);
    }
    return out;
  });
  g.output("logits", sequenceClassificationHead(g, weights, c, states, valid));
  return g.build({ metadata: { model_type: "wav2vec2-bert", architecture: "Wav2Vec2BertForSequenceClassification" } });
}
