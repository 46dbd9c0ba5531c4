import { test } from "node:test";
import assert from "node:assert/strict";
import { AudioclassError } from "../../src/errors.js";
import { DTypeError, GraphBuilder, GraphError, ShapeError } from "../../src/graph/index.js";

function expectShapeError(fn: () => unknown, opType: string, ...fragments: string[]): ShapeError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ShapeError, `expected a ShapeError, got ${String(caught)}`);
  assert.ok(caught instanceof AudioclassError);
  assert.equal(caught.code, "GRAPH_SHAPE");
  assert.equal(caught.opType, opType);
  for (const f of fragments) assert.ok(caught.message.includes(f), `message should mention "${f}": ${caught.message}`);
  return caught;
}

test("MatMul inner-dimension mismatch names the op, scope, shapes and the fix", () => {
  const g = new GraphBuilder({ name: "errors" });
  const x = g.input("x", "float32", ["batch", 10, 64]);
  const w = g.input("w", "float32", [32, 16]);
  const error = expectShapeError(
    () => g.scope("encoder.layer.0", () => g.scope("attention", () => g.matMul(x, w))),
    "MatMul",
    "[batch, 10, 64]",
    "[32, 16]",
    "64 vs 32",
    "encoder.layer.0/attention",
    "[out, in]",
  );
  assert.equal(error.scope, "encoder.layer.0/attention");
  assert.match(error.nodeName, /^encoder\.layer\.0\/attention\/MatMul_\d+$/);
});

test("broadcast mismatch names the clashing axis", () => {
  const g = new GraphBuilder({ name: "errors" });
  const a = g.input("a", "float32", ["batch", 3, 5]);
  const b = g.input("b", "float32", [4, 1]);
  expectShapeError(() => g.add(a, b), "Add", "axis -2", "3 vs 4", "[batch, 3, 5]", "[4, 1]", "equal or 1");
});

test("bad Reshape targets: wrong element count, indivisible -1, two -1s, 0 beyond the rank", () => {
  const g = new GraphBuilder({ name: "errors" });
  const x = g.input("x", "float32", [2, 3]);
  expectShapeError(() => g.reshape(x, [5]), "Reshape", "6 elements", "5 elements");
  expectShapeError(() => g.reshape(x, [4, -1]), "Reshape", "not divisible by 4");
  expectShapeError(() => g.reshape(x, [-1, -1]), "Reshape", "more than one -1");
  expectShapeError(() => g.reshape(x, [0, 0, 0]), "Reshape", "copies axis 2");
  expectShapeError(() => g.reshape(x, [-2, 3]), "Reshape", "invalid size -2");
});

test("bad Concat: axis out of range, mismatched non-axis dims, rank mismatch", () => {
  const g = new GraphBuilder({ name: "errors" });
  const a = g.input("a", "float32", ["batch", 3, 4]);
  const b = g.input("b", "float32", ["batch", 5, 4]);
  const c = g.input("c", "float32", ["batch", 4]);
  expectShapeError(() => g.concat([a, b], 3), "Concat", "axis 3 is out of range for rank 3", "[-3, 2]");
  expectShapeError(() => g.concat([a, b], 2), "Concat", "differ on axis 1 (3 vs 5)");
  expectShapeError(() => g.concat([a, c], 1), "Concat", "rank 2");
  assert.deepEqual(g.concat([a, b], 1).shape, ["batch", 8, 4]);
});

test("dtype mismatch is a DTypeError suggesting a cast", () => {
  const g = new GraphBuilder({ name: "errors" });
  const a = g.input("a", "float32", [3]);
  const b = g.input("b", "int64", [3]);
  assert.throws(() => g.add(a, b), (e: unknown) => e instanceof DTypeError && e.code === "GRAPH_DTYPE" && /float32 and int64/.test(e.message) && /Cast/.test(e.message));
  assert.throws(() => g.sqrt(b), (e: unknown) => e instanceof DTypeError && /float type/.test(e.message));
  assert.throws(() => g.where(a as never, a, a), DTypeError);
});

test("more shape errors: Conv channels, Gemm, Transpose, Squeeze, Gather, Split, Slice, LayerNorm", () => {
  const g = new GraphBuilder({ name: "errors" });
  const x = g.input("x", "float32", ["batch", 4, 100]);
  const w = g.input("w", "float32", [8, 3, 5]);
  expectShapeError(() => g.conv(x, w), "Conv", "4 channels", "3 per group");
  const m = g.input("m", "float32", [5, 6]);
  expectShapeError(() => g.gemm(m, m), "Gemm", "transB");
  expectShapeError(() => g.transpose(x, [0, 0, 1]), "Transpose", "not a permutation");
  expectShapeError(() => g.squeeze(x, [1]), "Squeeze", "axis 1 has size 4");
  expectShapeError(() => g.gather(x, 7, 1), "Gather", "index 7 is out of range");
  expectShapeError(() => g.split(x, [1, 2], 1), "Split", "add up to 3");
  expectShapeError(() => g.split(x, 3, 1), "Split", "equal parts");
  expectShapeError(() => g.slice(x, [0, 0], [1, 1], [1, 1]), "Slice", "sliced twice");
  expectShapeError(() => g.layerNormalization(x, g.input("s", "float32", [4])), "LayerNormalization", "[100]");
  expectShapeError(() => g.softmax(x, 3), "Softmax", "out of range");
  expectShapeError(() => g.pad(x, [0, 0, 100, 0, 0, 0], { mode: "reflect" }), "Pad", "reflect");
});

test("builder misuse raises GraphError: unknown op, unknown attribute, foreign value, duplicate names, no outputs", () => {
  const g = new GraphBuilder({ name: "errors" });
  const x = g.input("x", "float32", [2]);
  assert.throws(() => g.op("Softmx", [x]), (e: unknown) => e instanceof GraphError && /did you mean Softmax/.test(e.message));
  assert.throws(() => g.op("Softmax", [x], { axes: { type: "int", value: 0 } }), /no attribute "axes"; it accepts axis/);
  assert.throws(() => g.op("Add", [x]), /takes 2 inputs, got 1/);
  const other = new GraphBuilder({ name: "other" });
  const y = other.input("y", "float32", [2]);
  assert.throws(() => g.add(x, y), /belongs to another GraphBuilder/);
  assert.throws(() => g.input("x", "float32", [2]), /already used/);
  assert.throws(() => g.input("bad", "float32", ["two words"]), /symbol name/);
  assert.throws(() => g.initializer("w", { type: "float32", dims: [3], data: new Float32Array(2) }), /need 3 elements/);
  assert.throws(() => g.initializer("w", { type: "float32", dims: [2], data: new Float64Array(2) } as never), /must be a Float32Array/);
  assert.throws(() => g.build(), /no outputs/);
  assert.throws(() => new GraphBuilder({ name: "" }), GraphError);
});
