import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, opCounts } from "../../src/graph/index.js";
import { type LinearForm, SUPPORTED_ACTIVATIONS, UnknownActivationError, activation, conv1d, conv2d, embedding, groupNorm, layerNorm, linear, weightNorm } from "../../src/nn/index.js";
import type { Tensor } from "../../src/tensor.js";
import { randomFloats } from "../graph/support/random.js";
import { type Arr, arr, broadcastMap, conv, gather, geluExact, geluTanh, instanceNorm, layerNorm as refLayerNorm, matmul, reduce, sigmoid, transpose, unary } from "../graph/support/reference.js";
import { assertClose, f32, i64, runEach, runModel, toArr } from "../graph/support/run-graph.js";

function refLinear(x: Arr, w: Tensor, b?: Tensor): Arr {
  const y = matmul(x, transpose(toArr(w), [1, 0]));
  return b ? broadcastMap([y, toArr(b)], (v, c) => v + c) : y;
}

for (const form of ["matmul", "gemm", "fused"] as LinearForm[]) {
  test(`linear (${form}): 3-D input with symbolic dims and 2-D input; with and without bias`, async () => {
    const weights = { "proj.weight": f32([5, 6], randomFloats(30, 1)), "proj.bias": f32([5], randomFloats(5, 2)) };
    const g = new GraphBuilder({ name: `linear-${form}` });
    const x = g.input("x", "float32", ["batch", "time", 6]);
    const y = linear(g, weights, "proj", x, { form });
    assert.deepEqual(y.shape, ["batch", "time", 5]);
    g.output("y", y);
    const x2 = g.input("x2", "float32", ["rows", 6]);
    g.output("y2", linear(g, weights, "proj", x2, { form, bias: false }));
    const model = g.build();
    if (form === "gemm") assert.equal(opCounts(model).Gemm, 2);
    if (form === "fused") assert.equal(opCounts(model)["com.microsoft.FusedMatMul"], 2);
    const feeds = [[2, 3], [1, 4]].map(([b, t]) => ({ x: f32([b!, t!, 6], randomFloats(b! * t! * 6, b! + t!)), x2: f32([t!, 6], randomFloats(t! * 6, t!)) }));
    const results = await runEach(model, feeds);
    results.forEach((out, k) => {
      assertClose(out.y!, refLinear(toArr(feeds[k]!.x), weights["proj.weight"], weights["proj.bias"]));
      assertClose(out.y2!, refLinear(toArr(feeds[k]!.x2), weights["proj.weight"]));
    });
  });
}

test("layerNorm and groupNorm (one group per channel, and fewer groups) match PyTorch's definitions", async () => {
  const weights = {
    "ln.weight": f32([6], randomFloats(6, 1, 2)),
    "ln.bias": f32([6], randomFloats(6, 2)),
    "gn.weight": f32([6], randomFloats(6, 3, 2)),
    "gn.bias": f32([6], randomFloats(6, 4)),
  };
  const g = new GraphBuilder({ name: "norms" });
  const x = g.input("x", "float32", ["batch", "time", 6]);
  g.output("ln", layerNorm(g, weights, "ln", x, { epsilon: 1e-5 }));
  const channelsFirst = g.transpose(x, [0, 2, 1]);
  g.output("gn_instance", groupNorm(g, weights, "gn", channelsFirst, { numGroups: 6 }));
  g.output("gn_grouped", groupNorm(g, weights, "gn", channelsFirst, { numGroups: 2, epsilon: 1e-6 }));
  const model = g.build();
  assert.equal(opCounts(model).InstanceNormalization, 2);
  const feeds = [[2, 5], [1, 7]].map(([b, t]) => ({ x: f32([b!, t!, 6], randomFloats(b! * t! * 6, b! * t!, 3)) }));
  const results = await runEach(model, feeds);
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    const [b, t] = X.dims as [number, number];
    assertClose(out.ln!, refLayerNorm(X, toArr(weights["ln.weight"]), toArr(weights["ln.bias"]), -1, 1e-5));
    const C = transpose(X, [0, 2, 1]);
    assertClose(out.gn_instance!, instanceNorm(C, toArr(weights["gn.weight"]), toArr(weights["gn.bias"]), 1e-5));
    // two groups of three channels: normalise each group over (channels, time) together
    const grouped = { dims: [b, 2, 3 * t], data: C.data };
    const normed = instanceNorm(grouped, arr([2], [1, 1]), arr([2], [0, 0]), 1e-6);
    const affine = broadcastMap([{ dims: [b, 6, t], data: normed.data }, { dims: [6, 1], data: Array.from(weights["gn.weight"].data) }, { dims: [6, 1], data: Array.from(weights["gn.bias"].data) }], (v, s, c) => v * s + c);
    assertClose(out.gn_grouped!, affine);
  });
});

