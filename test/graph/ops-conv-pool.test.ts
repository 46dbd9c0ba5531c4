import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/index.js";
import { randomFloats } from "./support/random.js";
import { conv, pool, reduce } from "./support/reference.js";
import { assertClose, f32, runEach, runModel, toArr } from "./support/run-graph.js";

test("Conv1d: stride, padding, dilation, groups and bias over a symbolic length", async () => {
  const g = new GraphBuilder({ name: "conv1d" });
  const x = g.input("x", "float32", ["batch", 4, "samples"]);
  const w = f32([6, 2, 3], randomFloats(36, 1));
  const b = f32([6], randomFloats(6, 2));
  const y = g.conv(x, g.initializer("w", w), g.initializer("b", b), { strides: [2], pads: [1, 2], dilations: [2], group: 2 });
  assert.deepEqual(y.shape, ["batch", 6, "floor((samples-2)/2)+1"]); // (samples + 3 pad − 5 dilated kernel) / 2 + 1
  g.output("y", y);
  const wPlain = f32([3, 4, 5], randomFloats(60, 3));
  const plain = g.conv(x, g.initializer("w_plain", wPlain));
  assert.deepEqual(plain.shape, ["batch", 3, "samples-4"]);
  g.output("plain", plain);
  const feeds = [[2, 11], [1, 16]].map(([n, s]) => ({ x: f32([n!, 4, s!], randomFloats(n! * 4 * s!, s!)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    assertClose(out.y!, conv(X, toArr(w), toArr(b), [2], [1, 2], [2], 2));
    assertClose(out.plain!, conv(X, toArr(wPlain), undefined, [1], [0, 0], [1], 1));
  });
});

test("Conv1d keeps the length with PyTorch 'same' padding; depthwise groups", async () => {
  const g = new GraphBuilder({ name: "conv1d-same" });
  const x = g.input("x", "float32", [1, 3, "time"]);
  const w = f32([3, 1, 5], randomFloats(15, 4));
  const y = g.conv(x, g.initializer("w", w), undefined, { pads: [2, 2], group: 3 });
  assert.deepEqual(y.shape, [1, 3, "time"]);
  g.output("y", y);
  const xv = randomFloats(21, 5);
  const out = await runModel(g.build(), { x: f32([1, 3, 7], xv) });
  assertClose(out.y!, conv(toArr(f32([1, 3, 7], xv)), toArr(w), undefined, [1], [0, 0].map(() => 2), [1], 3));
});

test("Conv2d patch embedding: kernel 16, stride 10 (AST-style), and a padded 3×3", async () => {
  const g = new GraphBuilder({ name: "conv2d" });
  const x = g.input("x", "float32", ["batch", 1, 36, 26]);
  const w = f32([5, 1, 16, 16], randomFloats(5 * 256, 6, 0.2));
  const b = f32([5], randomFloats(5, 7));
  const patches = g.conv(x, g.initializer("w", w), g.initializer("b", b), { strides: [10, 10] });
  assert.deepEqual(patches.shape, ["batch", 5, 3, 2]);
  g.output("patches", patches);
  const w3 = f32([2, 1, 3, 3], randomFloats(18, 8));
  g.output("padded", g.conv(x, g.initializer("w3", w3), undefined, { pads: [1, 0, 1, 2], strides: [2, 1] }));
  const feeds = [1, 2].map((n) => ({ x: f32([n, 1, 36, 26], randomFloats(n * 936, n)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    assertClose(out.patches!, conv(X, toArr(w), toArr(b), [10, 10], [0, 0, 0, 0], [1, 1], 1));
    assertClose(out.padded!, conv(X, toArr(w3), undefined, [2, 1], [1, 0, 1, 2], [1, 1], 1));
  });
});

test("AveragePool, MaxPool and GlobalAveragePool", async () => {
  const g = new GraphBuilder({ name: "pool" });
  const x = g.input("x", "float32", ["batch", 3, 8, 6]);
  g.output("avg", g.averagePool(x, { kernel: [2, 2], strides: [2, 2] }));
  g.output("avg_pad", g.averagePool(x, { kernel: [3, 3], strides: [1, 2], pads: [1, 1, 1, 1], countIncludePad: true }));
  g.output("max", g.maxPool(x, { kernel: [3, 2], strides: [2, 2], pads: [1, 0, 1, 0] }));
  g.output("global", g.globalAveragePool(x));
  const feeds = [1, 2].map((n) => ({ x: f32([n, 3, 8, 6], randomFloats(n * 144, n + 10)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    assertClose(out.avg!, pool(X, [2, 2], [2, 2], [0, 0, 0, 0], "avg"));
    assertClose(out.avg_pad!, pool(X, [3, 3], [1, 2], [1, 1, 1, 1], "avg", true));
    assertClose(out.max!, pool(X, [3, 2], [2, 2], [1, 0, 1, 0], "max"));
    assertClose(out.global!, reduce(X, [2, 3], true, 0, (s, v) => s + v, (s, c) => s / c));
  });
});

test("GlobalMaxPool keeps [N, C, 1, 1]", async () => {
  const g = new GraphBuilder({ name: "global-max" });
  const x = g.input("x", "float32", ["batch", 2, 3, 4]);
  const y = g.op("GlobalMaxPool", [x])[0]!;
  assert.deepEqual(y.shape, ["batch", 2, 1, 1]);
  g.output("y", y);
  const xv = randomFloats(48, 3);
  const out = await runModel(g.build(), { x: f32([2, 2, 3, 4], xv) });
  assertClose(out.y!, reduce(toArr(f32([2, 2, 3, 4], xv)), [2, 3], true, -Infinity, Math.max));
});
