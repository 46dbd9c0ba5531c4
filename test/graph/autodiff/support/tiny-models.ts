// Tiny stand-ins for the real architectures, built from src/nn pieces with Hugging Face
// parameter names and random weights: an AST-like ViT, a wav2vec2/WavLM-like encoder (conv
// feature encoder with group norm, weight-normed positional conv, WavLM's gated relative
// position bias) and a Whisper-encoder-like classifier. Small enough for float64 central
// differences over every parameter tensor.
import { type GraphModel, GraphBuilder, type GraphTensor, type Value } from "../../../../src/graph/index.js";
import {
  BART_ATTENTION_NAMES, BERT_ATTENTION_NAMES, type LinearForm, Weights, activation, conv1d, conv2d, feedForward, groupNorm, layerNorm, linear, selfAttention, weightNorm,
} from "../../../../src/nn/index.js";
import { randomFloats } from "../../support/random.js";

export interface TinyOptions {
  /** Fused com.microsoft.MultiHeadAttention instead of the unfused ops. */
  readonly fused?: boolean;
  readonly linearForm?: LinearForm;
  /** Dropout probability at the hidden-state sites (0: no Dropout nodes). */
  readonly dropout?: number;
  readonly numLabels?: number;
}

/** Random weights by Hugging Face name: uniform ±scale around `offset` (1 for norm scales). */
class WeightFactory {
  readonly map = new Map<string, GraphTensor>();
  private seed = 100;

  add(name: string, dims: number[], scale = 0.4, offset = 0): void {
    const n = dims.reduce((p, d) => p * d, 1);
    this.map.set(name, { type: "float32", dims, data: randomFloats(n, this.seed++, scale).map((v) => v + offset) });
  }

  linear(name: string, out: number, inputs: number, bias = true): void {
    this.add(`${name}.weight`, [out, inputs], 1 / Math.sqrt(inputs));
    if (bias) this.add(`${name}.bias`, [out], 0.1);
  }

  norm(name: string, dims: number[]): void {
    this.add(`${name}.weight`, dims, 0.2, 1);
    this.add(`${name}.bias`, dims, 0.1);
  }
}

const HIDDEN = 8;
const HEADS = 2;
const FFN = 16;

function attentionWeights(w: WeightFactory, name: string, names: typeof BART_ATTENTION_NAMES, keyBias = true): void {
  w.linear(`${name}.${names.query}`, HIDDEN, HIDDEN);
  w.linear(`${name}.${names.key}`, HIDDEN, HIDDEN, keyBias);
  w.linear(`${name}.${names.value}`, HIDDEN, HIDDEN);
  w.linear(`${name}.${names.output}`, HIDDEN, HIDDEN);
}

