// HubertForSequenceClassification on tiny random checkpoints: the HuBERT-only options.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MissingWeightError } from "../../src/nn/index.js";
import { hubertArchitecture } from "../../src/models/wav2vec2/index.js";
import { ModelConfig } from "../../src/models/index.js";
import { tinyWav2Vec2Checkpoint, tinyWav2Vec2Config } from "./support/tiny-wav2vec2-checkpoint.js";
import { checkTinyConfig, loadTinyModel, tryLoadTinyModel } from "./support/tiny-wav2vec2-runs.js";

test("hubert: model type and parameter prefix", () => {
  assert.deepEqual(hubertArchitecture.modelTypes, ["hubert"]);
  assert.equal(hubertArchitecture.basePrefix(new ModelConfig({ model_type: "hubert" })), "hubert");
});

test("hubert: feat_proj_layer_norm false projects the conv features without a LayerNorm", async () => {
  const config = tinyWav2Vec2Config("hubert", { feat_proj_layer_norm: false });
  assert.ok(!tinyWav2Vec2Checkpoint(config).has("hubert.feature_projection.layer_norm.weight"));
  await checkTinyConfig(config);
});

test("hubert: conv_pos_batch_norm (BatchNorm1d before a plain conv), step counter skipped silently", async () => {
  const config = tinyWav2Vec2Config("hubert", { conv_pos_batch_norm: true, num_conv_pos_embeddings: 5, num_hidden_layers: 2 });
  const checkpoint = tinyWav2Vec2Checkpoint(config, { seed: 3 });
  assert.equal(checkpoint.get("hubert.encoder.pos_conv_embed.batch_norm.num_batches_tracked")?.type, "int64");
  await checkTinyConfig(config, checkpoint);
});

test("hubert: large layout (layer-norm features, pre-LN layers, weighted layer sum)", async () => {
  await checkTinyConfig(tinyWav2Vec2Config("hubert", { feat_extract_norm: "layer", do_stable_layer_norm: true, use_weighted_layer_sum: true, num_hidden_layers: 2 }));
});

test("hubert: the fused attention kernel gives the same logits", async () => {
  const config = tinyWav2Vec2Config("hubert", { num_hidden_layers: 2 });
  const checkpoint = tinyWav2Vec2Checkpoint(config, { seed: 9 });
  const [plain, fused] = [await loadTinyModel(config, checkpoint), await loadTinyModel(config, checkpoint, { fused: true })];
  try {
    const input = { input_values: { type: "float32" as const, dims: [1, 2000], data: Float32Array.from({ length: 2000 }, (_, i) => Math.sin(i / 7) * 0.5) } };
    const [a, b] = [await plain.model.forward(input), await fused.model.forward(input)];
    assert.ok(Math.max(...Array.from(a.data, (v, i) => Math.abs(v - b.data[i]!))) <= 1e-5);
  } finally {
    await plain.dispose();
    await fused.dispose();
  }
});

test("hubert: a batch-norm checkpoint without its running variance names the missing parameter", async () => {
  const config = tinyWav2Vec2Config("hubert", { conv_pos_batch_norm: true });
  const checkpoint = tinyWav2Vec2Checkpoint(config);
  checkpoint.delete("hubert.encoder.pos_conv_embed.batch_norm.running_var");
  await assert.rejects(tryLoadTinyModel(config, checkpoint), (error: unknown) => error instanceof MissingWeightError && error.weightName === "hubert.encoder.pos_conv_embed.batch_norm.running_var");
});
