import { test } from "node:test";
import assert from "node:assert/strict";
import { AdamW, GradientMismatchError, InvalidHyperparameterError, OptimizerStateError } from "../../src/training/optim/index.js";
import { assertClose, f32Spacing, TestRandom } from "./optim-fixtures.js";

interface Hyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** torch.optim.adamw._single_tensor_adamw (amsgrad off), transcribed in float64. */
function torchStep(p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, step: number, h: Hyper) {
  const pOut = new Float64Array(p.length);
  const mOut = new Float64Array(p.length);
  const vOut = new Float64Array(p.length);
  const update = new Float64Array(p.length);
  const bias1 = 1 - h.beta1 ** step;
  const bias2 = 1 - h.beta2 ** step;
  const stepSize = h.lr / bias1;
  const bias2Sqrt = Math.sqrt(bias2);
  for (let i = 0; i < p.length; i++) {
    const decayed = p[i] * (1 - h.lr * h.weightDecay); // param.mul_(1 - lr * weight_decay)
    mOut[i] = m[i] + (1 - h.beta1) * (g[i] - m[i]); // exp_avg.lerp_(grad, 1 - beta1)
    vOut[i] = v[i] * h.beta2 + (1 - h.beta2) * g[i] * g[i]; // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2)
    const denom = Math.sqrt(vOut[i]) / bias2Sqrt + h.eps;
    update[i] = (stepSize * mOut[i]) / denom; // param.addcdiv_(exp_avg, denom, value=-step_size)
    pOut[i] = decayed - update[i];
  }
  return { p: pOut, m: mOut, v: vOut, update };
}

/** The algorithm as torch documents it (bias-corrected m̂ and v̂), in float64. */
function documentedStep(p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, t: number, h: Hyper) {
  const pOut = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const theta = p[i] - h.lr * h.weightDecay * p[i];
    const mt = h.beta1 * m[i] + (1 - h.beta1) * g[i];
    const vt = h.beta2 * v[i] + (1 - h.beta2) * g[i] * g[i];
    const mHat = mt / (1 - h.beta1 ** t);
    const vHat = vt / (1 - h.beta2 ** t);
    pOut[i] = theta - (h.lr * mHat) / (Math.sqrt(vHat) + h.eps);
  }
  return pOut;
}

const f64 = (a: Float32Array) => Float64Array.from(a);

test("AdamW matches a float64 transcription of torch's algorithm step by step for 300 steps, within float32 rounding", () => {
  const rng = new TestRandom(7);
  const params = { "encoder.weight": rng.float32Array(37 * 19, 0.5), "encoder.bias": rng.float32Array(19, 0.1), "norm.weight": rng.float32Array(19, 1) };
  const targets = Object.fromEntries(Object.entries(params).map(([k, a]) => [k, rng.float32Array(a.length)]));
  const hyper = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05 };
  const optimizer = new AdamW(params, { lr: 1e-3, betas: [hyper.beta1, hyper.beta2], eps: hyper.eps, weightDecay: hyper.weightDecay });
  assert.deepEqual(optimizer.decayedParameterNames, ["encoder.weight"]);
  const state = optimizer.stateDict();
  for (let step = 1; step <= 300; step++) {
    // A varying lr (as a scheduler sets it) and gradients that depend on the current parameters.
    const lr = 1e-3 * (1 + 0.5 * Math.sin(step / 7));
    optimizer.lr = lr;
    const grads: Record<string, Float32Array> = {};
    const before: Record<string, { p: Float64Array; m: Float64Array; v: Float64Array }> = {};
    for (const [name, p] of Object.entries(params)) {
      const g = new Float32Array(p.length);
      for (let i = 0; i < p.length; i++) g[i] = 0.05 * rng.normal() + 0.5 * (p[i] - targets[name][i]);
      grads[name] = g;
      before[name] = { p: f64(p), m: f64(state.tensors.get(`exp_avg.${name}`)!), v: f64(state.tensors.get(`exp_avg_sq.${name}`)!) };
    }
    optimizer.step(grads);
    for (const [name, p] of Object.entries(params)) {
      const h = { ...hyper, lr, weightDecay: name === "encoder.weight" ? hyper.weightDecay : 0 };
      const b = before[name];
      const ref = torchStep(b.p, f64(grads[name]), b.m, b.v, step, h);
      const doc = documentedStep(b.p, f64(grads[name]), b.m, b.v, step, h);
      // float32 storage of m and v (≤ ½ ulp each), of θ·(1 − lr·λ) and of the result (≤ ½ ulp each).
      assertClose(state.tensors.get(`exp_avg.${name}`)!, ref.m, (e) => f32Spacing(e), `step ${step} exp_avg.${name}`);
      assertClose(state.tensors.get(`exp_avg_sq.${name}`)!, ref.v, (e) => f32Spacing(e), `step ${step} exp_avg_sq.${name}`);
      assertClose(p, ref.p, (e, i) => 2 * f32Spacing(e) + 2 ** -22 * Math.abs(ref.update[i]), `step ${step} ${name}`);
      // The documented form is the same mathematics: equal to float64 rounding.
      assertClose(doc, ref.p, (e) => 1e-14 * Math.max(1, Math.abs(e)), `step ${step} documented ${name}`);
    }
    assert.equal(optimizer.stateDict().scalars["encoder.bias"].step, step);
  }
  assert.equal(optimizer.stepCount, 300);
});