/** AST: patch-embedding Conv2d over [mel, frames], CLS + distillation tokens, pre-LN ViT layers. */
export function tinyAst(options: TinyOptions = {}): GraphModel {
  const [frames, mel, patch, stride, layers, labels] = [10, 6, 4, 2, 2, options.numLabels ?? 3];
  const patches = (Math.floor((mel - patch) / stride) + 1) * (Math.floor((frames - patch) / stride) + 1);
  const w = new WeightFactory();
  w.add("audio_spectrogram_transformer.embeddings.patch_embeddings.projection.weight", [HIDDEN, 1, patch, patch], 0.3);
  w.add("audio_spectrogram_transformer.embeddings.patch_embeddings.projection.bias", [HIDDEN], 0.1);
  w.add("audio_spectrogram_transformer.embeddings.cls_token", [1, 1, HIDDEN], 0.5);
  w.add("audio_spectrogram_transformer.embeddings.distillation_token", [1, 1, HIDDEN], 0.5);
  w.add("audio_spectrogram_transformer.embeddings.position_embeddings", [1, patches + 2, HIDDEN], 0.3);
  for (let i = 0; i < layers; i++) {
    const p = `audio_spectrogram_transformer.encoder.layer.${i}`;
    w.norm(`${p}.layernorm_before`, [HIDDEN]);
    attentionWeights(w, `${p}.attention`, BERT_ATTENTION_NAMES);
    w.norm(`${p}.layernorm_after`, [HIDDEN]);
    w.linear(`${p}.intermediate.dense`, FFN, HIDDEN);
    w.linear(`${p}.output.dense`, HIDDEN, FFN);
  }
  w.norm("audio_spectrogram_transformer.layernorm", [HIDDEN]);
  w.norm("classifier.layernorm", [HIDDEN]);
  w.linear("classifier.dense", labels, HIDDEN);

  const g = new GraphBuilder({ name: "tiny-ast" });
  const weights = Weights.from(w.map);
  const e = weights.scope("audio_spectrogram_transformer.embeddings");
  const x = g.input("input_values", "float32", ["batch", frames, mel]);
  const image = g.transpose(g.unsqueeze(x, [1]), [0, 1, 3, 2]);
  const embedded = conv2d(g, e, "patch_embeddings.projection", image, { stride });
  let h = g.transpose(g.reshape(embedded, [0, HIDDEN, -1]), [0, 2, 1]);
  const batch = g.shape(x, 0, 1);
  const token = (name: string): Value => g.expand(e.param(g, name), g.concat([batch, g.vector([1, HIDDEN])], 0));
  h = g.concat([token("cls_token"), token("distillation_token"), h], 1);
  h = g.dropout(g.add(h, e.param(g, "position_embeddings")), options.dropout ?? 0);
  for (let i = 0; i < layers; i++) {
    const l = weights.scope(`audio_spectrogram_transformer.encoder.layer.${i}`);
    const attended = selfAttention(g, l, "attention", layerNorm(g, l, "layernorm_before", h, { epsilon: 1e-12 }), {
      numHeads: HEADS, names: BERT_ATTENTION_NAMES, scaleAt: "scores", fused: options.fused, linearForm: options.linearForm,
    });
    h = g.add(h, g.dropout(attended, options.dropout ?? 0));
    const ffn = feedForward(g, l, "", layerNorm(g, l, "layernorm_after", h, { epsilon: 1e-12 }), { intermediate: "intermediate.dense", output: "output.dense", linearForm: options.linearForm });
    h = g.add(h, g.dropout(ffn, options.dropout ?? 0));
  }
  h = layerNorm(g, weights, "audio_spectrogram_transformer.layernorm", h, { epsilon: 1e-12 });
  const pooled = g.div(g.add(g.gather(h, 0, 1), g.gather(h, 1, 1)), 2);
  const logits = linear(g, weights, "classifier.dense", layerNorm(g, weights, "classifier.layernorm", pooled, { epsilon: 1e-12 }), { form: options.linearForm });
  g.output("logits", logits);
  return g.build();
}

/**
 * WavLM's gated relative position bias for a [B, T, D] input: bucketed relative positions pick
 * rows of rel_attn_embed (a Gather with many repeated indices), gated per head by a sigmoid of
 * the hidden states. Returns [B, H, T, T].
 */
function gatedPositionBias(g: GraphBuilder, w: Weights, x: Value, numBuckets: number, maxDistance: number): Value {
  const time = g.squeeze(g.shape(x, 1, 2), [0]);
  const positions = g.range(0, time);
  const relative = g.sub(g.unsqueeze(positions, [0]), g.unsqueeze(positions, [1]));
  const half = numBuckets / 2;
  const maxExact = half / 2;
  let buckets = g.mul(g.cast(g.greater(relative, 0), "int64"), half);
  const distance = g.abs(relative);
  const large = g.cast(g.add(g.mul(g.div(g.log(g.div(g.cast(distance, "float32"), maxExact)), Math.log(maxDistance / maxExact)), half - maxExact), maxExact), "int64");
  buckets = g.add(buckets, g.where(g.less(distance, maxExact), distance, g.min(large, half - 1)));
  const bias = g.transpose(g.gather(w.param(g, "rel_attn_embed.weight"), buckets, 0), [2, 0, 1]);
  const headSize = HIDDEN / HEADS;
  const perHead = g.transpose(g.reshape(x, [0, 0, HEADS, headSize]), [0, 2, 1, 3]);
  const projected = g.reduceSum(g.reshape(linear(g, w, "gru_rel_pos_linear", perHead, { form: "matmul" }), [0, 0, 0, 2, 4]), [-1], { keepDims: false });
  const [gateA, gateB] = g.split(g.sigmoid(projected), 2, -1);
  const gate = g.add(g.mul(gateA!, g.sub(g.mul(gateB!, w.param(g, "gru_rel_pos_const")), 1)), 2);
  return g.mul(gate, g.unsqueeze(bias, [0]));
}

