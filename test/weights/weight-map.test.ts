import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  encodeSafetensors,
  foldWeightNorm,
  inferWeightNormDim,
  InvalidTensorError,
  normalizeCheckpointKey,
  planPrefix,
  readSafetensorsSync,
  SafetensorsFile,
  TensorNotFoundError,
  unfoldWeightNorm,
  WeightMap,
  WeightsFormatError,
} from "../../src/weights/index.js";
import { HF_MODELS_DIR, readFixture } from "./weights-fixtures.js";

const weightNormFile = () => SafetensorsFile.fromBytes(readFixture("weight-norm.safetensors"), "weight-norm.safetensors");

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 2e-7 * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

test("weight norm folds like torch: dim=2 (wav2vec2 positional conv) and dim=0, both naming schemes", () => {
  const file = weightNormFile();
  const weights = new WeightMap(file);
  assert.deepEqual(weights.names(), [
    "expected.other_conv.weight",
    "expected.pos_conv.weight",
    "wav2vec2.encoder.pos_conv_embed.conv.bias",
    "wav2vec2.encoder.pos_conv_embed.conv.weight",
    "wav2vec2.other_conv.weight",
  ]);
  const posConv = weights.take("wav2vec2.encoder.pos_conv_embed.conv.weight");
  assert.deepEqual(posConv.dims, [8, 4, 5]);
  assertClose(posConv.data, file.getFloat32("expected.pos_conv.weight"), "pos_conv (weight_g/weight_v, dim=2)");
  const other = weights.take("wav2vec2.other_conv.weight");
  assertClose(other.data, file.getFloat32("expected.other_conv.weight"), "other_conv (parametrizations, dim=0)");
  assert.deepEqual(weights.info("wav2vec2.other_conv.weight"), { name: "wav2vec2.other_conv.weight", dtype: "F32", shape: [4, 3, 2] });
  assert.deepEqual(weights.unused(), ["expected.other_conv.weight", "expected.pos_conv.weight", "wav2vec2.encoder.pos_conv_embed.conv.bias"]);
  // "keep" leaves g and v separate, under the classic names whatever the checkpoint used.
  const kept = new WeightMap(file, { weightNorm: "keep" });
  assert.ok(kept.has("wav2vec2.other_conv.weight_g") && kept.has("wav2vec2.other_conv.weight_v") && !kept.has("wav2vec2.other_conv.weight"));
  assert.deepEqual(kept.get("wav2vec2.encoder.pos_conv_embed.conv.weight_g").dims, [1, 1, 5]);
});

test("foldWeightNorm on a hand-computed example; unfold → fold is the identity", () => {
  // v = [[3, 4], [6, 8]] with dim=0: row norms 5 and 10; g = [10, 1].
  const w = foldWeightNorm(Float32Array.of(10, 1), [2, 1], Float32Array.of(3, 4, 6, 8), [2, 2]);
  assert.deepEqual([...w], [6, 8, 0.6000000238418579, 0.800000011920929]);
  // dim=1: column norms sqrt(45) and sqrt(80).
  const w1 = foldWeightNorm(Float32Array.of(1, 1), [1, 2], Float32Array.of(3, 4, 6, 8), [2, 2]);
  assertClose(w1, Float32Array.of(3 / Math.sqrt(45), 4 / Math.sqrt(80), 6 / Math.sqrt(45), 8 / Math.sqrt(80)), "dim=1");
  // Whole-tensor norm (dim=None): g is a scalar.
  const whole = foldWeightNorm(Float32Array.of(2), [], Float32Array.of(3, 4), [2]);
  assertClose(whole, Float32Array.of(1.2, 1.6), "dim=None");
  const file = readSafetensorsSync(join(HF_MODELS_DIR, "wav2vec2", "model.safetensors"));
  const folded = new WeightMap(file).get("wav2vec2.encoder.pos_conv_embed.conv.weight");
  const { g, gShape, v } = unfoldWeightNorm(folded.data, folded.dims, 2);
  assert.deepEqual(gShape, [1, 1, 16]);
  assertClose(foldWeightNorm(g, gShape, v, folded.dims), folded.data, "round trip");
  assert.deepEqual(unfoldWeightNorm(Float32Array.of(3, 4), [2], null).gShape, []);
});

test("inferWeightNormDim reads the axis from g's shape and rejects shapes that do not fit", () => {
  assert.equal(inferWeightNormDim([1, 1, 16], [32, 8, 16]), 2);
  assert.equal(inferWeightNormDim([32, 1, 1], [32, 8, 16]), 0);
  assert.equal(inferWeightNormDim([1, 1, 1], [32, 8, 16]), null);
  assert.equal(inferWeightNormDim([], [32, 8, 16]), null);
  assert.throws(() => inferWeightNormDim([1, 8, 16], [32, 8, 16]), InvalidTensorError);
  assert.throws(() => inferWeightNormDim([1, 1, 15], [32, 8, 16]), InvalidTensorError);
});

