import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/index.js";
import { randomFloats } from "./support/random.js";
import { arr, broadcastMap, instanceNorm, layerNorm, matmul, softmax, transpose, unary } from "./support/reference.js";
import { assertClose, f32, runEach, runModel, toArr } from "./support/run-graph.js";

test("MatMul: 2-D, batched with broadcast batch dims, and 1-D operands", async () => {
  const g = new GraphBuilder({ name: "matmul" });
  const a = g.input("a", "float32", ["batch", 1, 5, 8]);
  const b = g.input("b", "float32", [3, 8, 4]);
  const v = g.input("v", "float32", [8]);
  const m = g.input("m", "float32", [4, 8]);
  g.output("batched", g.matMul(a, b));
  g.output("vec_right", g.matMul(m, v));
  g.output("vec_left", g.matMul(v, b));
  const feedsFor = (batch: number) => ({
    a: f32([batch, 1, 5, 8], randomFloats(batch * 40, batch)),
    b: f32([3, 8, 4], randomFloats(96, 7)),
    v: f32([8], randomFloats(8, 8)),
    m: f32([4, 8], randomFloats(32, 9)),
  });
  const feeds = [feedsFor(1), feedsFor(2)];
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const f = feeds[k]!;
    assertClose(out.batched!, matmul(toArr(f.a), toArr(f.b)));
    assertClose(out.vec_right!, matmul(toArr(f.m), toArr(f.v)));
    assertClose(out.vec_left!, matmul(toArr(f.v), toArr(f.b)));
  });
});

test("Gemm: transA/transB, alpha/beta and a broadcast bias", async () => {
  const g = new GraphBuilder({ name: "gemm" });
  const a = g.input("a", "float32", ["rows", 6]);
  const w = g.input("w", "float32", [4, 6]);
  const at = g.input("at", "float32", [6, 3]);
  const bias = g.input("bias", "float32", [4]);
  g.output("linear", g.gemm(a, w, bias, { transB: true }));
  g.output("scaled", g.gemm(at, w, bias, { transA: true, transB: true, alpha: 0.5, beta: 2 }));
  const feeds = {
    a: f32([5, 6], randomFloats(30, 1)),
    w: f32([4, 6], randomFloats(24, 2)),
    at: f32([6, 3], randomFloats(18, 3)),
    bias: f32([4], randomFloats(4, 4)),
  };
  const out = await runModel(g.build(), feeds);
  const W = toArr(feeds.w);
  const B = toArr(feeds.bias);
  assertClose(out.linear!, broadcastMap([matmul(toArr(feeds.a), transpose(W, [1, 0])), B], (x, y) => x + y));
  const scaled = matmul(transpose(toArr(feeds.at), [1, 0]), transpose(W, [1, 0]));
  assertClose(out.scaled!, broadcastMap([scaled, B], (x, y) => 0.5 * x + 2 * y));
});

test("Softmax over the last, a middle and a negative axis", async () => {
  const g = new GraphBuilder({ name: "softmax" });
  const x = g.input("x", "float32", ["batch", 3, 5]);
  g.output("last", g.softmax(x));
  g.output("middle", g.softmax(x, 1));
  g.output("negative", g.softmax(x, -2));
  const feeds = [2, 1].map((batch) => ({ x: f32([batch, 3, 5], randomFloats(batch * 15, batch, 4)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    assertClose(out.last!, softmax(X, -1));
    assertClose(out.middle!, softmax(X, 1));
    assertClose(out.negative!, softmax(X, 1));
  });
});

test("LayerNormalization over the last axis and over the last two axes", async () => {
  const g = new GraphBuilder({ name: "layernorm" });
  const x = g.input("x", "float32", ["batch", "time", 6]);
  const [scale, bias, scale2] = [f32([6], randomFloats(6, 1, 2)), f32([6], randomFloats(6, 2)), f32([4, 6], randomFloats(24, 3))];
  g.output("y", g.layerNormalization(x, g.initializer("ln.weight", scale), g.initializer("ln.bias", bias), { epsilon: 1e-5 }));
  g.output("y2", g.layerNormalization(x, g.initializer("ln2.weight", scale2), undefined, { axis: -2, epsilon: 1e-6 }));
  // y2's scale is [4, 6], so time is 4 in both runs; batch varies
  const feeds = [2, 3].map((b) => ({ x: f32([b, 4, 6], randomFloats(b * 24, b, 3)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    assertClose(out.y!, layerNorm(X, toArr(scale), toArr(bias), -1, 1e-5));
    assertClose(out.y2!, layerNorm(X, toArr(scale2), undefined, -2, 1e-6));
  });
});

test("InstanceNormalization equals per-channel normalisation over time (GroupNorm with groups == channels)", async () => {
  const g = new GraphBuilder({ name: "instancenorm" });
  const x = g.input("x", "float32", ["batch", 4, "time"]);
  const scale = f32([4], randomFloats(4, 5, 2));
  const bias = f32([4], randomFloats(4, 6));
  g.output("y", g.instanceNormalization(x, g.initializer("s", scale), g.initializer("b", bias), { epsilon: 1e-5 }));
  const feeds = [[2, 9], [1, 5]].map(([b, t]) => ({ x: f32([b!, 4, t!], randomFloats(b! * 4 * t!, b! * t!, 2)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => assertClose(out.y!, instanceNorm(toArr(feeds[k]!.x), toArr(scale), toArr(bias), 1e-5)));
});

test("BatchNormalization (inference) is the per-channel affine of its statistics", async () => {
  const g = new GraphBuilder({ name: "batchnorm" });
  const x = g.input("x", "float32", [2, 3, 4, 5]);
  const [scale, bias, mean] = [1, 2, 3].map((s) => f32([3], randomFloats(3, s)));
  const variance = f32([3], randomFloats(3, 4).map((v) => Math.abs(v) + 0.2));
  const p = (name: string, t: typeof scale) => g.initializer(name, t!);
  g.output("y", g.batchNormalization(x, p("scale", scale), p("bias", bias), p("mean", mean), p("var", variance), { epsilon: 1e-3 }));
  const xv = randomFloats(120, 9);
  const out = await runModel(g.build(), { x: f32([2, 3, 4, 5], xv) });
  const c = (t: typeof scale) => ({ dims: [3, 1, 1], data: Array.from(t!.data) });
  const expected = broadcastMap([arr([2, 3, 4, 5], xv), c(scale), c(bias), c(mean), c(variance)], (v, s, b, m, va) => ((v - m) / Math.sqrt(va + 1e-3)) * s + b);
  assertClose(out.y!, expected);
});

test("com.microsoft FusedMatMul with transB equals MatMul by the transposed weight", async () => {
  const g = new GraphBuilder({ name: "fusedmatmul" });
  const x = g.input("x", "float32", ["batch", 5, 6]);
  const weight = f32([4, 6], randomFloats(24, 2));
  const w = g.initializer("w", weight);
  const y = g.fusedMatMul(x, w, { transB: true, alpha: 0.5 });
  assert.deepEqual(y.shape, ["batch", 5, 4]);
  g.output("y", y);
  const model = g.build();
  assert.deepEqual(model.opsetImports.map((o) => o.domain).sort(), ["", "com.microsoft"]);
  const xv = randomFloats(60, 1);
  const out = await runModel(model, { x: f32([2, 5, 6], xv) });
  const expected = unary(matmul(arr([2, 5, 6], xv), transpose(toArr(weight), [1, 0])), (v) => v * 0.5);
  assertClose(out.y!, expected);
});
