// Wav2Vec2ForSequenceClassification on tiny random checkpoints of other valid configs: numerics
// against a float64 reference, padded batches against single runs, load reports and errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createSession } from "../../src/runtime/index.js";
import { ModelConfig, ModelConfigError } from "../../src/models/index.js";
import { wav2vec2Architecture } from "../../src/models/wav2vec2/index.js";
import { MissingWeightError, WeightShapeError, Weights } from "../../src/nn/index.js";
import type { GraphTensor } from "../../src/graph/index.js";
import { runEach } from "../graph/support/run-graph.js";
import { tinyWav2Vec2Checkpoint, tinyWav2Vec2Config } from "./support/tiny-wav2vec2-checkpoint.js";
import { ARCHITECTURES, checkTinyConfig, loadTinyModel, tryLoadTinyModel } from "./support/tiny-wav2vec2-runs.js";
import { syntheticWaveforms } from "./support/wav2vec2-batches.js";

test("base layout (group norm, post-LN, even position kernel): reference and padded batch", async () => {
  await checkTinyConfig(tinyWav2Vec2Config("wav2vec2"));
});

test("large / XLS-R layout: layer-norm feature encoder, pre-LN layers, conv bias, weighted layer sum, odd kernel", async () => {
  await checkTinyConfig(
    tinyWav2Vec2Config("wav2vec2", {
      feat_extract_norm: "layer",
      do_stable_layer_norm: true,
      conv_bias: true,
      use_weighted_layer_sum: true,
      num_conv_pos_embeddings: 7,
      hidden_act: "gelu_new",
    }),
  );
});

test("another conv stack, 4 heads, 3 layers, relu features, weighted layer sum over post-LN layers", async () => {
  await checkTinyConfig(
    tinyWav2Vec2Config("wav2vec2", {
      conv_dim: [12, 10, 8, 8],
      conv_kernel: [8, 5, 3, 2],
      conv_stride: [4, 3, 2, 2],
      feat_extract_activation: "relu",
      hidden_size: 24,
      num_attention_heads: 4,
      num_hidden_layers: 3,
      intermediate_size: 32,
      num_conv_pos_embeddings: 6,
      num_conv_pos_embedding_groups: 3,
      use_weighted_layer_sum: true,
      classifier_proj_size: 5,
      id2label: { 0: "a", 1: "b", 2: "c", 3: "d", 4: "e", 5: "f", 6: "g" },
    }),
  );
});

test("MMS layout: pre-LN layers with attention adapters (adapter_attn_dim)", async () => {
  await checkTinyConfig(tinyWav2Vec2Config("wav2vec2", { feat_extract_norm: "layer", do_stable_layer_norm: true, adapter_attn_dim: 6, num_hidden_layers: 2 }));
});

test("clips shorter than the receptive field run as one frame, alone and padded in a batch alike", async () => {
  const tiny = await loadTinyModel(tinyWav2Vec2Config("wav2vec2"));
  try {
    // kernels 10/3/3, strides 5/2/2: one frame sees 40 samples
    const [long, exact, short] = syntheticWaveforms([800, 40, 12], 3);
    const alone = async (clip: Float32Array) => (await tiny.model.forward({ input_values: { type: "float32", dims: [1, clip.length], data: clip } })).data;
    const [exactAlone, shortAlone] = [await alone(exact!), await alone(short!)];
    assert.ok(exactAlone.every(Number.isFinite) && shortAlone.every(Number.isFinite));
    const values = new Float32Array(3 * 800);
    const mask = new BigInt64Array(3 * 800);
    [long!, exact!, short!].forEach((clip, i) => {
      values.set(clip, i * 800);
      mask.fill(1n, i * 800, i * 800 + clip.length);
    });
    const batch = await tiny.model.forward({ input_values: { type: "float32", dims: [3, 800], data: values }, attention_mask: { type: "int64", dims: [3, 800], data: mask } });
    const labels = tiny.model.numLabels;
    for (const [row, single] of [[1, exactAlone], [2, shortAlone]] as const) {
      const worst = Math.max(...Array.from(single, (v, j) => Math.abs(v - batch.data[row * labels + j]!)));
      assert.ok(worst <= 1e-5, `row ${row}: batch differs from the single run by ${worst}`);
    }
  } finally {
    await tiny.dispose();
  }
});

test("training-only weights (masked_spec_embed, quantizer, project_q/hid) are skipped silently; unknown ones are reported", async () => {
  const config = tinyWav2Vec2Config("wav2vec2");
  const checkpoint = tinyWav2Vec2Checkpoint(config, { trainingOnly: true });
  checkpoint.set("wav2vec2.encoder.layers.0.attention.extra_gate", { type: "float32", dims: [2], data: new Float32Array(2) });
  const tiny = await loadTinyModel(config, checkpoint);
  try {
    assert.deepEqual(tiny.model.report.unusedWeights, ["wav2vec2.encoder.layers.0.attention.extra_gate"]);
  } finally {
    await tiny.dispose();
  }
});

