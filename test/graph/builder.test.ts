import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, GraphError, consumersOf, formatModel, opCounts, parametersOf, validateModel } from "../../src/graph/index.js";
import { randomFloats } from "./support/random.js";
import { assertClose, f32, runModel } from "./support/run-graph.js";

const values = (t: { data: ArrayLike<number | bigint> }): number[] => Array.from(t.data, Number);

function smallModel() {
  const g = new GraphBuilder({ name: "small" });
  const x = g.input("x", "float32", ["batch", 3]);
  const w = g.initializer("dense.weight", f32([2, 3], [1, 2, 3, 4, 5, 6]));
  const b = g.initializer("dense.bias", f32([2], [0.5, -0.5]));
  const y = g.scope("dense", () => g.add(g.matMul(x, g.transpose(w, [1, 0])), b));
  g.output("logits", y);
  return { g, x, w, b, y };
}

test("build() yields a dense, topologically ordered, named IR", () => {
  const { g } = smallModel();
  const model = g.build();
  validateModel(model);
  assert.deepEqual(model.nodes.map((n) => n.opType), ["Transpose", "MatMul", "Add"]);
  assert.deepEqual(model.nodes.map((n) => n.scope), ["dense", "dense", "dense"]);
  assert.ok(model.nodes.every((n) => n.name.startsWith("dense/")));
  assert.deepEqual(model.inputs.map((i) => model.values[i]!.name), ["x"]);
  assert.deepEqual(model.outputs.map((i) => model.values[i]!.name), ["logits"]);
  assert.deepEqual(parametersOf(model).map((p) => p.name), ["dense.weight", "dense.bias"]);
  assert.deepEqual(model.values[model.outputs[0]!]!.shape, ["batch", 2]);
  assert.deepEqual(opCounts(model), { Transpose: 1, MatMul: 1, Add: 1 });
  assert.deepEqual(model.opsetImports, [{ domain: "", version: 17 }]);
  const consumers = consumersOf(model);
  const x = model.inputs[0]!;
  assert.deepEqual(consumers.get(x)!.map((n) => n.opType), ["MatMul"]);
  assert.ok(Object.isFrozen(model) && Object.isFrozen(model.nodes) && Object.isFrozen(model.values[0]));
});

test("pruning drops what no output needs; prune: false keeps it", () => {
  const g = new GraphBuilder({ name: "prune" });
  const x = g.input("x", "float32", [4]);
  const unused = g.initializer("unused.weight", f32([4], [1, 2, 3, 4]));
  g.mul(x, unused); // dead node
  g.exp(x); // dead node
  g.output("y", g.relu(x));
  const pruned = g.build();
  validateModel(pruned);
  assert.deepEqual(pruned.nodes.map((n) => n.opType), ["Relu"]);
  assert.equal(pruned.initializers.size, 0);
  const full = g.build({ prune: false });
  validateModel(full);
  assert.deepEqual(full.nodes.map((n) => n.opType), ["Mul", "Exp", "Relu"]);
  assert.equal(full.initializers.size, 1);
});

test("outputs of inputs, weights or already-named values get an Identity", async () => {
  const g = new GraphBuilder({ name: "identity" });
  const x = g.input("x", "float32", [2]);
  const w = g.initializer("w", f32([2], [3, 4]));
  const y = g.mul(x, w);
  g.output("y", y);
  g.output("y_again", y);
  g.output("x_copy", x);
  g.output("w_copy", w);
  const model = g.build();
  validateModel(model);
  assert.equal(opCounts(model).Identity, 3);
  const out = await runModel(model, { x: f32([2], [1, 2]) });
  assert.deepEqual(values(out.y!), [3, 8]);
  assert.deepEqual(values(out.y_again!), [3, 8]);
  assert.deepEqual(values(out.x_copy!), [1, 2]);
  assert.deepEqual(values(out.w_copy!), [3, 4]);
  assert.throws(() => g.output("y", x), /already used/);
});

test("small constants are shared; a weight registered twice is one value", () => {
  const g = new GraphBuilder({ name: "dedupe" });
  assert.equal(g.vector([0, 0, -1]).id, g.vector([0, 0, -1]).id);
  assert.notEqual(g.vector([0, 0, -1]).id, g.vector([0, -1]).id);
  assert.equal(g.scalar(1.5).id, g.scalar(1.5).id);
  assert.notEqual(g.scalar(1).id, g.scalar(1, "int64").id);
  const t = f32([2], [1, 2]);
  assert.equal(g.initializer("tied", t).id, g.initializer("tied", t).id);
  assert.throws(() => g.initializer("tied", f32([2], [1, 2])), GraphError);
});

test("Value exposes dtype, shape, rank and dims by negative axis", () => {
  const { x, y } = smallModel();
  assert.equal(x.dtype, "float32");
  assert.equal(x.rank, 2);
  assert.equal(y.dim(-1), 2);
  assert.equal(y.dim(0), "batch");
  assert.throws(() => y.dim(2), RangeError);
});

test("GraphBuilder.from: extend a built graph, promote a weight to an input, declare new outputs", async () => {
  const { g } = smallModel();
  const forward = g.build();
  const t = GraphBuilder.from(forward, { outputs: "drop" });
  const logits = t.valueByName("logits");
  const weight = t.promoteToInput(t.valueByName("dense.weight"));
  assert.equal(weight.dtype, "float32");
  const labels = t.input("labels", "float32", ["batch", 2]);
  const diff = t.sub(logits, labels);
  t.output("loss", t.reduceMean(t.mul(diff, diff), undefined, { keepDims: false }));
  t.output("logits", logits);
  const training = t.build();
  validateModel(training);
  assert.deepEqual(training.inputs.map((i) => training.values[i]!.name), ["x", "dense.weight", "labels"]);
  assert.deepEqual(parametersOf(training).map((p) => p.name), ["dense.bias"]);
  assert.ok(training.nodes.slice(0, 3).every((n, i) => n.name === forward.nodes[i]!.name), "forward nodes keep their names");
  assert.equal(new Set(training.nodes.map((n) => n.name)).size, training.nodes.length, "new nodes get fresh names");
  const xv = randomFloats(6, 1);
  const wv = randomFloats(6, 2);
  const out = await runModel(training, { x: f32([2, 3], xv), "dense.weight": f32([2, 3], wv), labels: f32([2, 2], [0, 1, 1, 0]) });
  let loss = 0;
  for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) {
    let s = c === 0 ? 0.5 : -0.5;
    for (let k = 0; k < 3; k++) s += xv[r * 3 + k]! * wv[c * 3 + k]!;
    const d = s - [0, 1, 1, 0][r * 2 + c]!;
    loss += (d * d) / 4;
  }
  assertClose(out.loss!, { dims: [], data: [loss] });
  assert.throws(() => t.promoteToInput(labels), /only parameters/);
});

test("formatModel lists nodes with inferred types and attributes", () => {
  const { g } = smallModel();
  const text = formatModel(g.build());
  assert.match(text, /^graph "small" \(3 nodes, 2 initializers\)/);
  assert.match(text, /%dense\/Transpose_0:out float32\[3, 2\] = Transpose\(%dense\.weight float32\[2, 3\]\) \{perm: \[1, 0\]\}/);
  assert.match(text, /outputs: %logits float32\[batch, 2\]$/);
  assert.match(formatModel(g.build(), { maxNodes: 1 }), /… 2 more nodes/);
});