test("a 300-step float32 trajectory stays within the accumulated float32 rounding bound of the float64 one", () => {
  const rng = new TestRandom(11);
  const n = 4096;
  const p32 = rng.float32Array(n);
  let p = f64(p32);
  let m = new Float64Array(n);
  let v = new Float64Array(n);
  const lr = 2e-3;
  const optimizer = new AdamW({ w: p32 }, { lr, weightDecay: 0.01, decayParameters: "all" });
  const steps = 300;
  for (let t = 1; t <= steps; t++) {
    const g = rng.float32Array(n, 0.3);
    optimizer.step({ w: g });
    ({ p, m, v } = torchStep(p, f64(g), m, v, t, { lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 }));
  }
  // Worst case: each step adds ≤ 2 float32 spacings of θ plus an update error ≤ lr·steps·2^-23 from the
  // float32 moments; a wrong bias correction or decay would be off by ~lr per step instead.
  assertClose(p32, p, (e) => steps * (2 * f32Spacing(Math.abs(e) + 1) + lr * steps * 2 ** -23), "θ after 300 steps");
  let moved = 0;
  for (let i = 0; i < n; i++) moved = Math.max(moved, Math.abs(p[i] - p32[i]));
  assert.ok(moved < 1e-4, `max deviation ${moved}`);
});

test("hand-derived: with a constant gradient m̂ = g and v̂ = g², so θ_t = k·θ_{t−1} − lr·g/(|g| + ε)", () => {
  const lr = 0.1;
  const wd = 0.01;
  const theta0 = [1, -2, 0.5, 0];
  const g = Float32Array.of(0.5, -0.25, 0, 1e-9);
  const w = Float32Array.from(theta0);
  const optimizer = new AdamW({ w }, { lr, weightDecay: wd, decayParameters: "all" });
  optimizer.step({ w: g });
  // Step 1 by hand: 1·0.999 − 0.1·0.5/(0.5 + 1e-8), −2·0.999 + 0.1·0.25/(0.25 + 1e-8), 0.5·0.999, −0.1·1e-9/1.1e-8.
  const first = [0.999 - 0.05 / (0.5 + 1e-8), -1.998 + 0.025 / (0.25 + 1e-8), 0.4995, -0.1 / 11];
  assert.deepEqual([...w].map((x, i) => Math.abs(x - first[i]) <= f32Spacing(first[i])), [true, true, true, true], `${[...w]} vs ${first}`);
  const k = 1 - lr * wd;
  for (let t = 2; t <= 50; t++) optimizer.step({ w: g });
  const expected = theta0.map((t0, i) => {
    const c = (lr * g[i]) / (Math.abs(g[i]) + 1e-8);
    return k ** 50 * t0 - (c * (1 - k ** 50)) / (1 - k);
  });
  // ≤ 2 spacings of rounding per step, 50 steps.
  assertClose(w, expected, (e) => 50 * 2 * f32Spacing(Math.max(Math.abs(e), 1)), "θ after 50 constant-gradient steps");
});

test("no decay for biases and norm layers by default (the Trainer's groups); 'all' and explicit lists override", () => {
  const names = ["enc.layer.0.attention.query.weight", "enc.layer.0.attention.query.bias", "enc.layer.0.layernorm_before.weight", "classifier.weight"];
  const params = Object.fromEntries(names.map((n) => [n, Float32Array.of(1, 1)]));
  assert.deepEqual(new AdamW(params, { weightDecay: 0.1 }).decayedParameterNames, ["enc.layer.0.attention.query.weight", "classifier.weight"]);
  assert.deepEqual(new AdamW(params, { weightDecay: 0.1, decayParameters: "all" }).decayedParameterNames, names);
  assert.deepEqual(new AdamW(params, { weightDecay: 0.1, decayParameters: ["classifier.weight"] }).decayedParameterNames, ["classifier.weight"]);
  assert.throws(() => new AdamW(params, { decayParameters: ["nope"] }), InvalidHyperparameterError);
  // With a zero gradient only the decayed parameter shrinks: 1·(1 − lr·λ).
  const w = Float32Array.of(1);
  const b = Float32Array.of(1);
  new AdamW({ w, b }, { lr: 0.5, weightDecay: 0.2, decayParameters: ["w"] }).step({ w: Float32Array.of(0), b: Float32Array.of(0) });
  assert.equal(w[0], Math.fround(0.9));
  assert.equal(b[0], 1);
});

