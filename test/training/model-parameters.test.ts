// Parameters from a config (src/models <family>/…-parameters.ts) and fresh initialisation: the
// lists match what transformers saved for every public fixture, cover exactly what the builders
// read for every layout, and the initial values have transformers' `_init_weights` distributions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { GraphTensor } from "../../src/graph/index.js";
import { ModelConfig, architectureFor, initializeParameters, sinusoids, type ParameterSpec } from "../../src/models/index.js";
import { Weights } from "../../src/nn/index.js";
import { Rng } from "../../src/training/index.js";
import type { Tensor } from "../../src/tensor.js";
import { loadWeights } from "../../src/weights/index.js";
import { FIXTURE_ROOT } from "../helpers/fixtures.js";
import { tinyWav2Vec2Config } from "../models/support/tiny-wav2vec2-checkpoint.js";

const config = (raw: Record<string, unknown>): ModelConfig => new ModelConfig(raw);

for (const name of ["ast", "wav2vec2", "hubert", "wavlm", "whisper"]) {
  test(`${name} fixture: parameters(config) lists exactly the checkpoint's tensors, names and shapes (weight_g/weight_v kept)`, async () => {
    const dir = join(FIXTURE_ROOT, "models", name);
    const c = await ModelConfig.fromFile(join(dir, "config.json"));
    const architecture = architectureFor(c);
    const map = await loadWeights(dir, { basePrefix: architecture.basePrefix(c), modelHasBasePrefix: true, weightNorm: "keep" });
    try {
      const actual = new Map(map.names().map((n) => [n, [...map.getTensor(n).dims]]));
      const listed = new Map(architecture.parameters(c).map((s) => [s.name, [...s.shape]]));
      assert.deepEqual([...listed.keys()].sort(), [...actual.keys()].sort());
      for (const [n, shape] of listed) assert.deepEqual(shape, actual.get(n), n);
    } finally {
      map.source.close();
    }
  });
}

const LAYOUTS: Record<string, Record<string, unknown>> = {
  "wav2vec2 large layout + adapter + weighted sum": tinyWav2Vec2Config("wav2vec2", { feat_extract_norm: "layer", do_stable_layer_norm: true, adapter_attn_dim: 6, use_weighted_layer_sum: true, conv_bias: true }),
  "hubert conv_pos_batch_norm, no projection norm": tinyWav2Vec2Config("hubert", { conv_pos_batch_norm: true, feat_proj_layer_norm: false, num_conv_pos_embeddings: 5 }),
  "wavlm": tinyWav2Vec2Config("wavlm", { num_hidden_layers: 2 }),
  "data2vec-audio": tinyWav2Vec2Config("data2vec-audio"),
  "wav2vec2 without SpecAugment": tinyWav2Vec2Config("wav2vec2", { mask_time_prob: 0 }),
  "ast": { model_type: "audio-spectrogram-transformer", hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 32, num_mel_bins: 16, max_length: 24, patch_size: 8, frequency_stride: 4, time_stride: 8, id2label: { 0: "a", 1: "b" } },
  "whisper with weighted layer sum": { model_type: "whisper", d_model: 16, encoder_layers: 2, encoder_attention_heads: 2, encoder_ffn_dim: 32, num_mel_bins: 8, max_source_positions: 8, classifier_proj_size: 8, use_weighted_layer_sum: true, id2label: { 0: "a", 1: "b", 2: "c" } },
};

for (const [label, raw] of Object.entries(LAYOUTS)) {
  test(`${label}: a fresh model from parameters(config) builds (inference and training graphs) and every parameter is used`, () => {
    const c = config(raw);
    const architecture = architectureFor(c);
    const specs = architecture.parameters(c);
    const weights = initializeParameters(specs, new Rng(3));
    for (const training of [false, true]) {
      const view = Weights.from(weights as Map<string, GraphTensor>);
      const graph = architecture.build(c, view, { training });
      const used = new Set(view.usedNames());
      const inGraph = graph.values.filter((v) => v.kind === "parameter").map((v) => v.name);
      for (const n of inGraph) assert.ok(weights.has(n), `graph parameter ${n} is in the list`);
      // Only training reads masked_spec_embed; BatchNorm's step counter is never read.
      const unread = specs.map((s) => s.name).filter((n) => !used.has(n) && !(n.endsWith("masked_spec_embed") && !training) && !n.endsWith("num_batches_tracked"));
      assert.deepEqual(unread, [], `listed but never read (${training ? "training" : "inference"})`);
    }
  });
}