test("checkpoint key fixes follow transformers 4.49", () => {
  assert.deepEqual(normalizeCheckpointKey("bert.encoder.LayerNorm.gamma"), { key: "bert.encoder.LayerNorm.weight", renamed: true });
  assert.deepEqual(normalizeCheckpointKey("bert.encoder.LayerNorm.beta"), { key: "bert.encoder.LayerNorm.bias", renamed: true });
  // Only LayerNorm's: other "gamma"/"beta" parameters (layer scales…) keep their names.
  assert.deepEqual(normalizeCheckpointKey("block.layer_scale.gamma"), { key: "block.layer_scale.gamma", renamed: false });
  assert.deepEqual(normalizeCheckpointKey("c.parametrizations.weight.original0"), { key: "c.weight_g", renamed: true });
  assert.deepEqual(normalizeCheckpointKey("c.parametrizations.weight.original1"), { key: "c.weight_v", renamed: true });
  assert.deepEqual(planPrefix(["wav2vec2.x", "classifier.weight"], "wav2vec2", true), { add: false, strip: false });
  assert.deepEqual(planPrefix(["encoder.x"], "wav2vec2", true), { add: true, strip: false });
  assert.deepEqual(planPrefix(["wav2vec2.x", "classifier.weight"], "wav2vec2", false), { add: false, strip: true });
  assert.deepEqual(planPrefix(["encoder.x"], "wav2vec2", false), { add: false, strip: false });
});

const tiny = (names: string[]) =>
  SafetensorsFile.fromBytes(encodeSafetensors(Object.fromEntries(names.map((n, i) => [n, { type: "float32" as const, dims: [1], data: Float32Array.of(i) }]))), "tiny.safetensors");

test("prefixes are added or stripped exactly when transformers would", () => {
  const file = readSafetensorsSync(join(HF_MODELS_DIR, "wav2vec2", "model.safetensors"));
  const head = new WeightMap(file, { basePrefix: "wav2vec2" });
  assert.ok(head.has("wav2vec2.encoder.layer_norm.weight") && head.has("classifier.weight"));
  const base = new WeightMap(file, { basePrefix: "wav2vec2", modelHasBasePrefix: false });
  assert.ok(base.has("encoder.layer_norm.weight") && !base.has("classifier.weight"));
  assert.deepEqual(base.report().outsideBaseModel, ["classifier.bias", "classifier.weight", "projector.bias", "projector.weight"]);
  assert.ok(base.has("encoder.pos_conv_embed.conv.weight"), "folding happens after the prefix is stripped");
  // A base-model checkpoint loaded into a head model gains the prefix.
  const baseCheckpoint = tiny(["encoder.layer_norm.weight", "feature_extractor.conv.weight"]);
  const lifted = new WeightMap(baseCheckpoint, { basePrefix: "wav2vec2" });
  assert.deepEqual(lifted.names(), ["wav2vec2.encoder.layer_norm.weight", "wav2vec2.feature_extractor.conv.weight"]);
  assert.equal(lifted.takeOptional("classifier.weight"), undefined);
  assert.deepEqual(lifted.missing(), ["classifier.weight"]);
});

test("take / takeOptional / unused / ties / ignoreUnused bookkeeping", () => {
  const file = tiny(["bert.LayerNorm.gamma", "bert.LayerNorm.beta", "embed.weight", "pos.position_ids", "bn.num_batches_tracked", "extra.weight"]);
  const weights = new WeightMap(file, { ignoreUnused: ["position_ids", /num_batches_tracked$/] });
  assert.deepEqual(weights.report().renamed, [["bert.LayerNorm.beta", "bert.LayerNorm.bias"], ["bert.LayerNorm.gamma", "bert.LayerNorm.weight"]]);
  assert.deepEqual([...weights.take("bert.LayerNorm.weight").data], [0]);
  weights.take("bert.LayerNorm.bias");
  weights.tie("lm_head.weight", "embed.weight");
  assert.ok(weights.has("lm_head.weight"));
  assert.deepEqual([...weights.take("lm_head.weight").data], [2]);
  assert.equal(weights.takeOptional("head.bias"), undefined);
  assert.deepEqual(weights.report(), { missing: ["head.bias"], unused: ["extra.weight"], outsideBaseModel: [], renamed: weights.report().renamed });
  assert.throws(() => weights.take("embed.weights"), (e: unknown) => e instanceof TensorNotFoundError && /"embed\.weight"/.test((e as Error).message));
  // get() reads without bookkeeping; getTensor keeps integer buffers as integers.
  const ints = SafetensorsFile.fromBytes(readFixture("tensors.safetensors"), "tensors.safetensors");
  const map = new WeightMap(ints);
  assert.equal(map.getTensor("i64.position_ids").type, "int64");
  assert.deepEqual([...map.get("i64.position_ids").data], [0, 1, 2, 3, 4, 5]);
  assert.equal(map.unused().length, ints.names().length);
  map.takeTensor("i64.position_ids");
  assert.equal(map.unused().length, ints.names().length - 1);
});

test("two checkpoint names that land on one parameter are a WeightsFormatError", () => {
  assert.throws(() => new WeightMap(tiny(["a.LayerNorm.gamma", "a.LayerNorm.weight"])), WeightsFormatError);
  assert.throws(() => new WeightMap(tiny(["c.weight", "c.weight_g", "c.weight_v"])), WeightsFormatError);
  assert.doesNotThrow(() => new WeightMap(tiny(["c.weight", "c.weight_g", "c.weight_v"]), { weightNorm: "keep" }));
});
