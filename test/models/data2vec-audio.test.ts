// Data2VecAudioForSequenceClassification (no golden fixture): tiny random checkpoints against the
// float64 reference, padded batches against single runs, errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ModelConfig } from "../../src/models/index.js";
import { data2vecAudioArchitecture } from "../../src/models/wav2vec2/index.js";
import { MissingWeightError, WeightShapeError } from "../../src/nn/index.js";
import { tinyWav2Vec2Checkpoint, tinyWav2Vec2Config } from "./support/tiny-wav2vec2-checkpoint.js";
import { checkTinyConfig, tryLoadTinyModel } from "./support/tiny-wav2vec2-runs.js";

test("data2vec-audio: model type and parameter prefix", () => {
  assert.deepEqual(data2vecAudioArchitecture.modelTypes, ["data2vec-audio"]);
  assert.equal(data2vecAudioArchitecture.basePrefix(new ModelConfig({ model_type: "data2vec-audio" })), "data2vec_audio");
});

test("data2vec-audio: layer-norm feature encoder and two stacked position convs (odd kernel)", async () => {
  await checkTinyConfig(tinyWav2Vec2Config("data2vec-audio"));
});

// The stacked convs would let padded frames leak into valid ones from the second conv on; the
// batch check only passes because the graph zeroes them between the convs.
test("data2vec-audio: three position convs with an even kernel, conv bias, weighted layer sum, 2 layers", async () => {
  await checkTinyConfig(
    tinyWav2Vec2Config("data2vec-audio", { conv_pos_kernel_size: 4, num_conv_pos_embeddings: 3, conv_bias: true, use_weighted_layer_sum: true, num_hidden_layers: 2, num_conv_pos_embedding_groups: 4 }),
  );
});

test("data2vec-audio: missing and misshaped position-conv parameters are named", async () => {
  const config = tinyWav2Vec2Config("data2vec-audio");
  const missing = tinyWav2Vec2Checkpoint(config);
  missing.delete("data2vec_audio.encoder.pos_conv_embed.layers.1.conv.bias");
  await assert.rejects(tryLoadTinyModel(config, missing), (error: unknown) => error instanceof MissingWeightError && error.weightName === "data2vec_audio.encoder.pos_conv_embed.layers.1.conv.bias");
  const misshaped = tinyWav2Vec2Checkpoint(config);
  misshaped.set("data2vec_audio.encoder.pos_conv_embed.layers.0.conv.weight", { type: "float32", dims: [16, 8, 3], data: new Float32Array(16 * 8 * 3) });
  await assert.rejects(tryLoadTinyModel(config, misshaped), (error: unknown) => error instanceof WeightShapeError && error.weightName === "data2vec_audio.encoder.pos_conv_embed.layers.0.conv.weight");
});
