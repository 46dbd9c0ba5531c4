import { test } from "node:test";
import assert from "node:assert/strict";
import type { Value } from "../../../src/graph/index.js";
import { randomFloats } from "../support/random.js";
import { OpBench, awayFromZero, positive } from "./support/op-bench.js";

test("unary ops: Neg, Exp, Log, Sqrt, Reciprocal, Tanh, Sigmoid, Erf, Relu, Abs, Sin, Cos, Identity, Cast", async () => {
  const b = new OpBench("unary");
  const g = b.g;
  const ops: Record<string, (v: Value) => Value> = {
    neg: (v) => g.neg(v), exp: (v) => g.exp(v), tanh: (v) => g.tanh(v), sigmoid: (v) => g.sigmoid(v), erf: (v) => g.erf(v),
    relu: (v) => g.relu(v), abs: (v) => g.abs(v), sin: (v) => g.sin(v), cos: (v) => g.cos(v), identity: (v) => g.identity(v),
    cast: (v) => g.cast(g.mul(g.cast(v, "float64"), 3), "float32"),
  };
  for (const [name, fn] of Object.entries(ops)) g.output(name, fn(b.input(name, "x", [2, 3], awayFromZero)));
  g.output("log", g.log(b.input("log", "x", [2, 3], positive)));
  g.output("sqrt", g.sqrt(b.input("sqrt", "x", [2, 3], positive)));
  g.output("reciprocal", g.reciprocal(b.input("reciprocal", "x", [2, 3], positive)));
  await b.check();
});

test("binary ops with broadcasting: Add, Sub, Mul, Div, Pow (both operands), scalars and symbolic batch", async () => {
  const b = new OpBench("binary");
  const g = b.g;
  // [batch, 2, 3] against [3] and [2, 1]: leading and inner broadcast axes
  g.output("add", g.add(b.input("add", "a", [2, 2, 3], randomFloats, ["batch", 2, 3]), b.input("add", "b", [3])));
  g.output("sub", g.sub(b.input("sub", "a", [2, 1]), b.input("sub", "b", [2, 2, 3], randomFloats, ["batch", 2, 3])));
  g.output("mul", g.mul(b.input("mul", "a", [2, 2, 3]), b.input("mul", "b", [2, 1])));
  g.output("div", g.div(b.input("div", "a", [2, 2, 3]), b.input("div", "b", [3], positive)));
  g.output("div_scalar", g.div(2, b.input("div_scalar", "x", [2, 3], positive)));
  g.output("square", g.pow(b.input("square", "x", [2, 3]), 2));
  g.output("cube", g.pow(b.input("cube", "x", [2, 3]), 3));
  g.output("pow", g.pow(b.input("pow", "base", [2, 3], positive), b.input("pow", "exponent", [3])));
  const self = b.input("self", "x", [2, 3]);
  g.output("self", g.mul(self, self));
  await b.check();
});

test("Where, Clip (with bound gradients), Min/Max (ties split), Sum, Mean, Mod (fmod)", async () => {
  const b = new OpBench("select");
  const g = b.g;
  const whereA = b.input("where", "a", [2, 4]);
  g.output("where", g.where(g.greater(whereA, 0), whereA, b.input("where", "b", [4])));
  const clipped = b.input("clip", "x", [2, 4], awayFromZero);
  g.output("clip", g.clip(clipped, b.input("clip", "lo", [], () => Float32Array.of(-0.45)), b.input("clip", "hi", [], () => Float32Array.of(0.52))));
  g.output("clip_const", g.clip(b.input("clip_const", "x", [2, 4], awayFromZero), -0.3));
  g.output("max", g.max(b.input("max", "a", [2, 4]), b.input("max", "b", [4])));
  const minA = b.input("min3", "a", [2, 4]);
  g.output("min3", g.min(minA, b.input("min3", "b", [4]), g.mul(b.input("min3", "c", [2, 4]), 0.5)));
  const tie = b.input("tie", "x", [2, 4]);
  g.output("tie", g.max(tie, tie));
  const sumA = b.input("sum", "a", [2, 4]);
  g.output("sum", g.op("Sum", [sumA, b.input("sum", "b", [4]), sumA])[0]!);
  g.output("mean", g.op("Mean", [b.input("mean", "a", [2, 4]), b.input("mean", "b", [4])])[0]!);
  g.output("fmod", g.mod(b.input("fmod", "a", [2, 4]), b.input("fmod", "b", [4], () => Float32Array.of(0.7, 0.45, 1.3, 0.9)), { fmod: true }));
  await b.check();
});

test("gelu (exact and tanh), silu: composed activations", async () => {
  const b = new OpBench("activations");
  const g = b.g;
  const wide = (n: number, seed: number) => randomFloats(n, seed, 3);
  g.output("gelu", g.gelu(b.input("gelu", "x", [3, 5], wide)));
  g.output("gelu_tanh", g.gelu(b.input("gelu_tanh", "x", [3, 5], wide), "tanh"));
  const silu = b.input("silu", "x", [3, 5], wide);
  g.output("silu", g.mul(silu, g.sigmoid(silu)));
  await b.check();
});

test("exact GELU is differentiated from x alone, so its intermediates are not kept and ORT can fuse it", async () => {
  const b = new OpBench("gelu-pattern");
  const g = b.g;
  const x = b.input("gelu", "x", [3, 5], (n, seed) => randomFloats(n, seed, 3));
  g.output("gelu", g.gelu(x));
  // the same chain with an intermediate used twice falls back to the per-node rules
  const y = b.input("shared", "x", [3, 5], (n, seed) => randomFloats(n, seed, 3));
  const erf = g.erf(g.div(y, Math.SQRT2));
  g.output("shared", g.add(g.mul(g.mul(y, g.add(erf, 1)), 0.5), erf));
  const { vjp } = await b.check();
  const roles = (id: number): string[] => vjp.nodes.filter((n) => n.inputs.includes(id)).map((n) => (n.scope.startsWith("backward") ? "backward" : "forward"));
  /** x/√2 and 1 + erf(x/√2) of the chain starting at input `name`. */
  const intermediates = (name: string): number[] => {
    const x = vjp.values.find((v) => v.name === name)!.id;
    const div = vjp.nodes.find((n) => n.opType === "Div" && n.inputs[0] === x && !n.scope.startsWith("backward"))!;
    const erf = vjp.nodes.find((n) => n.opType === "Erf" && n.inputs[0] === div.outputs[0])!;
    const addOne = vjp.nodes.find((n) => n.opType === "Add" && n.inputs.includes(erf.outputs[0]!) && !n.scope.startsWith("backward"))!;
    return [div.outputs[0]!, addOne.outputs[0]!];
  };
  for (const id of intermediates("gelu.x")) assert.deepEqual(roles(id), ["forward"], "GELU intermediates feed only the forward chain");
  assert.ok(intermediates("shared.x").some((id) => roles(id).includes("backward")), "the per-node rules read the intermediates");
});
