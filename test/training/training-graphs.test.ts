// The training form of the builders (ArchitectureBuildOptions.training): dropout where
// transformers applies it, SpecAugment masks and LayerDrop gates as inputs; nothing of it in
// inference graphs; gradients through all of it checked against float64 finite differences.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { type GraphModel, type GraphTensor, opCounts, serializeModel } from "../../src/graph/index.js";
import { ModelConfig, architectureFor, initializeParameters, LAYER_DROP_INPUT } from "../../src/models/index.js";
import { computeMaskIndices, MASK_TIME_INPUT } from "../../src/models/wav2vec2/index.js";
import { Weights } from "../../src/nn/index.js";
import { createSession } from "../../src/runtime/index.js";
import { Rng } from "../../src/training/index.js";
import type { Tensor } from "../../src/tensor.js";
import { loadWeights } from "../../src/weights/index.js";
import { FIXTURE_ROOT } from "../helpers/fixtures.js";
import { checkModelGradients } from "../graph/autodiff/check-model-gradients.js";
import { randomFloats } from "../graph/support/random.js";
import { f32, i64 } from "../graph/support/run-graph.js";

async function fixtureWeights(name: string): Promise<{ config: ModelConfig; weights: Map<string, GraphTensor> }> {
  const dir = join(FIXTURE_ROOT, "models", name);
  const config = await ModelConfig.fromFile(join(dir, "config.json"));
  const architecture = architectureFor(config);
  const map = await loadWeights(dir, { basePrefix: architecture.basePrefix(config), modelHasBasePrefix: true, weightNorm: "keep" });
  try {
    return { config, weights: new Map(map.names().map((n) => [n, map.getTensor(n)])) };
  } finally {
    map.source.close();
  }
}

function build(config: ModelConfig, weights: Map<string, GraphTensor>, training: boolean): GraphModel {
  return architectureFor(config).build(config, Weights.from(weights), { training });
}

const inputNames = (g: GraphModel): string[] => g.inputs.map((id) => g.values[id]!.name);

const AST = {
  model_type: "audio-spectrogram-transformer", hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 32, num_mel_bins: 16, max_length: 24,
  patch_size: 8, frequency_stride: 4, time_stride: 8, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.2, id2label: { 0: "a", 1: "b", 2: "c" },
};
const WHISPER = {
  model_type: "whisper", d_model: 16, encoder_layers: 2, encoder_attention_heads: 2, encoder_ffn_dim: 32, num_mel_bins: 8, max_source_positions: 8, classifier_proj_size: 8,
  dropout: 0.1, attention_dropout: 0.1, activation_dropout: 0.2, encoder_layerdrop: 0.3, id2label: { 0: "a", 1: "b" },
};

test("inference graphs are untouched: building with training false gives the same ONNX bytes as before the option existed", async () => {
  for (const name of ["ast", "wav2vec2", "whisper"]) {
    const { config, weights } = await fixtureWeights(name);
    const plain = architectureFor(config).build(config, Weights.from(weights));
    const explicit = build(config, weights, false);
    assert.deepEqual(serializeModel(explicit).bytes, serializeModel(plain).bytes, name);
    assert.equal(opCounts(plain).Dropout ?? 0, 0, `${name}: no Dropout node at inference`);
    assert.deepEqual(inputNames(plain).filter((n) => !["input_values", "input_features", "attention_mask"].includes(n)), [], `${name}: no training inputs`);
  }
});

test("dropout sites follow transformers: wav2vec2 (encoder input + 4 per layer), AST (embeddings + 3 per layer), Whisper (embeddings + 4 per layer)", async () => {
  const { config, weights } = await fixtureWeights("wav2vec2"); // hidden/attention/activation 0.1, feat_proj_dropout 0
  const w2v = build(config, weights, true);
  assert.equal(opCounts(w2v).Dropout, 1 + 4 * 2);
  assert.deepEqual(inputNames(w2v).slice(0, 4), ["input_values", "attention_mask", MASK_TIME_INPUT, LAYER_DROP_INPUT]);
  const projection = build(new ModelConfig({ ...config.raw, feat_proj_dropout: 0.2, activation_dropout: 0, layerdrop: 0, mask_time_prob: 0 }), weights, true);
  assert.equal(opCounts(projection).Dropout, 1 + 1 + 3 * 2);
  assert.deepEqual(inputNames(projection), ["input_values", "attention_mask"], "no LayerDrop, no SpecAugment: no extra inputs");
  for (const [raw, expected] of [[AST, 1 + 3 * 2], [WHISPER, 1 + 4 * 2]] as const) {
    const c = new ModelConfig(raw);
    const graph = build(c, initializeParameters(architectureFor(c).parameters(c), new Rng(1)) as Map<string, GraphTensor>, true);
    assert.equal(opCounts(graph).Dropout, expected, String(raw.model_type));
  }
});