function stats(data: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let s2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    s += data[i]!;
    s2 += data[i]! * data[i]!;
    min = Math.min(min, data[i]!);
    max = Math.max(max, data[i]!);
  }
  const mean = s / data.length;
  return { mean, std: Math.sqrt(s2 / data.length - mean * mean), min, max };
}

/** |observed − expected| within 5 standard errors of a std estimate from n draws (≈ std/√(2n)). */
function assertStd(observed: number, expected: number, n: number, what: string): void {
  assert.ok(Math.abs(observed - expected) <= (5 * expected) / Math.sqrt(2 * n), `${what}: std ${observed}, expected ${expected}`);
}

const data = (weights: Map<string, Tensor>, name: string): Float32Array => weights.get(name)!.data as Float32Array;

test("AST fresh init: trunc_normal(0.02, ±2) for Linear and Conv2d, zeros for tokens and positions, LayerNorm 1/0", () => {
  const c = config({ ...LAYOUTS["ast"], initializer_range: 0.05 });
  const weights = initializeParameters(architectureFor(c).parameters(c), new Rng(1));
  for (const name of ["audio_spectrogram_transformer.encoder.layer.0.intermediate.dense.weight", "audio_spectrogram_transformer.embeddings.patch_embeddings.projection.weight", "classifier.dense.weight"]) {
    const s = stats(data(weights, name));
    assertStd(s.std, 0.05, data(weights, name).length, name);
    assert.ok(s.max <= 2 && s.min >= -2);
  }
  for (const name of ["audio_spectrogram_transformer.embeddings.cls_token", "audio_spectrogram_transformer.embeddings.distillation_token", "audio_spectrogram_transformer.embeddings.position_embeddings", "classifier.dense.bias"]) {
    assert.ok(data(weights, name).every((v) => v === 0), name);
  }
  assert.ok(data(weights, "audio_spectrogram_transformer.layernorm.weight").every((v) => v === 1));
  assert.ok(data(weights, "classifier.layernorm.bias").every((v) => v === 0));
});

test("trunc_normal with a huge initializer_range initialises at once, ~uniform on ±2 (found by fuzzing config.json: rejection sampling looped forever)", () => {
  for (const [std, expected] of [[1e9, 2 / Math.sqrt(3)], [3, 1.1210], [1e308, 2 / Math.sqrt(3)]] as const) {
    const c = config({ ...LAYOUTS["ast"], initializer_range: std });
    const t0 = performance.now();
    const weights = initializeParameters(architectureFor(c).parameters(c), new Rng(1));
    assert.ok(performance.now() - t0 < 2000, `initializer_range ${std} took ${(performance.now() - t0).toFixed(0)} ms`);
    const w = data(weights, "audio_spectrogram_transformer.encoder.layer.0.intermediate.dense.weight");
    const s = stats(w);
    assert.ok(s.min >= -2 && s.max <= 2, `initializer_range ${std}: values within the ±2 truncation`);
    assertStd(s.std, expected, w.length, `initializer_range ${std}`);
  }
});