test("activations by Hugging Face name", async () => {
  const refs: Record<string, (v: number) => number> = {
    gelu: geluExact,
    gelu_python: geluExact,
    gelu_new: geluTanh,
    gelu_pytorch_tanh: geluTanh,
    gelu_fast: (v) => 0.5 * v * (1 + Math.tanh(v * 0.7978845608 * (1 + 0.044715 * v * v))),
    quick_gelu: (v) => v * sigmoid(1.702 * v),
    relu: (v) => Math.max(0, v),
    relu6: (v) => Math.min(Math.max(0, v), 6),
    silu: (v) => v * sigmoid(v),
    swish: (v) => v * sigmoid(v),
    sigmoid,
    tanh: Math.tanh,
    linear: (v) => v,
  };
  assert.deepEqual(Object.keys(refs).sort(), [...SUPPORTED_ACTIVATIONS]);
  const g = new GraphBuilder({ name: "activations" });
  const x = g.input("x", "float32", [40]);
  for (const name of SUPPORTED_ACTIVATIONS) g.output(name, g.identity(activation(g, x, name)));
  const xv = randomFloats(40, 7, 8);
  const out = await runModel(g.build(), { x: f32([40], xv) });
  for (const name of SUPPORTED_ACTIVATIONS) assertClose(out[name]!, unary(arr([40], xv), refs[name]!), { atol: 1e-5, rtol: 1e-6 });
  assert.throws(() => activation(g, x, "mish"), (e: unknown) => e instanceof UnknownActivationError && /use one of gelu, gelu_fast/.test(e.message));
});

test("conv1d / conv2d wrappers take PyTorch padding, stride, groups and names", async () => {
  const weights = {
    "feature.conv.weight": f32([4, 1, 10], randomFloats(40, 1)),
    "pos.conv.weight": f32([4, 2, 5], randomFloats(40, 2)),
    "pos.conv.bias": f32([4], randomFloats(4, 3)),
    "patch.weight": f32([3, 1, 4, 4], randomFloats(48, 4)),
    "patch.bias": f32([3], randomFloats(3, 5)),
  };
  const g = new GraphBuilder({ name: "convs" });
  const wave = g.input("wave", "float32", ["batch", 1, "samples"]);
  const feats = conv1d(g, weights, "feature.conv", wave, { stride: 5, bias: false });
  assert.deepEqual(feats.shape, ["batch", 4, "floor((samples-10)/5)+1"]);
  const pos = conv1d(g, weights, "pos.conv", feats, { padding: 2, groups: 2 });
  assert.deepEqual(pos.shape, feats.shape);
  g.output("feats", feats);
  g.output("pos", pos);
  const image = g.input("image", "float32", ["batch", 1, 8, 12]);
  g.output("patches", conv2d(g, weights, "patch", image, { stride: [4, 4] }));
  const feeds = [1, 2].map((b) => ({ wave: f32([b, 1, 57], randomFloats(b * 57, b)), image: f32([b, 1, 8, 12], randomFloats(b * 96, b + 5)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const F = conv(toArr(feeds[k]!.wave), toArr(weights["feature.conv.weight"]), undefined, [5], [0, 0], [1], 1);
    assertClose(out.feats!, F);
    assertClose(out.pos!, conv(F, toArr(weights["pos.conv.weight"]), toArr(weights["pos.conv.bias"]), [1], [2, 2], [1], 2));
    assertClose(out.patches!, conv(toArr(feeds[k]!.image), toArr(weights["patch.weight"]), toArr(weights["patch.bias"]), [4, 4], [0, 0, 0, 0], [1, 1], 1));
  });
});

test("weightNorm (legacy and parametrization names) feeds a conv exactly like the folded weight", async () => {
  const v = f32([4, 2, 3], randomFloats(24, 1));
  const gMag = f32([1, 1, 3], randomFloats(3, 2).map((x) => Math.abs(x) + 0.5));
  const legacy = { "conv.weight_g": gMag, "conv.weight_v": v, "conv.bias": f32([4], randomFloats(4, 3)) };
  const modern = { "conv.parametrizations.weight.original0": gMag, "conv.parametrizations.weight.original1": v, "conv.bias": legacy["conv.bias"] };
  // expected weight: g · v / ‖v‖ with the norm over axes 0 and 1 (dim = 2)
  const norms = reduce(toArr(v), [0, 1], true, 0, (s, x) => s + x * x, (s) => Math.sqrt(s));
  const expectedWeight = broadcastMap([toArr(v), toArr(gMag), norms], (x, m, n) => (x * m) / n);
  for (const [label, weights] of [["legacy", legacy], ["parametrizations", modern]] as const) {
    const g = new GraphBuilder({ name: `weight-norm-${label}` });
    const x = g.input("x", "float32", [1, 4, 9]);
    const w = weightNorm(g, weights, "conv", { dim: 2 });
    g.output("weight", w);
    g.output("y", conv1d(g, weights, "conv", x, { padding: 1, groups: 2, weight: w }));
    const xv = randomFloats(36, 9);
    const out = await runModel(g.build(), { x: f32([1, 4, 9], xv) });
    assertClose(out.weight!, expectedWeight);
    assertClose(out.y!, conv(arr([1, 4, 9], xv), expectedWeight, toArr(legacy["conv.bias"]), [1], [1, 1], [1], 2));
  }
  const g = new GraphBuilder({ name: "bad-weight-norm" });
  assert.throws(() => weightNorm(g, legacy, "conv", { dim: 0 }), /must be 1 on every axis but 0/);
});

test("embedding gathers rows by id", async () => {
  const table = f32([7, 3], randomFloats(21, 1));
  const g = new GraphBuilder({ name: "embedding" });
  const ids = g.input("input_ids", "int64", ["batch", "length"]);
  g.output("embeds", embedding(g, { "embeddings.word_embeddings.weight": table }, "embeddings.word_embeddings", ids));
  const idv = [0, 6, 3, 3, 1, 2];
  const out = await runModel(g.build(), { input_ids: i64([2, 3], idv) });
  assertClose(out.embeds!, gather(toArr(table), arr([2, 3], idv), 0));
  assert.throws(() => embedding(g, { "e.weight": table }, "e", g.input("f", "float32", [2])), /must be int64 or int32/);
});
