import { test } from "node:test";
import assert from "node:assert/strict";
import { GradientAccumulator, GradientMismatchError, InvalidHyperparameterError } from "../../src/training/optim/index.js";
import { assertClose, f32Spacing, TestRandom } from "./optim-fixtures.js";

/** Gradient of the mean squared error of a linear model y ≈ w·x over `rows`. */
function mseGradient(w: Float32Array, rows: { x: Float32Array; y: number }[]): Float32Array {
  const g = new Float64Array(w.length);
  for (const { x, y } of rows) {
    let pred = 0;
    for (let i = 0; i < w.length; i++) pred += w[i] * x[i];
    for (let i = 0; i < w.length; i++) g[i] += (2 * (pred - y) * x[i]) / rows.length;
  }
  return Float32Array.from(g);
}

test("N equal micro-batches accumulate to the gradient of the mean loss over their union (the Trainer's loss/N)", () => {
  const rng = new TestRandom(4);
  const w = rng.float32Array(16);
  const rows = Array.from({ length: 32 }, () => ({ x: rng.float32Array(16), y: rng.normal() }));
  const acc = new GradientAccumulator({ w }, { steps: 4 });
  for (let k = 0; k < 4; k++) {
    assert.equal(acc.ready, false);
    acc.add({ w: mseGradient(w, rows.slice(8 * k, 8 * k + 8)) });
  }
  assert.equal(acc.ready, true);
  assert.equal(acc.count, 4);
  const full = mseGradient(w, rows);
  assertClose(acc.gradients().get("w")!, full, (e) => 8 * f32Spacing(Math.abs(e) + 1), "accumulated");
  assert.throws(() => acc.add({ w }), (e: unknown) => e instanceof GradientMismatchError && /reset\(\)/.test(e.message));
  // A new window overwrites the buffers instead of adding to the old sums.
  acc.reset();
  acc.add({ w: Float32Array.from(w, () => 4) });
  assert.deepEqual([...acc.gradients().get("w")!].slice(0, 2), [1, 1]);
});

test("a window closed early keeps the 1/N scale like the Trainer; divisor 'actual' divides by the count added", () => {
  const g1 = Float32Array.of(1, 2);
  const g2 = Float32Array.of(3, 6);
  const configured = new GradientAccumulator({ p: g1 }, { steps: 4 });
  configured.add({ p: g1 });
  configured.add({ p: g2 });
  assert.deepEqual([...configured.gradients().get("p")!], [1, 2]); // (1+3)/4, (2+6)/4
  const actual = new GradientAccumulator({ p: g1 }, { steps: 4, divisor: "actual" });
  actual.add({ p: g1 });
  actual.add({ p: g2 });
  assert.deepEqual([...actual.gradients().get("p")!], [2, 4]);
  assert.deepEqual([...actual.gradients().get("p")!], [2, 4], "asking twice does not rescale twice");
  assert.equal(actual.count, 2);
  assert.throws(() => actual.add({ p: g1 }), GradientMismatchError);
});

test("with one step the gradients pass through uncopied; prefixed graph outputs are accepted", () => {
  const acc = new GradientAccumulator({ w: new Float32Array(3) }, { steps: 1, prefix: "grad." });
  const g = Float32Array.of(1, 2, 3);
  acc.add({ "grad.w": { data: g }, loss: { data: Float32Array.of(0.5) } });
  assert.equal(acc.gradients().get("w"), g);
  assert.throws(() => new GradientAccumulator({ w: g }, { steps: 0 }), InvalidHyperparameterError);
  assert.throws(() => new GradientAccumulator({ w: g }, { steps: 2 }).gradients(), /no micro-batch gradients/);
  assert.throws(() => new GradientAccumulator({ w: g }, { steps: 2 }).add({ w: Float32Array.of(1) }), /has 1 elements but parameter "w" has 3/);
});
