import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ModelConfig } from "../../src/models/model-config.js";
import type { Tensor } from "../../src/tensor.js";
import { Rng } from "../../src/training/random.js";
import { adaptModelToLabels, CheckpointContentError, JsonDocument, saveModelFolder } from "../../src/training/checkpoint/index.js";
import { fixtureWeights, HF_MODELS_DIR, withTempDir } from "./checkpoint-fixtures.js";

const configOf = (model: string) => JsonDocument.read(join(HF_MODELS_DIR, model, "config.json"));
const data = (t: unknown) => (t as Tensor<"float32">).data;

function std(values: Float32Array): number {
  let sum = 0;
  let sq = 0;
  for (const v of values) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / values.length;
  return Math.sqrt(sq / values.length - mean * mean);
}

test("AST: new labels re-initialise classifier.dense (N(0, initializer_range²), bias 0); everything else keeps its pretrained value", async () => {
  const weights = fixtureWeights("ast");
  const config = (await configOf("ast")).with({ initializer_range: 0.5 });
  const labels = Array.from({ length: 20 }, (_, i) => `class_${i}`);
  const adapted = adaptModelToLabels({ config, weights }, labels, { rng: new Rng(1234) });
  assert.deepEqual(adapted.reinitialized, ["classifier.dense.weight", "classifier.dense.bias"]);
  assert.deepEqual(adapted.created, []);
  const w = data(adapted.weights.get("classifier.dense.weight"));
  assert.deepEqual((adapted.weights.get("classifier.dense.weight") as Tensor).dims, [20, 64]);
  // 1280 draws: the sample std is within 10% of σ = 0.5 (≈ 5 standard errors of 2%).
  assert.ok(Math.abs(std(w) - 0.5) < 0.05, `std ${std(w)}`);
  assert.ok(w.every((x) => x >= -2 && x <= 2), "trunc_normal_ bounds [-2, 2]");
  assert.deepEqual([...data(adapted.weights.get("classifier.dense.bias"))], new Array(20).fill(0));
  for (const [name, tensor] of weights) {
    if (!name.startsWith("classifier.dense.")) assert.equal(adapted.weights.get(name), tensor, name);
  }
  assert.deepEqual(new ModelConfig(adapted.config.toObject()).labels(), labels);
  assert.equal(adapted.config.get("initializer_range"), 0.5);
  // Seeded: the same seed gives the same head, another seed another.
  assert.deepEqual(data(adaptModelToLabels({ config, weights }, labels, { rng: new Rng(1234) }).weights.get("classifier.dense.weight")), w);
  assert.notDeepEqual(data(adaptModelToLabels({ config, weights }, labels, { rng: new Rng(99) }).weights.get("classifier.dense.weight")), w);
});

test("Whisper draws with init_std; the wav2vec2 family with initializer_range", async () => {
  const whisper = adaptModelToLabels({ config: (await configOf("whisper")).with({ init_std: 0.3 }), weights: fixtureWeights("whisper") }, ["a", "b", "c", "d", "e", "f", "g", "h"], { rng: new Rng(5) });
  assert.deepEqual(whisper.reinitialized, ["classifier.weight", "classifier.bias"]);
  assert.ok(Math.abs(std(data(whisper.weights.get("classifier.weight"))) - 0.3) < 0.06);
  const wavlm = adaptModelToLabels({ config: (await configOf("wavlm")).with({ initializer_range: 0.1 }), weights: fixtureWeights("wavlm") }, ["x", "y", "z", "w"], { rng: new Rng(5) });
  assert.deepEqual((wavlm.weights.get("classifier.weight") as Tensor).dims, [4, 16]);
  assert.ok(Math.abs(std(data(wavlm.weights.get("classifier.weight"))) - 0.1) < 0.03);
  assert.deepEqual(wavlm.config.get("architectures"), ["WavLMForSequenceClassification"]);
});

test("a base checkpoint without a head gets projector, classifier and layer weights created from the config", async () => {
  const weights = new Map([...fixtureWeights("wav2vec2")].filter(([n]) => !n.startsWith("projector.") && !n.startsWith("classifier.")));
  const config = (await configOf("wav2vec2")).with({ use_weighted_layer_sum: true, architectures: ["Wav2Vec2ForPreTraining"] });
  const adapted = adaptModelToLabels({ config, weights }, ["yes", "no"], { rng: new Rng(0) });
  assert.deepEqual(adapted.created, ["layer_weights", "projector.weight", "projector.bias", "classifier.weight", "classifier.bias"]);
  assert.deepEqual(adapted.reinitialized, []);
  assert.deepEqual((adapted.weights.get("projector.weight") as Tensor).dims, [16, 32]);
  assert.deepEqual((adapted.weights.get("classifier.weight") as Tensor).dims, [2, 16]);
  assert.deepEqual([...data(adapted.weights.get("layer_weights"))], [1 / 3, 1 / 3, 1 / 3].map(Math.fround)); // num_hidden_layers 2 + 1
  assert.deepEqual(adapted.config.get("architectures"), ["Wav2Vec2ForSequenceClassification"]);
  await withTempDir(async (tmp) => {
    await saveModelFolder(join(tmp, "m"), adapted);
    assert.deepEqual((await ModelConfig.fromFile(join(tmp, "m", "config.json"))).labels(), ["yes", "no"]);
  });
});

test("same labels keep the head; renamed labels of the same count re-initialise unless reinitialize is 'mismatched-shapes' (transformers' rule)", async () => {
  const config = await configOf("hubert");
  const weights = fixtureWeights("hubert");
  const same = new ModelConfig(config.toObject()).labels();
  assert.deepEqual(adaptModelToLabels({ config, weights }, same, { rng: new Rng(1) }).reinitialized, []);
  const renamed = ["a", "b", "c", "d", "e"];
  assert.deepEqual(adaptModelToLabels({ config, weights }, renamed, { rng: new Rng(1) }).reinitialized, ["classifier.weight", "classifier.bias"]);
  const python = adaptModelToLabels({ config, weights }, renamed, { rng: new Rng(1), reinitialize: "mismatched-shapes" });
  assert.deepEqual(python.reinitialized, []);
  assert.equal(python.weights.get("classifier.weight"), weights.get("classifier.weight"));
  assert.deepEqual(python.config.get("label2id"), { a: 0, b: 1, c: 2, d: 3, e: 4 });
  assert.deepEqual(adaptModelToLabels({ config, weights }, ["a", "b"], { rng: new Rng(1), reinitialize: "mismatched-shapes" }).reinitialized, ["classifier.weight", "classifier.bias"]);
});

test("refused: architectures without a known head, projector shapes that contradict the config, a missing rng", async () => {
  await assert.rejects(async () => adaptModelToLabels({ config: await configOf("clap"), weights: new Map() }, ["a"], { rng: new Rng(1) }), (e: unknown) => e instanceof CheckpointContentError && /model_type "clap"/.test(e.message) && /wav2vec2/.test(e.message));
  const config = (await configOf("wav2vec2")).with({ classifier_proj_size: 8 });
  assert.throws(() => adaptModelToLabels({ config, weights: fixtureWeights("wav2vec2") }, ["a"], { rng: new Rng(1) }), /"projector.weight" has shape \[16, 32\] but the config implies \[8, 32\]/);
  const ast = await configOf("ast");
  assert.throws(() => adaptModelToLabels({ config: ast, weights: fixtureWeights("ast") }, ["a"], {} as never), /needs options.rng/);
});