test("gradients through the training-form builders (dropout masks, SpecAugment, LayerDrop) match float64 finite differences", async () => {
  const { config, weights } = await fixtureWeights("wav2vec2");
  const samples = 1600;
  const audio = randomFloats(2 * samples, 7);
  const mask = new Array<number>(2 * samples).fill(1);
  for (let i = samples + 1200; i < 2 * samples; i++) {
    audio[i] = 0;
    mask[i] = 0;
  }
  const feeds: Record<string, Tensor> = {
    input_values: f32([2, samples], audio),
    attention_mask: i64([2, samples], mask),
    [MASK_TIME_INPUT]: { type: "bool", dims: [2, 5], data: Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 1]) },
    [LAYER_DROP_INPUT]: { type: "bool", dims: [2], data: Uint8Array.from([1, 0]) },
  };
  const w2v = await checkModelGradients(build(config, weights, true), feeds, { loss: "cross_entropy", labels: i64([2], [1, 0]), coordinatesPerParameter: 2, dropout: "mask-inputs" });
  assert.equal(w2v.training.training.dropout.sites.length, 9);
  assert.ok(w2v.training.training.parameters.includes("wav2vec2.masked_spec_embed"));
  // The dropped layer's parameters get exactly zero gradient.
  assert.ok(w2v.gradients.get("wav2vec2.encoder.layers.1.feed_forward.output_dense.weight")!.every((g) => g === 0));
  assert.ok(w2v.gradients.get("wav2vec2.encoder.layers.0.feed_forward.output_dense.weight")!.some((g) => g !== 0));

  const ast = new ModelConfig(AST);
  const astWeights = initializeParameters(architectureFor(ast).parameters(ast), new Rng(2));
  for (const [name, t] of astWeights) if ((t.data as Float32Array).every((v) => v === 0)) astWeights.set(name, { ...t, data: randomFloats(t.data.length, 9, 0.1) });
  await checkModelGradients(build(ast, astWeights as Map<string, GraphTensor>, true), { input_values: f32([2, 24, 16], randomFloats(768, 4)) }, { loss: "cross_entropy", labels: i64([2], [2, 0]), coordinatesPerParameter: 2, dropout: "mask-inputs" });
});

test("SpecAugment spans follow _compute_mask_indices: span count, length, valid frames, min masks, dummy padding", () => {
  const random = new Rng(5);
  const rows = 3;
  const columns = 50;
  const valid = [50, 30, 9];
  const mask = computeMaskIndices(rows, columns, { probability: 0.2, length: 5, minMasks: 2, validLengths: valid }, random);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(mask.subarray(r * columns, (r + 1) * columns));
    const masked = row.reduce((a, b) => a + b, 0);
    // int(0.2·len/5 + ε) spans of 5 (overlaps allowed): at most that many × 5 frames, all inside the valid frames
    const maxSpans = Math.max(Math.trunc((0.2 * valid[r]!) / 5 + 1), 2);
    assert.ok(masked >= 5 && masked <= maxSpans * 5, `row ${r}: ${masked} frames masked`);
    assert.ok(row.slice(valid[r]).every((v) => v === 0), `row ${r}: nothing masked past its ${valid[r]} valid frames`);
    // every run of masked frames is made of whole spans of 5
    const runs = row.join("").split(/0+/).filter((s) => s.length > 0);
    assert.ok(runs.every((s) => s.length >= 5), `row ${r}: runs ${runs.map((s) => s.length)}`);
  }
  // a row too short for a span gets none, apart from the dummy index (the last frame) used to pad
  const short = computeMaskIndices(2, 20, { probability: 0.5, length: 5, minMasks: 1, validLengths: [20, 3] }, new Rng(6));
  assert.deepEqual(Array.from(short.subarray(20, 40)), [...new Array<number>(19).fill(0), 1]);
  // spans longer than the batch's frames: no masking (transformers raises instead)
  assert.ok(computeMaskIndices(2, 4, { probability: 0.5, length: 10, minMasks: 2 }, new Rng(7)).every((v) => v === 0));
});

test("SpecAugment in the graph: frames under the time mask become masked_spec_embed (all masked: logits no longer depend on the audio)", async () => {
  const { config, weights } = await fixtureWeights("wav2vec2");
  const quiet = new ModelConfig({ ...config.raw, hidden_dropout: 0, attention_dropout: 0, activation_dropout: 0, layerdrop: 0 });
  const graph = build(quiet, weights, true);
  assert.equal(opCounts(graph).Dropout ?? 0, 0);
  const session = await createSession(graph, { threads: 1 });
  try {
    const run = async (seed: number, masked: number): Promise<Float32Array> => {
      const out = await session.run({
        input_values: f32([1, 1600], randomFloats(1600, seed)),
        attention_mask: i64([1, 1600], new Array<number>(1600).fill(1)),
        [MASK_TIME_INPUT]: { type: "bool", dims: [1, 5], data: new Uint8Array(5).fill(masked) },
      });
      return out["logits"]!.data as Float32Array;
    };
    assert.deepEqual(await run(1, 1), await run(2, 1));
    assert.notDeepEqual(await run(1, 0), await run(2, 0));
  } finally {
    await session.dispose();
  }
});
