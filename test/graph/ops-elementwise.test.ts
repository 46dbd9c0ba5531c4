import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, type Value } from "../../src/graph/index.js";
import { randomFloats, randomInts } from "./support/random.js";
import { type Arr, arr, broadcastMap, erf, geluExact, geluTanh, sigmoid, unary } from "./support/reference.js";
import { assertClose, assertExact, f32, i64, runEach, runModel, toArr } from "./support/run-graph.js";

type Unary = [name: string, build: (g: GraphBuilder, x: Value) => Value, ref: (v: number) => number, positive?: boolean];

const UNARY: Unary[] = [
  ["Sqrt", (g, x) => g.sqrt(x), Math.sqrt, true],
  ["Neg", (g, x) => g.neg(x), (v) => -v],
  ["Abs", (g, x) => g.abs(x), Math.abs],
  ["Exp", (g, x) => g.exp(x), Math.exp],
  ["Log", (g, x) => g.log(x), Math.log, true],
  ["Erf", (g, x) => g.erf(x), erf],
  ["Tanh", (g, x) => g.tanh(x), Math.tanh],
  ["Relu", (g, x) => g.relu(x), (v) => Math.max(0, v)],
  ["Sigmoid", (g, x) => g.sigmoid(x), sigmoid],
  ["Floor", (g, x) => g.floor(x), Math.floor],
  ["Ceil", (g, x) => g.ceil(x), Math.ceil],
  ["Reciprocal", (g, x) => g.reciprocal(x), (v) => 1 / v, true],
  ["Sin", (g, x) => g.sin(x), Math.sin],
  ["Cos", (g, x) => g.cos(x), Math.cos],
  ["Identity", (g, x) => g.identity(x), (v) => v],
  ["Gelu (erf)", (g, x) => g.gelu(x), geluExact],
  ["Gelu (tanh)", (g, x) => g.gelu(x, "tanh"), geluTanh],
];

for (const [name, build, ref, positive] of UNARY) {
  test(`${name}: matches the reference at two batch sizes of one session`, async () => {
    const g = new GraphBuilder({ name });
    const x = g.input("x", "float32", ["batch", 7]);
    g.output("y", build(g, x));
    const model = g.build();
    const feeds = [2, 3].map((batch, k) => {
      const data = randomFloats(batch * 7, 10 + k, 3).map((v) => (positive ? Math.abs(v) + 0.1 : v));
      return { x: f32([batch, 7], data) };
    });
    const results = await runEach(model, feeds);
    results.forEach((out, k) => assertClose(out.y!, unary(toArr(feeds[k]!.x), ref), { atol: 1e-5, rtol: 1e-6 }));
  });
}

type Binary = [name: string, build: (g: GraphBuilder, a: Value, b: Value) => Value, ref: (a: number, b: number) => number];
const BINARY: Binary[] = [
  ["Add", (g, a, b) => g.add(a, b), (a, b) => a + b],
  ["Sub", (g, a, b) => g.sub(a, b), (a, b) => a - b],
  ["Mul", (g, a, b) => g.mul(a, b), (a, b) => a * b],
  ["Div", (g, a, b) => g.div(a, b), (a, b) => a / b],
  ["Min", (g, a, b) => g.min(a, b), Math.min],
  ["Max", (g, a, b) => g.max(a, b), Math.max],
];

for (const [name, build, ref] of BINARY) {
  test(`${name}: broadcasts [batch, 1, 4] with [3, 1] (symbolic batch, two sizes)`, async () => {
    const g = new GraphBuilder({ name });
    const a = g.input("a", "float32", ["batch", 1, 4]);
    const b = g.input("b", "float32", [3, 1]);
    const y = build(g, a, b);
    assert.deepEqual(y.shape, ["batch", 3, 4]);
    g.output("y", y);
    const feeds = [1, 2].map((batch) => ({
      a: f32([batch, 1, 4], randomFloats(batch * 4, batch, 2)),
      b: f32([3, 1], randomFloats(3, 99, 2).map((v) => v + Math.sign(v) * 0.5)),
    }));
    const results = await runEach(g.build(), feeds);
    results.forEach((out, k) => assertClose(out.y!, broadcastMap([toArr(feeds[k]!.a), toArr(feeds[k]!.b)], ref), { atol: 1e-5, rtol: 1e-6 }));
  });
}

