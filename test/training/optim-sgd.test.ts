import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidHyperparameterError, OptimizerStateError, SGD } from "../../src/training/optim/index.js";
import { assertClose, f32Spacing, TestRandom } from "./optim-fixtures.js";

/** torch.optim.sgd._single_tensor_sgd transcribed in float64. */
function torchSgd(p: number[], g: number[], buf: number[] | undefined, o: { lr: number; momentum: number; dampening: number; nesterov: boolean; wd: number }) {
  const d = g.map((x, i) => x + o.wd * p[i]);
  let nextBuf = buf;
  let step = d;
  if (o.momentum !== 0) {
    nextBuf = buf === undefined ? [...d] : buf.map((b, i) => o.momentum * b + (1 - o.dampening) * d[i]);
    step = o.nesterov ? d.map((x, i) => x + o.momentum * (nextBuf as number[])[i]) : nextBuf;
  }
  return { p: p.map((x, i) => x - o.lr * step[i]), buf: nextBuf };
}

for (const settings of [
  { momentum: 0, dampening: 0, nesterov: false, wd: 0 },
  { momentum: 0.9, dampening: 0, nesterov: false, wd: 0.01 },
  { momentum: 0.9, dampening: 0.1, nesterov: false, wd: 0 },
  { momentum: 0.8, dampening: 0, nesterov: true, wd: 0.05 },
]) {
  test(`SGD matches torch's algorithm step by step (${JSON.stringify(settings)})`, () => {
    const rng = new TestRandom(5);
    const w = rng.float32Array(257);
    const lr = 0.01;
    const sgd = new SGD({ w }, { lr, momentum: settings.momentum, dampening: settings.dampening, nesterov: settings.nesterov, weightDecay: settings.wd, decayParameters: "all" });
    let buf: number[] | undefined;
    for (let t = 0; t < 100; t++) {
      const g = rng.float32Array(257);
      const before = [...w];
      const state = sgd.stateDict();
      const saved = state.tensors.get("momentum_buffer.w");
      if (t > 0 && settings.momentum !== 0) buf = [...(saved as Float32Array)];
      const ref = torchSgd(before, [...g], buf, { lr, ...settings });
      sgd.step({ w: g });
      // float32 rounding of the decayed gradient, the buffer and the result: a few spacings.
      assertClose(w, ref.p, (e, i) => 2 * f32Spacing(e) + 4 * lr * f32Spacing(Math.abs(g[i]) + Math.abs(ref.buf?.[i] ?? 0) + 1), `step ${t}`);
    }
  });
}

test("SGD state round-trips and refuses a state with other momentum settings", () => {
  const rng = new TestRandom(9);
  const a = rng.float32Array(40);
  const b = Float32Array.from(a);
  const first = new SGD({ w: a }, { lr: 0.1, momentum: 0.9 });
  const grads = Array.from({ length: 6 }, () => rng.float32Array(40));
  first.step({ w: grads[0] });
  b.set(a);
  const second = new SGD({ w: b }, { lr: 0.5, momentum: 0.9 });
  second.loadStateDict(first.stateDict());
  assert.equal(second.lr, 0.1);
  for (const g of grads.slice(1)) {
    first.step({ w: g });
    second.step({ w: g });
  }
  assert.deepEqual(b, a);
  assert.throws(() => new SGD({ w: b }, { momentum: 0.5 }).loadStateDict(first.stateDict()), (e: unknown) => e instanceof OptimizerStateError && /momentum 0.9/.test(e.message));
  assert.throws(() => new SGD({ w: b }, { nesterov: true }), InvalidHyperparameterError);
  // A fresh optimizer's state (no buffers yet) also round-trips.
  const fresh = new SGD({ w: b }, { momentum: 0.9 });
  fresh.loadStateDict(new SGD({ w: a }, { momentum: 0.9 }).stateDict());
  assert.equal(fresh.stateDict().tensors.size, 0);
});
