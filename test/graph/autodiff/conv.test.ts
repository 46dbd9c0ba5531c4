import { test } from "node:test";
import assert from "node:assert/strict";
import { buildVjpGraph } from "../../../src/graph/autodiff/index.js";
import { GraphBuilder } from "../../../src/graph/index.js";
import { randomFloats } from "../support/random.js";
import { f32 } from "../support/run-graph.js";
import { checkVjp } from "./support/check-vjp.js";
import { OpBench } from "./support/op-bench.js";

test("Conv1d: strides, asymmetric pads, dilations and groups w.r.t. input, weight and bias", async () => {
  const b = new OpBench("conv1d");
  const g = b.g;
  const conv = (op: string, x: number[], w: number[], options: { strides?: number[]; pads?: number[]; dilations?: number[]; group?: number }, bias = true): void => {
    g.output(op, g.conv(b.input(op, "x", x), b.input(op, "w", w), bias ? b.input(op, "b", [w[0]!]) : undefined, options));
  };
  conv("plain", [2, 3, 9], [4, 3, 3], {});
  conv("strided", [2, 2, 11], [3, 2, 3], { strides: [2], pads: [1, 2] });
  conv("leftover", [1, 2, 12], [2, 2, 4], { strides: [3] }); // 12 − 4 = 8 is not a multiple of 3
  conv("dilated", [2, 2, 10], [2, 2, 3], { dilations: [2], pads: [2, 2] });
  conv("grouped", [2, 4, 8], [6, 2, 3], { group: 2, strides: [2], pads: [1, 1] }, false);
  conv("depthwise", [1, 3, 7], [3, 1, 4], { group: 3, pads: [2, 1] });
  await b.check();
});

test("Conv1d over a symbolic length: stride leftovers unknown until run time (wav2vec2 feature encoder)", async () => {
  const b = new OpBench("conv1d-symbolic");
  const g = b.g;
  const x = b.input("enc", "x", [2, 1, 23], randomFloats, ["batch", 1, "samples"]);
  const h = g.gelu(g.conv(x, b.input("enc", "w1", [3, 1, 5]), undefined, { strides: [3] }));
  const y = g.conv(h, b.input("enc", "w2", [2, 3, 3]), b.input("enc", "b2", [2]), { strides: [2], pads: [1, 0] });
  assert.equal(typeof y.shape[2], "string");
  g.output("y", y);
  const model = g.build();
  // one graph, three lengths with different leftovers after each strided window
  for (const samples of [23, 24, 25]) {
    await checkVjp(model, { ...b.feeds, "enc.x": f32([2, 1, samples], randomFloats(2 * samples, samples)) });
  }
});

test("Conv2d: patch embedding (stride = kernel), overlapping strided windows, groups", async () => {
  const b = new OpBench("conv2d");
  const g = b.g;
  g.output("patches", g.conv(b.input("patches", "x", [2, 1, 8, 6]), b.input("patches", "w", [3, 1, 4, 3]), b.input("patches", "b", [3]), { strides: [4, 3] }));
  g.output("overlap", g.conv(b.input("overlap", "x", [1, 2, 7, 6]), b.input("overlap", "w", [2, 2, 3, 2]), undefined, { strides: [2, 2], pads: [1, 0, 0, 1], dilations: [1, 2] }));
  g.output("grouped", g.conv(b.input("grouped", "x", [1, 4, 5, 5]), b.input("grouped", "w", [4, 2, 3, 3]), b.input("grouped", "b", [4]), { group: 2, pads: [1, 1, 1, 1] }));
  await b.check();
});

test("pooling: AveragePool (with and without counted pads), GlobalAveragePool, GlobalMaxPool", async () => {
  const b = new OpBench("pool");
  const g = b.g;
  g.output("avg", g.averagePool(b.input("avg", "x", [2, 2, 7]), { kernel: [3], strides: [2] }));
  g.output("avg_pad", g.averagePool(b.input("avg_pad", "x", [1, 2, 5, 6]), { kernel: [2, 3], strides: [2, 2], pads: [1, 1, 0, 1] }));
  g.output("avg_count_pad", g.averagePool(b.input("avg_count_pad", "x", [1, 1, 6]), { kernel: [3], pads: [1, 1], countIncludePad: true }));
  g.output("global_avg", g.globalAveragePool(b.input("global_avg", "x", [2, 3, 4, 2])));
  g.output("global_max", g.op("GlobalMaxPool", [b.input("global_max", "x", [2, 3, 5])])[0]!);
  await b.check();
});

test("MaxPool has no gradient rule and says what to do", () => {
  const g = new GraphBuilder({ name: "maxpool" });
  const x = g.input("x", "float32", [1, 1, 4]);
  g.output("y", g.maxPool(x, { kernel: [2] }));
  assert.throws(() => buildVjpGraph(g.build(), { wrt: ["x"] }), /no gradient rule for op MaxPool \(used by node "MaxPool_0"\).*Supported: .*Conv/);
});