test("a checkpoint loaded without folding weight norm builds the positional conv in the graph (fine-tuning path)", async () => {
  const config = tinyWav2Vec2Config("wav2vec2", { num_conv_pos_embeddings: 5 });
  const checkpoint = tinyWav2Vec2Checkpoint(config, { seed: 4 });
  const tiny = await loadTinyModel(config, checkpoint);
  try {
    const unfolded = Weights.from(checkpoint as Map<string, GraphTensor>);
    const graph = wav2vec2Architecture.build(new ModelConfig(config), unfolded);
    assert.deepEqual(unfolded.unusedNames(), [], "weight_g and weight_v are both used");
    const session = await createSession(graph, { threads: 1 });
    try {
      const [clip] = syntheticWaveforms([1500], 5);
      const feeds = { input_values: { type: "float32" as const, dims: [1, 1500], data: clip! }, attention_mask: { type: "int64" as const, dims: [1, 1500], data: new BigInt64Array(1500).fill(1n) } };
      const inGraph = (await session.run(feeds))["logits"]!;
      const folded = await tiny.model.forward(feeds);
      const worst = Math.max(...Array.from(folded.data, (v, i) => Math.abs(v - Number(inGraph.data[i]))));
      assert.ok(worst <= 1e-5, `max abs diff ${worst}`);
    } finally {
      await session.dispose();
    }
  } finally {
    await tiny.dispose();
  }
});

test("a missing parameter fails with MissingWeightError naming it", async () => {
  const config = tinyWav2Vec2Config("wav2vec2");
  for (const name of ["wav2vec2.encoder.layers.0.feed_forward.output_dense.bias", "wav2vec2.feature_extractor.conv_layers.0.layer_norm.weight", "projector.weight"]) {
    const checkpoint = tinyWav2Vec2Checkpoint(config);
    checkpoint.delete(name);
    await assert.rejects(tryLoadTinyModel(config, checkpoint), (error: unknown) => error instanceof MissingWeightError && error.weightName === name && error.message.includes(name));
  }
  // a weighted layer sum without layer_weights
  const weighted = tinyWav2Vec2Config("wav2vec2", { use_weighted_layer_sum: true });
  const checkpoint = tinyWav2Vec2Checkpoint(weighted);
  checkpoint.delete("layer_weights");
  await assert.rejects(tryLoadTinyModel(weighted, checkpoint), (error: unknown) => error instanceof MissingWeightError && error.weightName === "layer_weights");
});

test("a misshaped parameter fails with WeightShapeError naming it", async () => {
  const config = tinyWav2Vec2Config("wav2vec2");
  const cases: [string, number[]][] = [
    ["wav2vec2.feature_extractor.conv_layers.1.conv.weight", [8, 8, 4]],
    ["wav2vec2.encoder.layers.0.attention.q_proj.weight", [16, 8]],
    ["wav2vec2.encoder.layers.0.attention.k_proj.bias", [12]],
    ["wav2vec2.encoder.pos_conv_embed.conv.weight_v", [16, 4, 8]],
    ["classifier.weight", [5, 8]],
  ];
  for (const [name, dims] of cases) {
    const checkpoint = tinyWav2Vec2Checkpoint(config);
    const folded = name.endsWith("weight_v") ? "wav2vec2.encoder.pos_conv_embed.conv.weight" : name;
    checkpoint.set(name, { type: "float32", dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.1) });
    await assert.rejects(tryLoadTinyModel(config, checkpoint), (error: unknown) => {
      assert.ok(error instanceof WeightShapeError, `${name}: got ${String(error)}`);
      assert.equal(error.weightName, folded);
      return true;
    });
  }
});

test("configs transformers rejects or audioclass cannot build give ModelConfigError naming the key", async () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ add_adapter: true }, "add_adapter"],
    [{ conv_kernel: [10, 3] }, "conv_kernel"],
    [{ num_attention_heads: 3 }, "num_attention_heads"],
    [{ feat_extract_norm: "batch" }, "feat_extract_norm"],
    [{ hidden_act: "swiglu" }, "hidden_act"],
    [{ num_conv_pos_embedding_groups: 5 }, "num_conv_pos_embedding_groups"],
    [{ conv_stride: [5, 0, 2] }, "conv_stride"],
  ];
  for (const [overrides, key] of bad) {
    const config = tinyWav2Vec2Config("wav2vec2", overrides);
    await assert.rejects(tryLoadTinyModel(config, tinyWav2Vec2Checkpoint(tinyWav2Vec2Config("wav2vec2"))), (error: unknown) => {
      assert.ok(error instanceof ModelConfigError, `${key}: got ${String(error)}`);
      assert.ok(error.message.includes(`"${key}"`), error.message);
      return true;
    });
  }
});

test("symbolic shapes: logits [batch, num_labels]; every intermediate's inferred shape matches ONNX Runtime", async () => {
  const feeds = (batch: number, time: number) => ({
    input_values: { type: "float32" as const, dims: [batch, time], data: Float32Array.from({ length: batch * time }, (_, i) => Math.sin(i / 3)) },
    attention_mask: { type: "int64" as const, dims: [batch, time], data: new BigInt64Array(batch * time).fill(1n) },
  });
  for (const [family, overrides] of [["wav2vec2", {}], ["hubert", { conv_pos_batch_norm: true }], ["wavlm", {}], ["data2vec-audio", {}]] as const) {
    const config = tinyWav2Vec2Config(family, overrides);
    const graph = ARCHITECTURES[family].build(new ModelConfig(config), Weights.from(tinyWav2Vec2Checkpoint(config) as Map<string, GraphTensor>));
    assert.deepEqual(graph.values[graph.outputs[0]!]!.shape, ["batch", 4], family);
    // 20 samples: shorter than the receptive field (40)
    await runEach(graph, [feeds(1, 500), feeds(2, 333), feeds(1, 20)]);
  }
});