test("a missing or misshapen gradient is refused before any parameter changes", () => {
  const a = Float32Array.of(1, 2);
  const b = Float32Array.of(3);
  const optimizer = new AdamW({ a, b }, { lr: 0.1 });
  assert.throws(() => optimizer.step({ a: Float32Array.of(1, 1) }), (e: unknown) => e instanceof GradientMismatchError && e.parameter === "b" && /no gradient "b"/.test(e.message));
  assert.throws(() => optimizer.step({ a: Float32Array.of(1, 1), b: Float32Array.of(1, 1) }), /has 2 elements but parameter "b" has 1/);
  assert.throws(() => optimizer.step({ a: new Float64Array(2) as unknown as Float32Array, b: Float32Array.of(1) }), /must be float32/);
  assert.deepEqual([...a, ...b], [1, 2, 3]);
  assert.equal(optimizer.stepCount, 0);
  // Gradients keyed like the training graph's outputs, as tensors.
  optimizer.step({ "grad.a": { data: Float32Array.of(1, -1) }, "grad.b": { data: Float32Array.of(1) } }, { prefix: "grad." });
  assert.equal(optimizer.stepCount, 1);
  assert.ok(a[0] < 1 && a[1] > 2);
});

test("hyperparameters are range-checked with the option named", () => {
  const p = { w: Float32Array.of(1) };
  for (const [options, option] of [
    [{ lr: -1 }, "lr"],
    [{ eps: Number.NaN }, "eps"],
    [{ betas: [0.9, 1] as [number, number] }, "betas[1]"],
    [{ betas: [-0.1, 0.9] as [number, number] }, "betas[0]"],
    [{ weightDecay: -0.01 }, "weightDecay"],
  ] as const) {
    assert.throws(() => new AdamW(p, options), (e: unknown) => e instanceof InvalidHyperparameterError && e.option === option);
  }
  const optimizer = new AdamW(p);
  assert.equal(optimizer.lr, 5e-5);
  assert.deepEqual(optimizer.betas, [0.9, 0.999]);
  assert.equal(optimizer.eps, 1e-8);
  assert.equal(optimizer.weightDecay, 0);
  assert.throws(() => (optimizer.lr = Number.POSITIVE_INFINITY), InvalidHyperparameterError);
  assert.throws(() => new AdamW({}), GradientMismatchError);
});

test("stateDict → loadStateDict into a fresh optimizer continues bit for bit", () => {
  const rng = new TestRandom(3);
  const make = () => ({ w: rng.float32Array(300), "w.bias": rng.float32Array(30) });
  const a = make();
  const b = { w: Float32Array.from(a.w), "w.bias": Float32Array.from(a["w.bias"]) };
  const first = new AdamW(a, { lr: 3e-3, weightDecay: 0.1, betas: [0.8, 0.99], eps: 1e-7 });
  const grads = Array.from({ length: 20 }, () => ({ w: rng.float32Array(300), "w.bias": rng.float32Array(30) }));
  for (const g of grads.slice(0, 10)) first.step(g);
  const second = new AdamW(b, { lr: 1, decayParameters: "all" });
  b.w.set(a.w);
  b["w.bias"].set(a["w.bias"]);
  second.loadStateDict(first.stateDict());
  assert.deepEqual(second.stateDict().hyperparameters, first.stateDict().hyperparameters);
  assert.deepEqual(second.stateDict().groups, first.stateDict().groups);
  assert.deepEqual(second.decayedParameterNames, ["w"]);
  for (const g of grads.slice(10)) {
    first.step(g);
    second.step(g);
  }
  assert.deepEqual(b.w, a.w);
  assert.deepEqual(b["w.bias"], a["w.bias"]);
  assert.deepEqual(second.stateDict().tensors, first.stateDict().tensors);
  assert.deepEqual(second.stateDict().scalars, first.stateDict().scalars);
});

test("a saved state for other parameters or another optimizer is refused without changing anything", () => {
  const optimizer = new AdamW({ w: Float32Array.of(1, 2) });
  const other = new AdamW({ v: Float32Array.of(1, 2) }).stateDict();
  assert.throws(() => optimizer.loadStateDict(other), (e: unknown) => e instanceof OptimizerStateError && /missing from the saved state: "w"/.test(e.message) && /"v"/.test(e.message));
  const wrongShape = new AdamW({ w: Float32Array.of(1, 2, 3) }).stateDict();
  assert.throws(() => optimizer.loadStateDict(wrongShape), /has 3 elements but the parameter has 2/);
  assert.throws(() => optimizer.loadStateDict({ ...optimizer.stateDict(), type: "SGD" }), /is for "SGD", not AdamW/);
  assert.equal(optimizer.stepCount, 0);
});
