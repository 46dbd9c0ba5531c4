import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, GraphError, GraphRewrite, attr, opCounts } from "../../src/graph/index.js";
import { float32ToFloat16Bits } from "../../src/util/float-conversion.js";
import { randomFloats } from "./support/random.js";
import { matmul, transpose, unary } from "./support/reference.js";
import { assertClose, f32, runModel, toArr } from "./support/run-graph.js";

test("replace: a node's outputs come from the new nodes; readers and graph outputs are unchanged", async () => {
  const g = new GraphBuilder({ name: "relu" });
  const x = g.input("x", "float32", ["batch", 6]);
  const r = g.relu(x);
  g.output("y", g.mul(r, 2));
  g.output("r", r);
  const model = g.build();
  const relu = model.nodes.find((n) => n.opType === "Relu")!;
  const rewrite = new GraphRewrite(model);
  // relu(x) = (|x| + x) / 2
  rewrite.replace(relu, (emit) => {
    const [abs] = emit("Abs", [relu.inputs[0]!]);
    const [sum] = emit("Add", [abs!, relu.inputs[0]!]);
    const half = rewrite.addConstant("half", { type: "float32", dims: [], data: new Float32Array([0.5]) });
    emit("Mul", [sum!, half], {}, { into: relu.outputs });
  });
  const rewritten = rewrite.build();
  assert.deepEqual(opCounts(rewritten), { Abs: 1, Add: 1, Mul: 2 });
  assert.deepEqual(rewritten.outputs.map((id) => rewritten.values[id]!.name), ["y", "r"]);
  const feeds = { x: f32([2, 6], randomFloats(12, 1)) };
  const out = await runModel(rewritten, feeds);
  const expected = unary(toArr(feeds.x), (v) => Math.max(v, 0));
  assertClose(out.r!, expected, { atol: 0 });
  assertClose(out.y!, unary(expected, (v) => 2 * v), { atol: 0 });
});

test("replace: nodes and weights no output needs any more are dropped (a Transpose of a replaced weight)", async () => {
  const g = new GraphBuilder({ name: "linear" });
  const x = g.input("x", "float32", ["batch", 4]);
  const w = randomFloats(12, 2);
  g.output("y", g.matMul(x, g.transpose(g.initializer("w", f32([3, 4], w)), [1, 0])));
  const model = g.build();
  const matMul = model.nodes.find((n) => n.opType === "MatMul")!;
  const rewrite = new GraphRewrite(model);
  const transposed = transpose(toArr(f32([3, 4], w)), [1, 0]);
  const wt = rewrite.addParameter("w.t", f32([4, 3], transposed.data));
  rewrite.replace(matMul, (emit) => emit("MatMul", [matMul.inputs[0]!, wt], {}, { into: matMul.outputs }));
  const rewritten = rewrite.build();
  assert.deepEqual(opCounts(rewritten), { MatMul: 1 });
  assert.deepEqual([...rewritten.initializers.keys()].map((id) => rewritten.values[id]!.name), ["w.t"]);
  rewritten.values.forEach((v, i) => assert.equal(v.id, i, "ids are dense"));
  const feeds = { x: f32([2, 4], randomFloats(8, 3)) };
  assertClose((await runModel(rewritten, feeds)).y!, matmul(toArr(feeds.x), transposed), { atol: 1e-6 });
});

test("insertBefore + readFrom: every reader of a weight reads a widened float16 copy instead", async () => {
  const g = new GraphBuilder({ name: "shared" });
  const x = g.input("x", "float32", [2, 4]);
  const w = g.initializer("w", f32([4, 4], randomFloats(16, 4)));
  g.output("y", g.add(g.matMul(x, w), g.matMul(g.relu(x), w)));
  const model = g.build();
  const wId = model.values.find((v) => v.name === "w")!.id;
  const firstReader = model.nodes.find((n) => n.inputs.includes(wId))!;
  const rewrite = new GraphRewrite(model);
  const half = rewrite.addParameter("w:fp16", { type: "float16", dims: [4, 4], data: float32ToFloat16Bits(model.initializers.get(wId)!.data as Float32Array) });
  let widened = -1;
  rewrite.insertBefore(firstReader, (emit) => {
    [widened] = emit("Cast", [half], { to: attr.int(1) });
  });
  rewrite.readFrom(wId, widened);
  const rewritten = rewrite.build();
  assert.equal(opCounts(rewritten)["Cast"], 1, "one Cast serves both readers");
  assert.ok(!rewritten.values.some((v) => v.name === "w"), "the float32 weight is gone");
  const feeds = { x: f32([2, 4], randomFloats(8, 5)) };
  const [original, halved] = [await runModel(model, feeds), await runModel(rewritten, feeds)];
  assertClose(halved.y!, toArr(original.y!), { atol: 5e-3 });
});

test("misuse is a GraphError naming the node: outputs left unproduced, replacing twice, a type change", () => {
  const g = new GraphBuilder({ name: "m" });
  const x = g.input("x", "float32", [3]);
  g.output("y", g.relu(x));
  const model = g.build();
  const relu = model.nodes[0]!;
  const rewrite = new GraphRewrite(model);
  assert.throws(() => rewrite.replace(relu, (emit) => void emit("Abs", [relu.inputs[0]!])), (e: unknown) => e instanceof GraphError && /no longer produced/.test(e.message) && e.message.includes(relu.name));
  rewrite.replace(relu, (emit) => void emit("Abs", [relu.inputs[0]!], {}, { into: relu.outputs }));
  assert.throws(() => rewrite.replace(relu, () => undefined), /replaced twice/);
  const i64 = rewrite.addConstant("k", { type: "int64", dims: [3], data: new BigInt64Array(3) });
  assert.throws(() => rewrite.readFrom(relu.inputs[0]!, i64), /int64.*float32/);
  assert.throws(() => rewrite.addParameter("x", { type: "float32", dims: [1], data: new Float32Array(1) }), /already used/);
});