/**
 * wav2vec2/WavLM: conv feature encoder (group norm on the first layer), feature projection,
 * weight-normed grouped positional conv, post-LN layers (the first with WavLM's gated position
 * bias when `wavlm`), projector, mean pooling, classifier.
 */
export function tinyWav2Vec2(options: TinyOptions & { wavlm?: boolean } = {}): GraphModel {
  const [conv0, conv1, layers, labels, buckets] = [6, 8, 2, options.numLabels ?? 3, 8];
  const w = new WeightFactory();
  w.add("wav2vec2.feature_extractor.conv_layers.0.conv.weight", [conv0, 1, 5], 0.5);
  w.norm("wav2vec2.feature_extractor.conv_layers.0.layer_norm", [conv0]);
  w.add("wav2vec2.feature_extractor.conv_layers.1.conv.weight", [conv1, conv0, 3], 0.3);
  w.norm("wav2vec2.feature_projection.layer_norm", [conv1]);
  w.linear("wav2vec2.feature_projection.projection", HIDDEN, conv1);
  w.add("wav2vec2.encoder.pos_conv_embed.conv.weight_g", [1, 1, 4], 0.3, 1);
  w.add("wav2vec2.encoder.pos_conv_embed.conv.weight_v", [HIDDEN, HIDDEN / 2, 4], 0.4);
  w.add("wav2vec2.encoder.pos_conv_embed.conv.bias", [HIDDEN], 0.1);
  w.norm("wav2vec2.encoder.layer_norm", [HIDDEN]);
  for (let i = 0; i < layers; i++) {
    const p = `wav2vec2.encoder.layers.${i}`;
    attentionWeights(w, `${p}.attention`, BART_ATTENTION_NAMES);
    w.norm(`${p}.layer_norm`, [HIDDEN]);
    w.linear(`${p}.feed_forward.intermediate_dense`, FFN, HIDDEN);
    w.linear(`${p}.feed_forward.output_dense`, HIDDEN, FFN);
    w.norm(`${p}.final_layer_norm`, [HIDDEN]);
  }
  if (options.wavlm) {
    w.add("wav2vec2.encoder.layers.0.attention.rel_attn_embed.weight", [buckets, HEADS], 0.5);
    w.linear("wav2vec2.encoder.layers.0.attention.gru_rel_pos_linear", 8, HIDDEN / HEADS);
    w.add("wav2vec2.encoder.layers.0.attention.gru_rel_pos_const", [1, HEADS, 1, 1], 0.3, 1);
  }
  w.linear("projector", 6, HIDDEN);
  w.linear("classifier", labels, 6);

  const g = new GraphBuilder({ name: options.wavlm ? "tiny-wavlm" : "tiny-wav2vec2" });
  const weights = Weights.from(w.map);
  const fe = weights.scope("wav2vec2.feature_extractor.conv_layers");
  const audio = g.input("input_values", "float32", ["batch", "samples"]);
  let h = conv1d(g, fe, "0.conv", g.unsqueeze(audio, [1]), { stride: 3, bias: false });
  h = activation(g, groupNorm(g, fe, "0.layer_norm", h, { numGroups: conv0 }), "gelu");
  h = activation(g, conv1d(g, fe, "1.conv", h, { stride: 2, bias: false }), "gelu");
  h = g.transpose(h, [0, 2, 1]);
  const fp = weights.scope("wav2vec2.feature_projection");
  h = g.dropout(linear(g, fp, "projection", layerNorm(g, fp, "layer_norm", h), { form: options.linearForm }), options.dropout ?? 0);
  const enc = weights.scope("wav2vec2.encoder");
  const posWeight = weightNorm(g, enc, "pos_conv_embed.conv", { dim: 2 });
  let pos = conv1d(g, enc, "pos_conv_embed.conv", g.transpose(h, [0, 2, 1]), { padding: 2, groups: 2, weight: posWeight });
  pos = activation(g, g.sliceAxis(pos, 2, 0, -1), "gelu"); // Wav2Vec2SamePadLayer drops the last frame
  h = g.dropout(layerNorm(g, enc, "layer_norm", g.add(h, g.transpose(pos, [0, 2, 1]))), options.dropout ?? 0);
  for (let i = 0; i < layers; i++) {
    const l = enc.scope(`layers.${i}`);
    const positionBias = options.wavlm && i === 0 ? gatedPositionBias(g, l.scope("attention"), h, buckets, 20) : undefined;
    const attended = selfAttention(g, l, "attention", h, { numHeads: HEADS, positionBias, fused: options.fused, linearForm: options.linearForm });
    h = layerNorm(g, l, "layer_norm", g.add(h, g.dropout(attended, options.dropout ?? 0)));
    const ffn = feedForward(g, l, "feed_forward", h, { intermediate: "intermediate_dense", output: "output_dense", linearForm: options.linearForm });
    h = layerNorm(g, l, "final_layer_norm", g.add(h, ffn));
  }
  const pooled = g.reduceMean(linear(g, weights, "projector", h, { form: options.linearForm }), [1], { keepDims: false });
  g.output("logits", linear(g, weights, "classifier", pooled, { form: options.linearForm }));
  return g.build();
}

