import { test } from "node:test";
import assert from "node:assert/strict";
import { DROPOUT_MASK_PREFIX, buildTrainingGraph, buildVjpGraph, dropoutMaskFeeds, dropoutSeedForStep } from "../../../src/graph/autodiff/index.js";
import { GraphBuilder, type GraphModel, opCounts } from "../../../src/graph/index.js";
import { createSession } from "../../../src/runtime/index.js";
import type { Tensor } from "../../../src/tensor.js";
import { randomFloats } from "../support/random.js";
import { f32 } from "../support/run-graph.js";

/** logits = dropout(w)·2 with w a parameter: the mask can be read off the logits. */
function dropoutOfParameter(ratio: number): GraphModel {
  const g = new GraphBuilder({ name: "dropout-param" });
  const x = g.input("x", "float32", ["batch", 6]);
  const w = g.initializer("w", f32([6], randomFloats(6, 1).map((v) => v + Math.sign(v) * 0.5)));
  g.output("logits", g.mul(g.add(g.mul(x, 0), g.dropout(w, ratio)), 2));
  return g.build();
}

async function run(model: GraphModel, feeds: Record<string, Tensor>, times: number): Promise<Record<string, Tensor>[]> {
  const session = await createSession(model, { threads: 1 });
  try {
    const out: Record<string, Tensor>[] = [];
    for (let i = 0; i < times; i++) out.push(await session.run(feeds));
    return out;
  } finally {
    await session.dispose();
  }
}

test("g.dropout is the identity at inference and adds no node for ratio 0", async () => {
  const g = new GraphBuilder({ name: "inference" });
  const x = g.input("x", "float32", [2, 3]);
  assert.equal(g.dropout(x, 0), x);
  g.output("y", g.dropout(x, 0.5));
  const model = g.build();
  assert.equal(opCounts(model).Dropout, 1);
  const [out] = await run(model, { x: f32([2, 3], [1, 2, 3, 4, 5, 6]) }, 1);
  assert.deepEqual(Array.from(out!.y!.data as Float32Array), [1, 2, 3, 4, 5, 6]);
  assert.throws(() => g.dropout(x, 1), /ratio must be in \[0, 1\)/);
});

test("in-graph dropout: masks scale kept values by 1/(1−p), the gradient uses the same mask; sessions replay the same sequence", async () => {
  const forward = dropoutOfParameter(0.5);
  const training = buildTrainingGraph(forward, { trainable: () => true, loss: "bce_with_logits", dropout: { mode: "in-graph", seed: 3 } });
  assert.equal(training.training.dropout.sites.length, 1);
  const w = Array.from(forward.initializers.values())[0]!.data as Float32Array;
  const feeds = { x: f32([1, 6], [0, 0, 0, 0, 0, 0]), labels: f32([1, 6], [1, 0, 1, 1, 0, 0]), w: { type: "float32", dims: [6], data: w } as Tensor };
  const first = await run(training, feeds, 3);
  const again = await run(training, feeds, 3);
  const masks = first.map((out) => Array.from(out.logits!.data as Float32Array, (v) => (v === 0 ? 0 : 1)));
  for (const out of first) {
    const logits = out.logits!.data as Float32Array;
    const grad = out["grad.w"]!.data as Float32Array;
    logits.forEach((v, i) => {
      assert.ok(v === 0 || Math.abs(v - 4 * w[i]!) < 1e-6, "kept values are doubled (×2 of the graph, ×1/(1−p) of dropout)");
      const dLogit = (1 / (1 + Math.exp(-v)) - feeds.labels.data[i]!) / 6;
      assert.ok(Math.abs(grad[i]! - (v === 0 ? 0 : dLogit * 4)) < 1e-6, `grad[${i}] ${grad[i]}`);
    });
  }
  assert.ok(masks.some((m) => m.includes(0)) && masks.some((m) => m.some((v) => v !== 0)));
  assert.notDeepEqual(masks[0], masks[1], "each run draws new masks");
  first.forEach((out, k) => assert.deepEqual(out.logits!.data, again[k]!.logits!.data, "a new session replays the sequence"));
  const reseeded = buildTrainingGraph(forward, { trainable: () => true, loss: "bce_with_logits", dropout: { mode: "in-graph", seed: dropoutSeedForStep(3, 1000) } });
  const other = await run(reseeded, feeds, 3);
  assert.ok(other.some((out, k) => !first[k]!.logits!.data.every((v, i) => v === out.logits!.data[i])), "another seed, other masks");
});

