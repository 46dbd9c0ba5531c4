import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, attr } from "../../src/graph/index.js";
import { randomFloats } from "./support/random.js";
import { arr, cumsum, reduce } from "./support/reference.js";
import { assertClose, assertExact, f32, i64, runEach, runModel, toArr } from "./support/run-graph.js";

const sum = (s: number, v: number): number => s + v;
const mean = (s: number, n: number): number => s / n;

test("ReduceMean/Sum/Max/Min: axes, negative axes, keepDims on and off, all axes", async () => {
  const g = new GraphBuilder({ name: "reduce" });
  const x = g.input("x", "float32", ["batch", "time", 4]);
  g.output("mean_time", g.reduceMean(x, [1]));
  g.output("mean_last_drop", g.reduceMean(x, [-1], { keepDims: false }));
  g.output("sum_two", g.reduceSum(x, [0, -1], { keepDims: false }));
  g.output("sum_all", g.reduceSum(x));
  g.output("max_time", g.reduceMax(x, [-2], { keepDims: false }));
  g.output("min_last", g.reduceMin(x, [2]));
  const model = g.build();
  const byName = (n: string) => model.values[model.outputs.find((id) => model.values[id]!.name === n)!]!;
  assert.deepEqual(byName("mean_time").shape, ["batch", 1, 4]);
  assert.deepEqual(byName("sum_two").shape, ["time"]);
  assert.deepEqual(byName("sum_all").shape, [1, 1, 1]);
  const feeds = [[2, 3], [1, 5]].map(([b, t]) => ({ x: f32([b!, t!, 4], randomFloats(b! * t! * 4, b! * 7 + t!, 3)) }));
  const results = await runEach(model, feeds);
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    assertClose(out.mean_time!, reduce(X, [1], true, 0, sum, mean));
    assertClose(out.mean_last_drop!, reduce(X, [2], false, 0, sum, mean));
    assertClose(out.sum_two!, reduce(X, [0, 2], false, 0, sum));
    assertClose(out.sum_all!, reduce(X, undefined, true, 0, sum));
    assertClose(out.max_time!, reduce(X, [1], false, -Infinity, Math.max));
    assertClose(out.min_last!, reduce(X, [2], true, Infinity, Math.min));
  });
});

test("ArgMax along an axis (int64, exact)", async () => {
  const g = new GraphBuilder({ name: "argmax" });
  const x = g.input("x", "float32", [3, 5]);
  g.output("idx", g.argMax(x, 1, { keepDims: false }));
  const xv = randomFloats(15, 4);
  const out = await runModel(g.build(), { x: f32([3, 5], xv) });
  const expected = [0, 1, 2].map((r) => {
    const row = Array.from(xv.subarray(r * 5, r * 5 + 5));
    return row.indexOf(Math.max(...row));
  });
  assertExact(out.idx!, arr([3], expected));
});

test("CumSum: plain, exclusive, reverse, negative axis; integer input exact", async () => {
  const g = new GraphBuilder({ name: "cumsum" });
  const x = g.input("x", "float32", [2, 6]);
  g.output("plain", g.cumSum(x, 1));
  g.output("exclusive", g.cumSum(x, -1, { exclusive: true }));
  g.output("reverse", g.cumSum(x, 0, { reverse: true }));
  g.output("both", g.cumSum(x, 1, { exclusive: true, reverse: true }));
  const m = g.input("mask", "int64", [2, 6]);
  g.output("positions", g.cumSum(m, 1));
  const xv = randomFloats(12, 2);
  const mask = [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0];
  const out = await runModel(g.build(), { x: f32([2, 6], xv), mask: i64([2, 6], mask) });
  const X = arr([2, 6], xv);
  assertClose(out.plain!, cumsum(X, 1, false, false));
  assertClose(out.exclusive!, cumsum(X, 1, true, false));
  assertClose(out.reverse!, cumsum(X, 0, false, true));
  assertClose(out.both!, cumsum(X, 1, true, true));
  assertExact(out.positions!, cumsum(arr([2, 6], mask), 1, false, false));
});

test("ReduceProd, ReduceL2, ReduceSumSquare, ReduceLogSumExp and ArgMin (through g.op)", async () => {
  const g = new GraphBuilder({ name: "more-reductions" });
  const x = g.input("x", "float32", ["batch", 4]);
  const axes = { axes: attr.ints([1]), keepdims: attr.int(0) };
  for (const op of ["ReduceProd", "ReduceL2", "ReduceSumSquare", "ReduceLogSumExp"]) g.output(op, g.op(op, [x], axes)[0]!);
  g.output("ArgMin", g.op("ArgMin", [x], { axis: attr.int(-1), keepdims: attr.int(1) })[0]!);
  const feeds = [2, 3].map((b) => ({ x: f32([b, 4], randomFloats(b * 4, b, 2)) }));
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const X = toArr(feeds[k]!.x);
    assertClose(out.ReduceProd!, reduce(X, [1], false, 1, (p, v) => p * v));
    assertClose(out.ReduceL2!, reduce(X, [1], false, 0, (s, v) => s + v * v, (s) => Math.sqrt(s)));
    assertClose(out.ReduceSumSquare!, reduce(X, [1], false, 0, (s, v) => s + v * v));
    assertClose(out.ReduceLogSumExp!, reduce(X, [1], false, 0, (s, v) => s + Math.exp(v), (s) => Math.log(s)));
    const rows = X.dims[0]!;
    const argmin = Array.from({ length: rows }, (_, r) => {
      const row = X.data.slice(r * 4, r * 4 + 4);
      return row.indexOf(Math.min(...row));
    });
    assertExact(out.ArgMin!, arr([rows, 1], argmin));
  });
});
