import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/index.js";
import { randomFloats } from "./support/random.js";
import { arr, concat, gather, pad, slice } from "./support/reference.js";
import { assertExact, f32, i64, runEach, runModel, toArr } from "./support/run-graph.js";

test("Concat along a symbolic axis and a negative axis", async () => {
  const g = new GraphBuilder({ name: "concat" });
  const cls = g.input("cls", "float32", ["batch", 1, 4]);
  const x = g.input("x", "float32", ["batch", "time", 4]);
  const joined = g.concat([cls, x, cls], 1);
  assert.deepEqual(joined.shape, ["batch", "time+2", 4]);
  const wide = g.concat([x, x], -1);
  assert.deepEqual(wide.shape, ["batch", "time", 8]);
  g.output("joined", joined);
  g.output("wide", wide);
  const feeds = [[2, 3], [1, 5]].map(([b, t]) => ({
    cls: f32([b!, 1, 4], randomFloats(b! * 4, 1)),
    x: f32([b!, t!, 4], randomFloats(b! * t! * 4, t!)),
  }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const [C, X] = [toArr(feeds[k]!.cls), toArr(feeds[k]!.x)];
    assertExact(out.joined!, concat([C, X, C], 1));
    assertExact(out.wide!, concat([X, X], -1));
  });
});

test("Split into sizes and into equal parts", async () => {
  const g = new GraphBuilder({ name: "split" });
  const x = g.input("x", "float32", ["batch", 9]);
  const [q, k, v] = g.split(x, [2, 3, 4], 1);
  assert.deepEqual([q!.shape, k!.shape, v!.shape], [["batch", 2], ["batch", 3], ["batch", 4]]);
  const thirds = g.split(x, 3, -1);
  g.output("q", q!);
  g.output("k", k!);
  g.output("v", v!);
  thirds.forEach((p, i) => g.output(`third${i}`, p));
  const feeds = [2, 1].map((b) => ({ x: f32([b, 9], randomFloats(b * 9, b)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, i) => {
    const X = toArr(feeds[i]!.x);
    assertExact(out.q!, slice(X, [0], [2], [1], [1]));
    assertExact(out.k!, slice(X, [2], [5], [1], [1]));
    assertExact(out.v!, slice(X, [5], [9], [1], [1]));
    for (let p = 0; p < 3; p++) assertExact(out[`third${p}`]!, slice(X, [p * 3], [p * 3 + 3], [1], [1]));
  });
});

test("Slice: to the end, negative bounds, steps, reversed, symbolic lengths", async () => {
  const g = new GraphBuilder({ name: "slice" });
  const x = g.input("x", "float32", ["batch", "time", 6]);
  const cases = {
    tail: g.sliceAxis(x, 1, 1),               // x[:, 1:]
    drop_last: g.sliceAxis(x, 1, 0, -1),      // x[:, :-1]
    last_two: g.sliceAxis(x, 2, -2),          // x[..., -2:]
    strided: g.sliceAxis(x, 2, 0, Infinity, 2),
    reversed: g.sliceAxis(x, 2, -1, -Infinity, -1),
    window: g.slice(x, [1, 0], [3, 2], [2, 0]), // x[0:2, :, 1:3]
  };
  assert.deepEqual(cases.tail.shape, ["batch", "time-1", 6]);
  assert.deepEqual(cases.drop_last.shape, ["batch", "time-1", 6]);
  assert.deepEqual(cases.strided.shape, ["batch", "time", 3]);
  assert.deepEqual(cases.reversed.shape, ["batch", "time", 6]);
  for (const [name, v] of Object.entries(cases)) g.output(name, v);
  const feeds = [[2, 4], [3, 3]].map(([b, t]) => ({ x: f32([b!, t!, 6], randomFloats(b! * t! * 6, b! + t!)) }));
  const results = await runEach(g.build(), feeds);
  const BIG = 2 ** 40;
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    assertExact(out.tail!, slice(X, [1], [BIG], [1], [1]));
    assertExact(out.drop_last!, slice(X, [0], [-1], [1], [1]));
    assertExact(out.last_two!, slice(X, [-2], [BIG], [2], [1]));
    assertExact(out.strided!, slice(X, [0], [BIG], [2], [2]));
    assertExact(out.reversed!, slice(X, [-1], [-BIG], [2], [-1]));
    assertExact(out.window!, slice(X, [1, 0], [3, 2], [2, 0], [1, 1]));
  });
});

test("Gather: scalar index drops the axis, vectors keep it, negative indices, 2-D indices", async () => {
  const g = new GraphBuilder({ name: "gather" });
  const x = g.input("x", "float32", ["batch", 5, 3]);
  const table = g.input("table", "float32", [10, 4]);
  const ids = g.input("ids", "int64", ["batch", "length"]);
  const first = g.gather(x, 0, 1);
  assert.deepEqual(first.shape, ["batch", 3]);
  const picked = g.gather(x, [-1, 0], 1);
  assert.deepEqual(picked.shape, ["batch", 2, 3]);
  const embedded = g.gather(table, ids);
  assert.deepEqual(embedded.shape, ["batch", "length", 4]);
  g.output("first", first);
  g.output("picked", picked);
  g.output("embedded", embedded);
  const tableData = randomFloats(40, 3);
  const feeds = [[2, 3], [1, 2]].map(([b, l]) => ({
    x: f32([b!, 5, 3], randomFloats(b! * 15, b!)),
    table: f32([10, 4], tableData),
    ids: i64([b!, l!], Array.from({ length: b! * l! }, (_, i) => (i * 7) % 10)),
  }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    assertExact(out.first!, gather(X, { dims: [], data: [0] }, 1));
    assertExact(out.picked!, gather(X, arr([2], [-1, 0]), 1));
    assertExact(out.embedded!, gather(arr([10, 4], tableData), toArr(feeds[k]!.ids), 0));
  });
});

test("Pad: constant with a value, reflect (PyTorch semantics) and edge", async () => {
  const g = new GraphBuilder({ name: "pad" });
  const x = g.input("x", "float32", ["batch", 2, "time"]);
  const constant = g.pad(x, [0, 0, 2, 0, 0, 1], { value: -1.5 });
  assert.deepEqual(constant.shape, ["batch", 2, "time+3"]);
  g.output("constant", constant);
  g.output("reflect", g.pad(x, [0, 0, 3, 0, 0, 2], { mode: "reflect" }));
  g.output("edge", g.pad(x, [0, 1, 1, 0, 0, 2], { mode: "edge" }));
  const feeds = [[1, 5], [2, 4]].map(([b, t]) => ({ x: f32([b!, 2, t!], randomFloats(b! * 2 * t!, t!)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    assertExact(out.constant!, pad(X, [0, 0, 2, 0, 0, 1], "constant", Math.fround(-1.5)));
    assertExact(out.reflect!, pad(X, [0, 0, 3, 0, 0, 2], "reflect"));
    assertExact(out.edge!, pad(X, [0, 1, 1, 0, 0, 2], "edge"));
  });
});

test("integer Gather of known values folds at build time", async () => {
  const g = new GraphBuilder({ name: "gather-known" });
  const v = g.vector([10, 20, 30]);
  const picked = g.gather(v, [2, -3]);
  assert.deepEqual(picked.knownValue, [30, 10]);
  g.output("picked", picked);
  const out = await runModel(g.build(), {});
  assertExact(out.picked!, arr([2], [30, 10]));
});