/** Whisper encoder: two convs (the second strided), learned positions, pre-LN layers (k_proj without bias). */
export function tinyWhisperEncoder(options: TinyOptions = {}): GraphModel {
  const [mel, frames, layers, labels] = [4, 12, 2, options.numLabels ?? 3];
  const positions = frames / 2;
  const w = new WeightFactory();
  w.add("encoder.conv1.weight", [HIDDEN, mel, 3], 0.4);
  w.add("encoder.conv1.bias", [HIDDEN], 0.1);
  w.add("encoder.conv2.weight", [HIDDEN, HIDDEN, 3], 0.25);
  w.add("encoder.conv2.bias", [HIDDEN], 0.1);
  w.add("encoder.embed_positions.weight", [positions, HIDDEN], 0.3);
  for (let i = 0; i < layers; i++) {
    const p = `encoder.layers.${i}`;
    w.norm(`${p}.self_attn_layer_norm`, [HIDDEN]);
    attentionWeights(w, `${p}.self_attn`, BART_ATTENTION_NAMES, false);
    w.norm(`${p}.final_layer_norm`, [HIDDEN]);
    w.linear(`${p}.fc1`, FFN, HIDDEN);
    w.linear(`${p}.fc2`, HIDDEN, FFN);
  }
  w.norm("encoder.layer_norm", [HIDDEN]);
  w.linear("projector", 6, HIDDEN);
  w.linear("classifier", labels, 6);

  const g = new GraphBuilder({ name: "tiny-whisper" });
  const weights = Weights.from(w.map);
  const enc = weights.scope("encoder");
  const features = g.input("input_features", "float32", ["batch", mel, frames]);
  let h = activation(g, conv1d(g, enc, "conv1", features, { padding: 1 }), "gelu");
  h = activation(g, conv1d(g, enc, "conv2", h, { padding: 1, stride: 2 }), "gelu");
  h = g.add(g.transpose(h, [0, 2, 1]), enc.param(g, "embed_positions.weight"));
  for (let i = 0; i < layers; i++) {
    const l = enc.scope(`layers.${i}`);
    const attended = selfAttention(g, l, "self_attn", layerNorm(g, l, "self_attn_layer_norm", h), {
      numHeads: HEADS, bias: { key: false }, fused: options.fused, linearForm: options.linearForm,
    });
    h = g.add(h, g.dropout(attended, options.dropout ?? 0));
    h = g.add(h, feedForward(g, l, "", layerNorm(g, l, "final_layer_norm", h), { intermediate: "fc1", output: "fc2", linearForm: options.linearForm }));
  }
  h = layerNorm(g, enc, "layer_norm", h);
  const pooled = g.reduceMean(linear(g, weights, "projector", h, { form: options.linearForm }), [1], { keepDims: false });
  g.output("logits", linear(g, weights, "classifier", pooled, { form: options.linearForm }));
  return g.build();
}
