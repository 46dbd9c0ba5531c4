import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/index.js";
import { randomFloats } from "./support/random.js";
import { arr, broadcastMap, tile, transpose } from "./support/reference.js";
import { assertClose, assertExact, f32, i64, runEach, runModel, toArr } from "./support/run-graph.js";

test("Reshape with 0 (copy) and -1 (infer) on symbolic dims, and back", async () => {
  const g = new GraphBuilder({ name: "reshape" });
  const x = g.input("x", "float32", ["batch", "time", 12]);
  const heads = g.reshape(x, [0, 0, 3, 4]);
  assert.deepEqual(heads.shape, ["batch", "time", 3, 4]);
  const flat = g.reshape(x, [-1, 12]);
  assert.deepEqual(flat.shape, ["batch*time", 12]);
  const merged = g.reshape(heads, [0, 0, -1]);
  assert.deepEqual(merged.shape, ["batch", "time", 12]);
  const wide = g.reshape(x, [0, -1]);
  assert.deepEqual(wide.shape, ["batch", "12*time"]);
  g.output("heads", heads);
  g.output("flat", flat);
  g.output("merged", merged);
  g.output("wide", wide);
  const feeds = [[2, 3], [1, 5]].map(([b, t]) => ({ x: f32([b!, t!, 12], randomFloats(b! * t! * 12, b! + t!)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const data = Array.from(feeds[k]!.x.data);
    const [b, t] = feeds[k]!.x.dims as [number, number];
    assertExact(out.heads!, arr([b, t, 3, 4], data));
    assertExact(out.flat!, arr([b * t, 12], data));
    assertExact(out.merged!, arr([b, t, 12], data));
    assertExact(out.wide!, arr([b, t * 12], data));
  });
});

test("Shape → Gather → Concat → Reshape keeps symbolic dims exact", async () => {
  const g = new GraphBuilder({ name: "shape-arith" });
  const x = g.input("x", "float32", ["batch", "time", 8]);
  const s = g.shape(x);
  assert.deepEqual(s.knownValue, ["batch", "time", 8]);
  const batch = g.gather(s, [0]);
  const time = g.gather(s, [1]);
  const target = g.concat([batch, g.mul(time, 2), g.vector([4])], 0);
  assert.deepEqual(target.knownValue, ["batch", "2*time", 4]);
  const y = g.reshape(x, target);
  assert.deepEqual(y.shape, ["batch", "2*time", 4]);
  g.output("y", y);
  g.output("shape_tail", g.shape(x, 1));
  g.output("shape_mid", g.shape(x, -2, -1));
  const feeds = [[2, 3], [3, 1]].map(([b, t]) => ({ x: f32([b!, t!, 8], randomFloats(b! * t! * 8, b!)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const [b, t] = feeds[k]!.x.dims as [number, number];
    assertExact(out.y!, arr([b, 2 * t, 4], feeds[k]!.x.data));
    assertExact(out.shape_tail!, arr([2], [t, 8]));
    assertExact(out.shape_mid!, arr([1], [t]));
  });
});

test("Transpose with a permutation and with the default reversal", async () => {
  const g = new GraphBuilder({ name: "transpose" });
  const x = g.input("x", "float32", ["batch", 3, 4]);
  g.output("perm", g.transpose(x, [0, 2, 1]));
  g.output("reversed", g.transpose(x));
  const feeds = [1, 2].map((b) => ({ x: f32([b, 3, 4], randomFloats(b * 12, b)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    assertExact(out.perm!, transpose(X, [0, 2, 1]));
    assertExact(out.reversed!, transpose(X, [2, 1, 0]));
  });
});

test("Flatten, Squeeze and Unsqueeze (negative axes)", async () => {
  const g = new GraphBuilder({ name: "flatten" });
  const x = g.input("x", "float32", ["batch", 1, 3, 4]);
  const f1 = g.flatten(x);
  const f2 = g.flatten(x, -1);
  const f0 = g.flatten(x, 0);
  assert.deepEqual([f1.shape, f2.shape, f0.shape], [["batch", 12], ["3*batch", 4], [1, "12*batch"]]);
  const sq = g.squeeze(x, [1]);
  const un = g.unsqueeze(sq, [-1, 1]);
  assert.deepEqual(un.shape, ["batch", 1, 3, 4, 1]);
  for (const [name, v] of Object.entries({ f1, f2, f0, sq, un })) g.output(name, v);
  const feeds = [2, 1].map((b) => ({ x: f32([b, 1, 3, 4], randomFloats(b * 12, b)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const b = feeds[k]!.x.dims[0]!;
    const d = feeds[k]!.x.data;
    assertExact(out.f1!, arr([b, 12], d));
    assertExact(out.f2!, arr([b * 3, 4], d));
    assertExact(out.f0!, arr([1, b * 12], d));
    assertExact(out.sq!, arr([b, 3, 4], d));
    assertExact(out.un!, arr([b, 1, 3, 4, 1], d));
  });
});

test("Squeeze without axes removes the static size-1 axes", async () => {
  const g = new GraphBuilder({ name: "squeeze-all" });
  const x = g.input("x", "float32", [1, 3, 1, 2]);
  const y = g.squeeze(x);
  assert.deepEqual(y.shape, [3, 2]);
  g.output("y", y);
  const out = await runModel(g.build(), { x: f32([1, 3, 1, 2], [1, 2, 3, 4, 5, 6]) });
  assertExact(out.y!, arr([3, 2], [1, 2, 3, 4, 5, 6]));
});

test("Expand broadcasts to a target (1 keeps the input dim) and to a computed shape", async () => {
  const g = new GraphBuilder({ name: "expand" });
  const cls = g.input("cls", "float32", [1, 1, 4]);
  const x = g.input("x", "float32", ["batch", "time", 4]);
  const tokens = g.expand(cls, g.concat([g.shape(x, 0, 1), g.vector([1, 1])], 0));
  assert.deepEqual(tokens.shape, ["batch", 1, 4]);
  g.output("tokens", tokens);
  g.output("grid", g.expand(g.reshape(cls, [4, 1]), [2, 4, 3]));
  const clsData = [1, 2, 3, 4];
  const feeds = [2, 3].map((b) => ({ cls: f32([1, 1, 4], clsData), x: f32([b, 2, 4], randomFloats(b * 8, b)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const b = feeds[k]!.x.dims[0]!;
    assertExact(out.tokens!, broadcastMap([arr([1, 1, 4], clsData), { dims: [b, 1, 4], data: new Array(b * 4).fill(0) }], (c) => c));
    assertExact(out.grid!, broadcastMap([arr([4, 1], clsData), { dims: [2, 4, 3], data: new Array(24).fill(0) }], (c) => c));
  });
});

test("ConstantOfShape, Range and Tile", async () => {
  const g = new GraphBuilder({ name: "fill" });
  const x = g.input("x", "float32", ["batch", "time"]);
  const ones = g.constantOfShape(g.shape(x), 1, "int64");
  assert.deepEqual(ones.shape, ["batch", "time"]);
  g.output("ones", ones);
  const positions = g.range(0, g.gather(g.shape(x), 1), 1);
  assert.deepEqual(positions.shape, ["time"]);
  g.output("positions", positions);
  const stepped = g.range(2, 11, 3);
  assert.deepEqual([stepped.shape, stepped.knownValue], [[3], [2, 5, 8]]);
  g.output("stepped", g.add(stepped, g.scalar(0, "int64")));
  const frange = g.range(g.scalar(0.5), 2, 0.25);
  g.output("frange", frange);
  g.output("tiled", g.tile(x, [2, 3]));
  const feeds = [[2, 3], [1, 4]].map(([b, t]) => ({ x: f32([b!, t!], randomFloats(b! * t!, t!)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const [b, t] = feeds[k]!.x.dims as [number, number];
    assertExact(out.ones!, arr([b, t], new Array(b * t).fill(1)));
    assertExact(out.positions!, arr([t], Array.from({ length: t }, (_, i) => i)));
    assertExact(out.stepped!, arr([3], [2, 5, 8]));
    assertClose(out.frange!, arr([6], [0.5, 0.75, 1, 1.25, 1.5, 1.75]));
    assertExact(out.tiled!, tile(toArr(feeds[k]!.x), [2, 3]));
  });
});

test("int64 inputs flow through shape ops unchanged", async () => {
  const g = new GraphBuilder({ name: "int-reshape" });
  const ids = g.input("ids", "int64", ["batch", "length"]);
  g.output("flat", g.reshape(ids, [-1]));
  const out = await runModel(g.build(), { ids: i64([2, 3], [1, 2, 3, 4, 5, 6]) });
  assertExact(out.flat!, arr([6], [1, 2, 3, 4, 5, 6]));
});