test("Pow and a number operand become a scalar constant of the right type", async () => {
  const g = new GraphBuilder({ name: "pow" });
  const x = g.input("x", "float32", [5]);
  g.output("y", g.pow(g.abs(x), 1.5));
  g.output("z", g.add(g.mul(x, 2), 0.5));
  const data = randomFloats(5, 3, 2);
  const out = await runModel(g.build(), { x: f32([5], data) });
  assertClose(out.y!, unary(arr([5], data), (v) => Math.abs(v) ** 1.5), { atol: 1e-5, rtol: 1e-6 });
  assertClose(out.z!, unary(arr([5], data), (v) => v * 2 + 0.5));
});

test("integer arithmetic, Mod and comparisons are exact", async () => {
  const g = new GraphBuilder({ name: "ints" });
  const a = g.input("a", "int64", [6]);
  const b = g.input("b", "int64", [6]);
  g.output("sum", g.add(a, b));
  g.output("product", g.mul(a, b));
  g.output("quotient", g.div(a, b));
  g.output("mod", g.mod(a, b));
  g.output("eq", g.equal(a, b));
  g.output("lt", g.less(a, b));
  g.output("gt", g.greater(a, b));
  g.output("le", g.lessOrEqual(a, b));
  g.output("ge", g.greaterOrEqual(a, b));
  const av = [7, -7, 3, 0, 12, 5];
  const bv = [2, 2, 3, 4, -5, 5];
  const out = await runModel(g.build(), { a: i64([6], av), b: i64([6], bv) });
  const A = arr([6], av);
  const B = arr([6], bv);
  assertExact(out.sum!, broadcastMap([A, B], (x, y) => x + y));
  assertExact(out.product!, broadcastMap([A, B], (x, y) => x * y));
  assertExact(out.quotient!, broadcastMap([A, B], (x, y) => Math.trunc(x / y)));
  // ONNX integer Mod (fmod=0) takes the sign of the divisor, like Python
  assertExact(out.mod!, broadcastMap([A, B], (x, y) => ((x % y) + y) % y));
  assert.equal(out.eq!.type, "bool");
  assertExact(out.eq!, broadcastMap([A, B], (x, y) => Number(x === y)));
  assertExact(out.lt!, broadcastMap([A, B], (x, y) => Number(x < y)));
  assertExact(out.gt!, broadcastMap([A, B], (x, y) => Number(x > y)));
  assertExact(out.le!, broadcastMap([A, B], (x, y) => Number(x <= y)));
  assertExact(out.ge!, broadcastMap([A, B], (x, y) => Number(x >= y)));
});

test("Not, And, Or, Where with broadcasting", async () => {
  const g = new GraphBuilder({ name: "logic" });
  const x = g.input("x", "float32", [2, 3]);
  const positive = g.greater(x, 0);
  const small = g.less(g.abs(x), 0.5);
  g.output("not", g.not(positive));
  g.output("and", g.and(positive, small));
  g.output("or", g.or(positive, small));
  const fill = g.input("fill", "float32", [3]);
  g.output("where", g.where(positive, x, fill));
  const xv = [0.2, -0.3, 0.9, -1.2, 0.4, -0.1];
  const out = await runModel(g.build(), { x: f32([2, 3], xv), fill: f32([3], [10, 20, 30]) });
  const X = arr([2, 3], xv);
  assertExact(out.not!, unary(X, (v) => Number(!(v > 0))));
  assertExact(out.and!, unary(X, (v) => Number(v > 0 && Math.abs(v) < 0.5)));
  assertExact(out.or!, unary(X, (v) => Number(v > 0 || Math.abs(v) < 0.5)));
  assertClose(out.where!, broadcastMap([X, arr([3], [10, 20, 30])], (v, f) => (v > 0 ? v : f)));
});

