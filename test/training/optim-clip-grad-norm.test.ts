import { test } from "node:test";
import assert from "node:assert/strict";
import { AdamW, clipCoefficient, clipGradNorm, gradNorm, InvalidHyperparameterError, NonFiniteGradientError, SGD } from "../../src/training/optim/index.js";
import { assertClose, f32Spacing, TestRandom } from "./optim-fixtures.js";

test("clips by the total L2 norm over all gradients with coefficient maxNorm/(norm + 1e-6), returning the norm", () => {
  const grads = { a: Float32Array.of(3, 4), b: Float32Array.of(12) };
  const norm = clipGradNorm(grads, 1);
  assert.equal(norm, 13);
  const c = 1 / (13 + 1e-6);
  assert.deepEqual([...grads.a, ...grads.b], [3 * c, 4 * c, 12 * c].map(Math.fround));
  assert.ok(Math.abs(gradNorm(grads) - 1) < 1e-6);
});

test("gradients under the limit are left unchanged (coefficient clamped to 1)", () => {
  const grads = new Map([["a", Float32Array.of(3, 4)]]);
  assert.equal(clipGradNorm(grads, 5.000001), 5);
  assert.deepEqual([...grads.get("a")!], [3, 4]);
  // Just over: 5/(5 + 1e-6) < 1 scales a little, as torch does.
  clipGradNorm(grads, 5);
  assert.ok(grads.get("a")![0] < 3);
});

test("matches a float64 reference on random tensors; float32 squares cannot overflow the float64 sum", () => {
  const rng = new TestRandom(21);
  const grads = { x: rng.float32Array(10_000, 3), y: rng.float32Array(77, 0.01), z: rng.float32Array(1) };
  const copy = Object.fromEntries(Object.entries(grads).map(([k, v]) => [k, Float64Array.from(v)]));
  let sum = 0;
  for (const v of Object.values(copy)) for (const x of v) sum += x * x;
  const expectedNorm = Math.sqrt(sum);
  const norm = clipGradNorm(grads, 2);
  assert.ok(Math.abs(norm - expectedNorm) <= 1e-12 * expectedNorm);
  const c = 2 / (expectedNorm + 1e-6);
  for (const k of Object.keys(grads) as (keyof typeof grads)[]) {
    assertClose(grads[k], copy[k].map((x) => x * c), (e) => f32Spacing(e), k);
  }
  const huge = { h: Float32Array.of(3e38, 3e38) };
  assert.ok(Number.isFinite(clipGradNorm(huge, 1)));
  assert.ok(Math.abs(huge.h[0] - Math.SQRT1_2) < 1e-6);
});

test("a NaN or infinite gradient is an error naming the parameters, or with 'skip' returns the norm and touches nothing", () => {
  const grads = { good: Float32Array.of(1, 2), bad: Float32Array.of(1, Number.NaN), inf: Float32Array.of(Number.POSITIVE_INFINITY) };
  assert.throws(
    () => clipGradNorm(grads, 1),
    (e: unknown) => e instanceof NonFiniteGradientError && e.code === "OPTIM_NON_FINITE" && e.parameters.join() === "bad,inf" && Number.isNaN(e.norm) && /onNonFinite: "skip"/.test(e.message),
  );
  const onlyInf = { a: Float32Array.of(1), b: Float32Array.of(Number.NEGATIVE_INFINITY) };
  assert.equal(clipGradNorm(onlyInf, 1, { onNonFinite: "skip" }), Number.POSITIVE_INFINITY);
  assert.deepEqual([...onlyInf.a, ...onlyInf.b], [1, Number.NEGATIVE_INFINITY]);
  assert.deepEqual([...grads.good], [1, 2]);
});

test("maxNorm must be a positive finite number", () => {
  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => clipGradNorm({ a: Float32Array.of(1) }, bad), InvalidHyperparameterError);
  }
  assert.throws(() => clipGradNorm({ a: new Float64Array(1) as unknown as Float32Array }, 1), /must be float32/);
});

test("a fused clip (measure only, then step with scale = clipCoefficient) equals clip-in-place then step, bit for bit", () => {
  const rng = new TestRandom(8);
  const make = () => ({ w: Float32Array.from(new TestRandom(1).float32Array(500)), "w.bias": Float32Array.from(new TestRandom(2).float32Array(20)) });
  const a = make();
  const b = make();
  const inPlace = new AdamW(a, { lr: 1e-2, weightDecay: 0.1 });
  const fused = new AdamW(b, { lr: 1e-2, weightDecay: 0.1 });
  const sgdA = { v: Float32Array.of(1, 2, 3) };
  const sgdB = { v: Float32Array.of(1, 2, 3) };
  const sgd1 = new SGD(sgdA, { lr: 0.1, momentum: 0.9, weightDecay: 0.01, decayParameters: "all" });
  const sgd2 = new SGD(sgdB, { lr: 0.1, momentum: 0.9, weightDecay: 0.01, decayParameters: "all" });
  for (let t = 0; t < 20; t++) {
    const g = { w: rng.float32Array(500, 3), "w.bias": rng.float32Array(20, 3) };
    const copy = { w: Float32Array.from(g.w), "w.bias": Float32Array.from(g["w.bias"]) };
    const norm = clipGradNorm(copy, 1, { inPlace: false });
    assert.deepEqual(copy, g, "inPlace: false leaves the gradients alone");
    assert.equal(clipGradNorm(g, 1), norm);
    inPlace.step(g);
    fused.step(copy, { scale: clipCoefficient(norm, 1) });
    const s = { v: rng.float32Array(3, 5) };
    const sCopy = { v: Float32Array.from(s.v) };
    const sNorm = clipGradNorm(s, 0.5);
    sgd1.step(s);
    sgd2.step(sCopy, { scale: clipCoefficient(sNorm, 0.5) });
  }
  assert.ok(Buffer.from(a.w.buffer).equals(Buffer.from(b.w.buffer)));
  assert.ok(Buffer.from(a["w.bias"].buffer).equals(Buffer.from(b["w.bias"].buffer)));
  assert.ok(Buffer.from(sgdA.v.buffer).equals(Buffer.from(sgdB.v.buffer)));
  assert.equal(clipCoefficient(0.5, 1), 1);
  assert.equal(clipCoefficient(3, 1), 1 / (3 + 1e-6));
  assert.throws(() => new AdamW({ w: Float32Array.of(1) }).step({ w: Float32Array.of(1) }, { scale: -1 }), InvalidHyperparameterError);
});
