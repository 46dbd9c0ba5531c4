import { test } from "node:test";
import assert from "node:assert/strict";
import { bceWithLogitsLoss, crossEntropyLoss } from "../../../src/graph/autodiff/index.js";
import { GraphBuilder } from "../../../src/graph/index.js";
import { createSession } from "../../../src/runtime/index.js";
import type { Tensor } from "../../../src/tensor.js";
import { randomFloats } from "../support/random.js";
import { f32, i64 } from "../support/run-graph.js";
import { bceWithLogits64, crossEntropy64 } from "./support/reference-losses.js";
import { t64 } from "./support/tensor64.js";

/** Runs a loss on fed logits and labels; returns loss and ∂loss/∂logits. */
async function runLoss(
  kind: "ce" | "bce",
  logits: Tensor<"float32">,
  labels: Tensor,
  options: { labelSmoothing?: number; ignoreIndex?: number } = {},
): Promise<{ loss: number; grad: Float32Array }> {
  const g = new GraphBuilder({ name: "loss" });
  const x = g.input("logits", "float32", logits.dims.map((_, i) => (i === 0 ? "batch" : logits.dims[i]!)));
  const y = g.input("labels", labels.type, labels.dims.map((_, i) => (i === 0 ? "batch" : labels.dims[i]!)));
  const { loss, dLogits } = kind === "ce" ? crossEntropyLoss(g, x, y, options) : bceWithLogitsLoss(g, x, y);
  g.output("loss", loss);
  g.output("grad", dLogits);
  const session = await createSession(g.build(), { threads: 1 });
  try {
    const out = await session.run({ logits, labels });
    return { loss: (out.loss!.data as Float32Array)[0]!, grad: out.grad!.data as Float32Array };
  } finally {
    await session.dispose();
  }
}

/** float64 central differences of a loss over every logit. */
function numericGradient(logits: number[], loss: (x: number[]) => number): number[] {
  return logits.map((v, i) => {
    const h = 1e-6 * Math.max(1, Math.abs(v));
    const plus = [...logits];
    const minus = [...logits];
    plus[i] = v + h;
    minus[i] = v - h;
    return (loss(plus) - loss(minus)) / (2 * h);
  });
}

function assertNear(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

test("cross-entropy: the value PyTorch gives", async () => {
  // F.cross_entropy(torch.tensor([[1., 2., 3.], [1., 1., 1.]]), torch.tensor([2, 0])) = 0.753109…
  const { loss } = await runLoss("ce", f32([2, 3], [1, 2, 3, 1, 1, 1]), i64([2], [2, 0]));
  const expected = ((Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3) + Math.log(3)) / 2;
  assert.ok(Math.abs(loss - expected) < 1e-6, `${loss} vs ${expected}`);
  assert.ok(Math.abs(expected - 0.7531091) < 1e-6);
});

test("cross-entropy with label smoothing and ignored labels matches float64 central differences", async () => {
  const logits = randomFloats(12, 3, 2);
  const valid = [1, -100, 2, 0];
  for (const labelSmoothing of [0, 0.2]) {
    const { loss, grad } = await runLoss("ce", f32([4, 3], logits), i64([4], valid), { labelSmoothing });
    const reference = (x: number[]): number => crossEntropy64(t64([4, 3], x), valid, { labelSmoothing });
    const base = Array.from(logits);
    assert.ok(Math.abs(loss - reference(base)) < 1e-6, `smoothing ${labelSmoothing}: loss ${loss} vs ${reference(base)}`);
    assertNear(grad, numericGradient(base, reference), 1e-6, `smoothing ${labelSmoothing}: gradient`);
    // the ignored row gets no gradient at all
    assert.ok(grad.slice(3, 6).every((v) => v === 0), `ignored row: ${grad.slice(3, 6)}`);
  }
});

test("cross-entropy is stable for huge logits, handles class-last logits of rank 3, and gives 0 when all labels are ignored", async () => {
  const huge = await runLoss("ce", f32([2, 2], [1e4, -1e4, 3e4, 3e4 + 2]), i64([2], [1, 1]));
  assert.ok(Math.abs(huge.loss - (2e4 + Math.log1p(Math.exp(-2))) / 2) < 1e-2 && huge.grad.every(Number.isFinite), `${huge.loss}`);
  const frames = randomFloats(12, 5);
  const frameLabels = [0, 2, -100, 1];
  const seq = await runLoss("ce", f32([2, 2, 3], frames), i64([2, 2], frameLabels));
  const reference = (x: number[]): number => crossEntropy64(t64([4, 3], x), frameLabels);
  assert.ok(Math.abs(seq.loss - reference(Array.from(frames))) < 1e-6);
  assertNear(seq.grad, numericGradient(Array.from(frames), reference), 1e-6, "rank-3 gradient");
  const none = await runLoss("ce", f32([2, 3], [1, 2, 3, 4, 5, 6]), i64([2], [-100, -100]));
  assert.equal(none.loss, 0);
  assert.ok(none.grad.every((v) => v === 0));
});

test("BCE with logits: value, gradient (σ(x) − y)/n, stability for large |x|", async () => {
  const logits = randomFloats(8, 9, 3);
  const labels = [1, 0, 0, 1, 1, 1, 0, 0];
  const { loss, grad } = await runLoss("bce", f32([2, 4], logits), f32([2, 4], labels));
  const reference = (x: number[]): number => bceWithLogits64(t64([2, 4], x), labels);
  assert.ok(Math.abs(loss - reference(Array.from(logits))) < 1e-6);
  assertNear(grad, numericGradient(Array.from(logits), reference), 1e-7, "gradient");
  const big = await runLoss("bce", f32([1, 2], [200, -200]), f32([1, 2], [0, 1]));
  assert.ok(Math.abs(big.loss - 200) < 1e-3, `${big.loss}`);
  assertNear(big.grad, [0.5, -0.5], 1e-6, "saturated gradient");
});

test("loss arguments are checked", () => {
  const g = new GraphBuilder({ name: "bad" });
  const x = g.input("logits", "float32", [2, 3]);
  assert.throws(() => crossEntropyLoss(g, x, g.input("l1", "int64", [2, 3])), /labels \[\.\.\.\] with one axis less/);
  assert.throws(() => crossEntropyLoss(g, x, g.input("l2", "int64", [2]), { labelSmoothing: 1.5 }), /labelSmoothing must be in \[0, 1\]/);
  assert.throws(() => bceWithLogitsLoss(g, x, g.input("l3", "int64", [2, 3])), /needs float32 labels shaped like the logits/);
});