test("mask-input dropout: counter-based masks are reproducible per (seed, step), differ across steps, keep ≈ 1 − p", () => {
  const g = new GraphBuilder({ name: "masks" });
  const x = g.input("x", "float32", ["batch", "time", 16]);
  const w = g.initializer("w", f32([16, 4], randomFloats(64, 2)));
  g.output("logits", g.reduceMean(g.matMul(g.dropout(g.dropout(x, 0.25), 0.1), w), [1], { keepDims: false }));
  const training = buildTrainingGraph(g.build(), { trainable: () => true, loss: "bce_with_logits", dropout: { mode: "mask-inputs" } });
  const sites = training.training.dropout.sites;
  assert.deepEqual(sites.map((s) => [s.maskInput, s.ratio]), [[`${DROPOUT_MASK_PREFIX}0`, 0.25], [`${DROPOUT_MASK_PREFIX}1`, Math.fround(0.1)]]); // float32 ratios
  assert.ok(training.inputs.some((id) => training.values[id]!.name === `${DROPOUT_MASK_PREFIX}0`));
  assert.equal(opCounts(training).Dropout ?? 0, 0);
  const feeds = { x: f32([4, 50, 16], new Float32Array(3200)) };
  const a = dropoutMaskFeeds(training, feeds, { seed: 1, step: 7 });
  const b = dropoutMaskFeeds(training, feeds, { seed: 1, step: 7 });
  const c = dropoutMaskFeeds(training, feeds, { seed: 1, step: 8 });
  const mask0 = a[`${DROPOUT_MASK_PREFIX}0`]!;
  assert.deepEqual(mask0.dims, [4, 50, 16]);
  assert.deepEqual(mask0.data, b[`${DROPOUT_MASK_PREFIX}0`]!.data);
  assert.notDeepEqual(mask0.data, c[`${DROPOUT_MASK_PREFIX}0`]!.data);
  assert.notDeepEqual(mask0.data, a[`${DROPOUT_MASK_PREFIX}1`]!.data);
  for (const [name, p] of [[`${DROPOUT_MASK_PREFIX}0`, 0.25], [`${DROPOUT_MASK_PREFIX}1`, 0.1]] as const) {
    const kept = a[name]!.data.reduce((s, v) => s + v, 0) / 3200;
    assert.ok(Math.abs(kept - (1 - p)) < 0.03, `${name}: kept ${kept}`);
  }
  assert.throws(() => dropoutMaskFeeds(training, {}, { seed: 1, step: 0 }), /cannot size dropout mask "dropout_mask.0"/);
});

test("dropout off: no Dropout node, the identity; a training-mode Dropout node's own rule reuses its mask output", async () => {
  const off = buildTrainingGraph(dropoutOfParameter(0.5), { trainable: () => true, loss: "bce_with_logits", dropout: { mode: "off" } });
  assert.equal(opCounts(off).Dropout ?? 0, 0);
  const g = new GraphBuilder({ name: "explicit" });
  const x = g.input("x", "float32", [3, 4]);
  const [y, mask] = g.op("Dropout", [x, g.scalar(0.4), g.scalar(true, "bool")], { seed: { type: "int", value: 5 } }, { outputs: 2 });
  g.output("y", y!);
  g.output("mask", g.cast(mask!, "float32"));
  const [out] = await run(buildVjpGraph(g.build(), { wrt: ["x"], outputs: ["y"] }), { x: f32([3, 4], randomFloats(12, 4)), "cotangent.y": f32([3, 4], randomFloats(12, 5)) }, 1);
  const m = out!.mask!.data as Float32Array;
  const ct = randomFloats(12, 5);
  (out!["grad.x"]!.data as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - ct[i]! * m[i]! / 0.6) < 1e-6, `${i}`));
});
