import { test } from "node:test";
import { randomFloats } from "../support/random.js";
import { OpBench, positive } from "./support/op-bench.js";

test("ReduceSum and ReduceMean: axes, all axes, keepdims on and off, symbolic counts", async () => {
  const b = new OpBench("sum-mean");
  const g = b.g;
  g.output("sum", g.reduceSum(b.input("sum", "x", [2, 3, 4]), [1]));
  g.output("sum_flat", g.reduceSum(b.input("sum_flat", "x", [2, 3, 4]), [0, 2], { keepDims: false }));
  g.output("sum_all", g.reduceSum(b.input("sum_all", "x", [2, 3])));
  g.output("mean", g.reduceMean(b.input("mean", "x", [2, 3, 4]), [-1], { keepDims: false }));
  g.output("mean_symbolic", g.reduceMean(b.input("mean_symbolic", "x", [2, 5, 3], randomFloats, ["batch", "time", 3]), [1], { keepDims: false }));
  g.output("mean_all", g.reduceMean(b.input("mean_all", "x", [3, 2])));
  await b.check();
});

test("ReduceMax/Min (ties share the gradient), ReduceSumSquare, ReduceL2, ReduceLogSumExp", async () => {
  const b = new OpBench("extremes");
  const g = b.g;
  g.output("max", g.reduceMax(b.input("max", "x", [2, 5]), [1], { keepDims: false }));
  g.output("min", g.reduceMin(b.input("min", "x", [3, 4]), [0]));
  g.output("tie", g.reduceMax(b.values("tie", "x", [2, 3], [0.5, 0.5, -1, 2, 0, 2]), [1]));
  g.output("sumsq", g.op("ReduceSumSquare", [b.input("sumsq", "x", [2, 3])], { axes: { type: "ints", value: [1] } })[0]!);
  g.output("l2", g.op("ReduceL2", [b.input("l2", "x", [2, 3])], { axes: { type: "ints", value: [0] }, keepdims: { type: "int", value: 0 } })[0]!);
  g.output("lse", g.op("ReduceLogSumExp", [b.input("lse", "x", [2, 4], positive)], { axes: { type: "ints", value: [1] } })[0]!);
  await b.check();
});

test("CumSum: forward, exclusive, reverse, both", async () => {
  const b = new OpBench("cumsum");
  const g = b.g;
  g.output("plain", g.cumSum(b.input("plain", "x", [2, 5]), 1));
  g.output("exclusive", g.cumSum(b.input("exclusive", "x", [2, 5]), 1, { exclusive: true }));
  g.output("reverse", g.cumSum(b.input("reverse", "x", [4, 2]), 0, { reverse: true }));
  g.output("both", g.cumSum(b.input("both", "x", [2, 5]), -1, { exclusive: true, reverse: true }));
  await b.check();
});
