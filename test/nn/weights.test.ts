import { test } from "node:test";
import assert from "node:assert/strict";
import { AudioclassError } from "../../src/errors.js";
import { GraphBuilder } from "../../src/graph/index.js";
import { MissingWeightError, WeightShapeError, Weights, linear } from "../../src/nn/index.js";

const t = (dims: number[]) => ({ type: "float32" as const, dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)) });

const checkpoint = {
  "encoder.layer.0.attention.q_proj.weight": t([4, 4]),
  "encoder.layer.0.attention.q_proj.bias": t([4]),
  "encoder.layer.0.attention.k_proj.weight": t([4, 4]),
  "encoder.layer.1.attention.q_proj.weight": t([4, 4]),
  "classifier.weight": t([2, 4]),
  "classifier.bias": t([2]),
};

test("scopes join names with dots and share one record of use", () => {
  const root = Weights.from(checkpoint);
  const layer = root.scope("encoder.layer.0").scope("attention");
  assert.equal(layer.fullName("q_proj.weight"), "encoder.layer.0.attention.q_proj.weight");
  assert.ok(layer.has("k_proj.weight"));
  assert.ok(!layer.has("v_proj.weight"));
  layer.tensor("q_proj.weight", [4, null]);
  root.tensor("classifier.bias");
  assert.deepEqual(root.usedNames(), ["classifier.bias", "encoder.layer.0.attention.q_proj.weight"]);
  assert.deepEqual(layer.unusedNames(), ["encoder.layer.0.attention.k_proj.weight", "encoder.layer.0.attention.q_proj.bias"]);
  assert.equal(Weights.from(root), root);
  assert.equal(Weights.from(new Map(Object.entries(checkpoint))).allNames().length, 6);
});

test("a missing weight names itself and lists close names", () => {
  const layer = Weights.from(checkpoint).scope("encoder.layer.0.attention");
  assert.throws(() => layer.tensor("v_proj.weight"), (e: unknown) => {
    assert.ok(e instanceof MissingWeightError && e instanceof AudioclassError);
    assert.equal(e.code, "MISSING_WEIGHT");
    assert.equal(e.weightName, "encoder.layer.0.attention.v_proj.weight");
    assert.ok(e.closeNames.includes("encoder.layer.0.attention.q_proj.weight"), e.message);
    assert.match(e.message, /close names: "encoder\.layer\.0\.attention\.[qk]_proj\.weight"/);
    return true;
  });
  assert.throws(() => Weights.from(checkpoint).tensor("totally.unrelated.thing"), /none of the 6 weights looks similar/);
});

test("a wrong shape is a WeightShapeError; layers check weights against their input", () => {
  const w = Weights.from(checkpoint);
  assert.throws(() => w.tensor("classifier.weight", [4, 2]), (e: unknown) => e instanceof WeightShapeError && /has shape \[2, 4\], expected \[4, 2\]/.test(e.message));
  const g = new GraphBuilder({ name: "shape-check" });
  const x = g.input("x", "float32", ["batch", 3]);
  assert.throws(() => linear(g, w, "classifier", x), /is \[2, 4\] \(out, in\) but the input has 3 features/);
  assert.throws(() => linear(g, { "odd.weight": t([4]) }, "odd", x), /must be 2-D \[out, in\], got \[4\]/);
  assert.throws(() => linear(g, w, "classifier.bias", x), /"classifier\.bias\.weight" is not in the checkpoint; close names: "classifier\.weight"/);
});