test("Clip with both, one or no bound given as numbers", async () => {
  const g = new GraphBuilder({ name: "clip" });
  const x = g.input("x", "float32", [8]);
  g.output("both", g.clip(x, -0.5, 0.25));
  g.output("low", g.clip(x, 0));
  g.output("high", g.clip(x, undefined, 0.1));
  const data = randomFloats(8, 5);
  const out = await runModel(g.build(), { x: f32([8], data) });
  const X = arr([8], data);
  assertClose(out.both!, unary(X, (v) => Math.min(Math.max(v, -0.5), 0.25)));
  assertClose(out.low!, unary(X, (v) => Math.max(v, 0)));
  assertClose(out.high!, unary(X, (v) => Math.min(v, 0.1)));
});

test("Cast between float, int and bool; same-type cast adds no node", async () => {
  const g = new GraphBuilder({ name: "cast" });
  const x = g.input("x", "float32", [5]);
  assert.equal(g.cast(x, "float32"), x);
  g.output("int", g.cast(x, "int64"));
  g.output("int32", g.cast(x, "int32"));
  g.output("bool", g.cast(x, "bool"));
  g.output("double", g.cast(x, "float64"));
  const data = [1.7, -2.5, 0, 3.2, -0.4];
  const out = await runModel(g.build(), { x: f32([5], data) });
  const X = arr([5], Float32Array.from(data));
  assertExact(out.int!, unary(X, (v) => Math.trunc(v) || 0)); // || 0: int64 has no -0
  assert.equal(out.int32!.type, "int32");
  assertExact(out.bool!, unary(X, (v) => Number(v !== 0)));
  assert.equal(out.double!.type, "float64");
  assertExact(out.double!, X);
});

test("variadic Max of three operands broadcasts", async () => {
  const g = new GraphBuilder({ name: "max3" });
  const a = g.input("a", "float32", [2, 1]);
  const b = g.input("b", "float32", [1, 3]);
  g.output("y", g.max(a, b, 0));
  const [av, bv] = [randomFloats(2, 1), randomFloats(3, 2)];
  const out = await runModel(g.build(), { a: f32([2, 1], av), b: f32([1, 3], bv) });
  assertClose(out.y!, broadcastMap([arr([2, 1], av), arr([1, 3], bv)], (x, y) => Math.max(x, y, 0)));
});

test("integer Add on random data at the int64 edge of small values", async () => {
  const g = new GraphBuilder({ name: "int-add" });
  const a = g.input("a", "int64", ["n"]);
  g.output("y", g.sub(g.mul(a, 3), 1));
  const values = randomInts(10, 4, -1000, 1000);
  const out = await runModel(g.build(), { a: i64([10], values) });
  assertExact(out.y!, { dims: [10], data: values.map((v) => v * 3 - 1) } satisfies Arr);
});

test("variadic Sum and Mean, Xor, and float Mod with fmod (C semantics)", async () => {
  const g = new GraphBuilder({ name: "variadic" });
  const a = g.input("a", "float32", [2, 3]);
  const b = g.input("b", "float32", [3]);
  const c = g.input("c", "float32", [2, 1]);
  g.output("sum", g.op("Sum", [a, b, c])[0]!);
  g.output("mean", g.op("Mean", [a, b, c])[0]!);
  g.output("xor", g.op("Xor", [g.greater(a, 0), g.greater(b, 0)])[0]!);
  g.output("fmod", g.mod(a, b, { fmod: true }));
  assert.throws(() => g.mod(a, b), /needs fmod=1/);
  const [av, bv, cv] = [randomFloats(6, 1, 3), randomFloats(3, 2, 2).map((v) => v + Math.sign(v)), randomFloats(2, 3)];
  const out = await runModel(g.build(), { a: f32([2, 3], av), b: f32([3], bv), c: f32([2, 1], cv) });
  const [A, B, C] = [arr([2, 3], av), arr([3], bv), arr([2, 1], cv)];
  assertClose(out.sum!, broadcastMap([A, B, C], (x, y, z) => x + y + z));
  assertClose(out.mean!, broadcastMap([A, B, C], (x, y, z) => (x + y + z) / 3));
  assertExact(out.xor!, broadcastMap([A, B], (x, y) => Number(x > 0 !== y > 0)));
  assertClose(out.fmod!, broadcastMap([A, B], (x, y) => x % y));
});
