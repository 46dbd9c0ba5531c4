/**
 * Wav2Vec2ConformerForSequenceClassification (model_type "wav2vec2-conformer"): wav2vec2's conv
 * feature encoder and feature projection ([SpecAugment]), then the Conformer encoder — padded
 * frames zeroed, dropout, position embeddings for the sequence, Conformer blocks (LayerDrop in
 * training), a final LayerNorm — and the wav2vec2 head. The checkpoint's `pos_conv_embed` is
 * constructed by transformers but never applied by its Conformer encoder, so it is skipped here
 * too. Hidden states for use_weighted_layer_sum: [input, block 1, …, block N−1, LN(block N)].
 */
import { GraphBuilder, type GraphModel, type Value } from "../../graph/index.js";
import { additiveAttentionMask, layerNorm, type Weights } from "../../nn/index.js";
import type { ArchitectureBuildOptions } from "../architecture.js";
import { layerDropGate } from "../layer-drop.js";
import type { ModelConfig } from "../model-config.js";
import {
  type SpeechTrainingSettings,
  appendReceptiveFieldPadding,
  applySpecAugment,
  convOutputLengths,
  featureEncoder,
  featureProjection,
  readSpeechTrainingSettings,
  receptiveField,
  sampleCounts,
  sequenceClassificationHead,
  skipTrainingOnlyWeights,
  validFrames,
  zeroInvalid,
} from "../speech-encoder/index.js";
import { type ConformerPositionInputs, relativeShiftIndex } from "./conformer-attention.js";
import { type ConformerConfig, readConformerConfig } from "./conformer-config.js";
import { conformerLayer } from "./conformer-layer.js";
import { relativePositionEmbeddings, rotaryEmbeddings } from "./conformer-positions.js";

export const CONFORMER_PREFIX = "wav2vec2_conformer";

/** Wav2Vec2ConformerModel passes the attention mask to SpecAugment, as wav2vec2. */
export function readConformerTrainingSettings(config: ModelConfig): SpeechTrainingSettings {
  return readSpeechTrainingSettings(config, { maskTimeOverValidFrames: true });
}

function positionInputs(g: GraphBuilder, weights: Weights, config: ConformerConfig, x: Value): ConformerPositionInputs {
  if (config.positionEmbeddings === "relative") return { kind: "relative", embeddings: relativePositionEmbeddings(g, x, config.hiddenSize), shiftIndex: relativeShiftIndex(g, x) };
  if (config.positionEmbeddings === "rotary") {
    const head = config.hiddenSize / config.numHeads;
    const saved = weights.has("embed_positions.inv_freq") ? weights.param(g, "embed_positions.inv_freq", [head / 2]) : undefined;
    return { kind: "rotary", ...rotaryEmbeddings(g, x, head, config.rotaryBase, saved) };
  }
  return { kind: "none" };
}

function conformerEncoder(g: GraphBuilder, weights: Weights, config: ConformerConfig, h: Value, valid: Value, training: SpeechTrainingSettings | undefined, modelConfig: ModelConfig): Value[] {
  return g.scope("encoder", () => {
    const dropout = {
      hidden: training?.hiddenDropout ?? 0,
      activation: training?.activationDropout ?? 0,
      attention: training?.attentionDropout ?? 0,
      conv: training ? modelConfig.probability("conformer_conv_dropout", 0.1) : 0,
    };
    const x = g.dropout(zeroInvalid(g, h, valid, "time-major"), dropout.hidden);
    const positions = positionInputs(g, weights, config, x);
    const mask = g.scope("attention_mask", () => additiveAttentionMask(g, valid));
    const gate = training !== undefined && training.layerDrop > 0 ? layerDropGate(g, config.numLayers) : undefined;
    const states: Value[] = [x];
    let state = x;
    for (let i = 0; i < config.numLayers; i++) {
      const name = `layers.${i}`;
      const input = state;
      const output = g.scope(name, () => conformerLayer(g, weights.scope(name), config, input, valid, mask, positions, dropout));
      state = gate === undefined ? output : gate(i, input, output);
      states.push(state);
    }
    states[states.length - 1] = layerNorm(g, weights, "layer_norm", state, { epsilon: config.layerNormEps });
    return states;
  });
}

export function buildConformer(config: ModelConfig, weights: Weights, options: ArchitectureBuildOptions = {}): GraphModel {
  const c = readConformerConfig(config);
  const g = new GraphBuilder({ name: "Wav2Vec2ConformerForSequenceClassification" });
  const inputValues = g.input("input_values", "float32", ["batch", "time"]);
  const attentionMask = g.input("attention_mask", "int64", ["batch", "time"]);
  skipTrainingOnlyWeights(weights, CONFORMER_PREFIX);
  for (const name of weights.allNames()) if (name.startsWith(`${CONFORMER_PREFIX}.encoder.pos_conv_embed.`)) weights.skip(name);
  const base = weights.scope(CONFORMER_PREFIX);
  const lengths = g.scope("frame_lengths", () => convOutputLengths(g, sampleCounts(g, attentionMask), c.convKernel, c.convStride));
  const samples = g.scope("short_clip_padding", () => appendReceptiveFieldPadding(g, inputValues, receptiveField(c.convKernel, c.convStride)));
  const features = featureEncoder(g, base.scope("feature_extractor"), c, samples, lengths);
  const training = options.training === true ? readConformerTrainingSettings(config) : undefined;
  let projected = featureProjection(g, base.scope("feature_projection"), c, features);
  if (training) projected = applySpecAugment(g, base, training, g.dropout(projected, training.featProjDropout));
  const valid = g.scope("frame_mask", () => validFrames(g, lengths[lengths.length - 1]!, projected, 1));
  const states = conformerEncoder(g, base.scope("encoder"), c, projected, valid, training, config);
  g.output("logits", sequenceClassificationHead(g, weights, c, states, valid));
  return g.build({ metadata: { model_type: "wav2vec2-conformer", architecture: "Wav2Vec2ConformerForSequenceClassification" } });
}