test("wav2vec2 fresh init: kaiming conv, uniform projection, the positional conv's special init under weight norm, masked_spec_embed U(0,1)", () => {
  const raw = tinyWav2Vec2Config("wav2vec2", { hidden_size: 32, num_attention_heads: 2, conv_dim: [32, 32, 32], num_conv_pos_embeddings: 16, num_conv_pos_embedding_groups: 4, conv_bias: true, initializer_range: 0.03 });
  const c = config(raw);
  const weights = initializeParameters(architectureFor(c).parameters(c), new Rng(2));
  const conv1 = data(weights, "wav2vec2.feature_extractor.conv_layers.1.conv.weight");
  assertStd(stats(conv1).std, Math.sqrt(2 / (32 * 3)), conv1.length, "conv_layers.1 kaiming_normal");
  const bias = stats(data(weights, "wav2vec2.feature_extractor.conv_layers.1.conv.bias"));
  assert.ok(bias.max <= Math.sqrt(1 / 96) && bias.min >= -Math.sqrt(1 / 96), "conv bias U(±1/√fan_in)");
  const projection = stats(data(weights, "wav2vec2.feature_projection.projection.weight"));
  assert.ok(projection.max <= Math.sqrt(1 / 32) && projection.min >= -Math.sqrt(1 / 32) && projection.max > 0.8 * Math.sqrt(1 / 32), "projection U(±1/√in)");
  const v = data(weights, "wav2vec2.encoder.pos_conv_embed.conv.weight_v");
  assertStd(stats(v).std, 2 * Math.sqrt(1 / (16 * 32)), v.length, "pos conv N(0, 2/√(k·C))");
  // g = ‖v‖ over all axes but the kernel axis, so g·v/‖v‖ = v at the start
  const g = data(weights, "wav2vec2.encoder.pos_conv_embed.conv.weight_g");
  assert.equal(g.length, 16);
  for (let k = 0; k < 16; k++) {
    let norm = 0;
    for (let i = k; i < v.length; i += 16) norm += v[i]! * v[i]!;
    assert.ok(Math.abs(g[k]! - Math.sqrt(norm)) <= 1e-6 * g[k]!, `weight_g[${k}]`);
  }
  assertStd(stats(data(weights, "wav2vec2.encoder.layers.0.attention.q_proj.weight")).std, 0.03, 32 * 32, "Linear N(0, initializer_range)");
  const embed = stats(data(weights, "wav2vec2.masked_spec_embed"));
  assert.ok(embed.min >= 0 && embed.max < 1);
  assert.ok(data(weights, "wav2vec2.encoder.pos_conv_embed.conv.bias").every((x) => x === 0));
  assert.ok(data(weights, "projector.bias").every((x) => x === 0));
});

test("Whisper fresh init: N(0, init_std) weights, sinusoidal embed_positions kept out of training; same seed, same model", () => {
  const raw = LAYOUTS["whisper with weighted layer sum"]!;
  const c = config(raw);
  const specs: ParameterSpec[] = architectureFor(c).parameters(c);
  const positions = specs.find((s) => s.name === "encoder.embed_positions.weight")!;
  assert.equal(positions.trainable, false);
  const weights = initializeParameters(specs, new Rng(4));
  const table = data(weights, "encoder.embed_positions.weight");
  assert.deepEqual(table, sinusoids(8, 16));
  // row t, channel i < 8: sin(t · 10000^(−i/7)); channel 8 + i: the cosine
  for (const [t, i] of [[0, 0], [3, 2], [7, 7]] as const) {
    const angle = t * Math.exp((-Math.log(10000) / 7) * i);
    assert.ok(Math.abs(table[t * 16 + i]! - Math.sin(angle)) < 1e-6 && Math.abs(table[t * 16 + 8 + i]! - Math.cos(angle)) < 1e-6);
  }
  assert.deepEqual(Array.from(data(weights, "layer_weights")), [1 / 3, 1 / 3, 1 / 3].map(Math.fround));
  const again = initializeParameters(specs, new Rng(4));
  const other = initializeParameters(specs, new Rng(5));
  assert.deepEqual(data(again, "encoder.layers.0.fc1.weight"), data(weights, "encoder.layers.0.fc1.weight"));
  assert.notDeepEqual(data(other, "encoder.layers.0.fc1.weight"), data(weights, "encoder.layers.0.fc1.weight"));
});
