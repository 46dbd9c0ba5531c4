import { test } from "node:test";
import assert from "node:assert/strict";
import { AdamW, InvalidHyperparameterError, LrScheduler, OptimizerStateError, scheduleMultiplier, warmupSteps } from "../../src/training/optim/index.js";

test("linear: 0 → 1 over the warm-up, then down to 0 at the last step, never negative", () => {
  const s = { type: "linear", numWarmupSteps: 10, numTrainingSteps: 100 } as const;
  const at = (t: number) => scheduleMultiplier(s, t);
  assert.deepEqual([0, 1, 5, 9, 10, 11, 55, 99, 100, 101, 150].map(at), [0, 0.1, 0.5, 0.9, 1, 89 / 90, 0.5, 1 / 90, 0, 0, 0]);
  assert.equal(scheduleMultiplier({ type: "linear", numTrainingSteps: 4 }, 0), 1);
  assert.equal(scheduleMultiplier({ type: "linear", numTrainingSteps: 4 }, 3), 0.25);
  // Warm-up as long as the run: max(1, 0) guards the division.
  assert.equal(scheduleMultiplier({ type: "linear", numWarmupSteps: 10, numTrainingSteps: 10 }, 10), 0);
});

test("cosine (num_cycles 0.5): half a cosine from 1 to 0 after the warm-up", () => {
  const s = { type: "cosine", numWarmupSteps: 10, numTrainingSteps: 110 } as const;
  const at = (t: number) => scheduleMultiplier(s, t);
  assert.equal(at(0), 0);
  assert.equal(at(5), 0.5);
  assert.equal(at(10), 1);
  assert.equal(at(35), 0.5 * (1 + Math.cos(Math.PI / 4))); // progress 0.25
  assert.ok(Math.abs(at(60) - 0.5) < 1e-15); // progress 0.5
  assert.ok(at(110) < 1e-16 && at(110) >= 0);
  // One full cycle comes back up; max(0, ·) never goes negative.
  assert.ok(Math.abs(scheduleMultiplier({ type: "cosine", numTrainingSteps: 100, numCycles: 1 }, 100) - 1) < 1e-15);
  assert.ok(scheduleMultiplier({ type: "cosine", numTrainingSteps: 100, numCycles: 1 }, 50) >= 0);
});

test("constant and constant_with_warmup", () => {
  assert.deepEqual([0, 3, 1000].map((t) => scheduleMultiplier({ type: "constant", numWarmupSteps: 5 }, t)), [1, 1, 1]);
  assert.deepEqual([0, 1, 3, 4, 9].map((t) => scheduleMultiplier({ type: "constant_with_warmup", numWarmupSteps: 4 }, t)), [0, 0.25, 0.75, 1, 1]);
  assert.equal(scheduleMultiplier({ type: "constant_with_warmup", numWarmupSteps: 0 }, 0), 1);
});

test("warm-up steps: an explicit count wins, else ceil(total × ratio) in float64 like TrainingArguments.get_warmup_steps", () => {
  assert.equal(warmupSteps(100, { warmupRatio: 0.1 }), 10);
  assert.equal(warmupSteps(100, { warmupRatio: 0.07 }), 8); // 100 × 0.07 = 7.000000000000001 in float64
  assert.equal(warmupSteps(1234, { warmupRatio: 0.1 }), 124);
  assert.equal(warmupSteps(100, { warmupSteps: 3, warmupRatio: 0.5 }), 3);
  assert.equal(warmupSteps(100, {}), 0);
  assert.throws(() => warmupSteps(100, { warmupRatio: 1.5 }), InvalidHyperparameterError);
  assert.throws(() => warmupSteps(100, { warmupSteps: 2.5 }), InvalidHyperparameterError);
});

test("the scheduler drives the optimizer's lr like LambdaLR: base·λ(0) at once, base·λ(t) after each step", () => {
  const optimizer = new AdamW({ w: new Float32Array(1) }, { lr: 5e-5 });
  const scheduler = new LrScheduler(optimizer, { type: "linear", numWarmupSteps: 2, numTrainingSteps: 6 });
  assert.equal(optimizer.lr, 0);
  const lrs = [optimizer.lr];
  for (let i = 0; i < 7; i++) lrs.push(scheduler.step());
  // base · λ in float64, as LambdaLR computes it in Python.
  assert.deepEqual(lrs, [0, 0.5, 1, 0.75, 0.5, 0.25, 0, 0].map((m) => 5e-5 * m));
  assert.equal(optimizer.lr, 0);
  assert.equal(scheduler.stepCount, 7);
  assert.throws(() => new LrScheduler(optimizer, { type: "cosine" }), /needs numTrainingSteps/);
  assert.throws(() => new LrScheduler(optimizer, { type: "polynomial" as "linear", numTrainingSteps: 3 }), /must be one of constant, constant_with_warmup, linear, cosine/);
});

test("scheduler state restores the step and refuses a different schedule", () => {
  const a = new AdamW({ w: new Float32Array(1) }, { lr: 1e-3 });
  const sa = new LrScheduler(a, { type: "cosine", numWarmupSteps: 3, numTrainingSteps: 20 });
  for (let i = 0; i < 7; i++) sa.step();
  const saved = JSON.parse(JSON.stringify(sa.stateDict()));
  const b = new AdamW({ w: new Float32Array(1) }, { lr: 1e-3 });
  const sb = new LrScheduler(b, { type: "cosine", numWarmupSteps: 3, numTrainingSteps: 20 });
  sb.loadStateDict(saved);
  assert.equal(b.lr, a.lr);
  assert.equal(sb.step(), sa.step());
  const other = new LrScheduler(new AdamW({ w: new Float32Array(1) }, { lr: 1e-3 }), { type: "linear", numWarmupSteps: 3, numTrainingSteps: 20 });
  assert.throws(() => other.loadStateDict(saved), (e: unknown) => e instanceof OptimizerStateError && /type "cosine"/.test(e.message));
});
