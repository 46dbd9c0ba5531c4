// Forward tests of the op forms the backward pass emits that forward graphs did not use:
// ConvTranspose, ScatterND / ScatterElements with reduction "add", Conv with a kernel sized at
// run time, Split with symbolic sizes, and the Dropout schema.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, ShapeError, attr } from "../../../src/graph/index.js";
import { randomFloats } from "../support/random.js";
import { type Arr, conv, size } from "../support/reference.js";
import { assertClose, f32, i64, runEach, runModel, toArr } from "../support/run-graph.js";

/** ConvTranspose as the adjoint of Conv: ⟨Conv(x, w), y⟩ = ⟨x, ConvTranspose(y, w)⟩, evaluated densely. */
function convTransposeReference(y: Arr, w: Arr, inputDims: number[], strides: number[], pads: number[], dilations: number[], group: number): Arr {
  const n = size(inputDims);
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const basis = new Array<number>(n).fill(0);
    basis[i] = 1;
    const column = conv({ dims: inputDims, data: basis }, w, undefined, strides, pads, dilations, group);
    out[i] = column.data.reduce((s, v, k) => s + v * y.data[k]!, 0);
  }
  return { dims: inputDims, data: out };
}

test("ConvTranspose: strides, pads, output_padding, dilations and groups (1-D and 2-D) as Conv's adjoint", async () => {
  const g = new GraphBuilder({ name: "conv-transpose" });
  const cases = [
    { name: "plain", x: [2, 3, 5], w: [3, 2, 3], strides: [1], pads: [0, 0], dilations: [1], group: 1, outputPadding: [0] },
    { name: "strided", x: [1, 2, 4], w: [2, 3, 4], strides: [3], pads: [1, 2], dilations: [1], group: 1, outputPadding: [2] },
    { name: "grouped", x: [1, 4, 3], w: [4, 1, 3], strides: [2], pads: [1, 1], dilations: [2], group: 2, outputPadding: [1] },
    { name: "2d", x: [1, 2, 3, 2], w: [2, 2, 2, 3], strides: [2, 1], pads: [0, 1, 1, 0], dilations: [1, 1], group: 1, outputPadding: [1, 0] },
  ];
  const feeds: Record<string, ReturnType<typeof f32>> = {};
  cases.forEach((c, k) => {
    feeds[`${c.name}.x`] = f32(c.x, randomFloats(size(c.x), 10 + k));
    feeds[`${c.name}.w`] = f32(c.w, randomFloats(size(c.w), 20 + k));
    const y = g.op("ConvTranspose", [g.input(`${c.name}.x`, "float32", c.x), g.input(`${c.name}.w`, "float32", c.w)], {
      strides: attr.ints(c.strides), pads: attr.ints(c.pads), dilations: attr.ints(c.dilations), group: attr.int(c.group), output_padding: attr.ints(c.outputPadding),
    })[0]!;
    g.output(c.name, y);
  });
  const out = await runModel(g.build(), feeds);
  for (const c of cases) {
    const result = out[c.name]!;
    const outDims = [...result.dims];
    const expected = convTransposeReference(toArr(feeds[`${c.name}.x`]!), toArr(feeds[`${c.name}.w`]!), outDims, c.strides, c.pads, c.dilations, c.group);
    assertClose(result, expected, { atol: 1e-5 });
  }
});

test("ScatterND and ScatterElements with reduction add accumulate repeated indices", async () => {
  const g = new GraphBuilder({ name: "scatter" });
  const data = g.input("data", "float32", [4, 2]);
  const idx = g.input("idx", "int64", [3, 1]);
  const upd = g.input("upd", "float32", [3, 2]);
  g.output("nd", g.op("ScatterND", [data, idx, upd], { reduction: attr.string("add") })[0]!);
  const flat = g.input("flat", "float32", [5]);
  g.output("elements", g.op("ScatterElements", [flat, g.input("at", "int64", [4]), g.input("vals", "float32", [4])], { reduction: attr.string("add"), axis: attr.int(0) })[0]!);
  const out = await runModel(g.build(), {
    data: f32([4, 2], [1, 1, 1, 1, 1, 1, 1, 1]), idx: i64([3, 1], [1, 1, -1]), upd: f32([3, 2], [1, 2, 3, 4, 5, 6]),
    flat: f32([5], [0, 0, 0, 0, 0]), at: i64([4], [1, 1, 3, 0]), vals: f32([4], [1, 2, 3, 4]),
  });
  assert.deepEqual(Array.from(out.nd!.data as Float32Array), [1, 1, 5, 7, 1, 1, 6, 7]);
  assert.deepEqual(Array.from(out.elements!.data as Float32Array), [4, 3, 0, 3, 0]);
  assert.throws(() => g.op("ScatterND", [data, idx, upd], { reduction: attr.string("sum") }), ShapeError);
});

test("Conv with a kernel sized at run time infers symbolic output sizes that ORT agrees with", async () => {
  const g = new GraphBuilder({ name: "runtime-kernel" });
  const x = g.input("x", "float32", [3, 2, "length"]);
  const w = g.input("w", "float32", [4, 2, "taps"]);
  const y = g.conv(x, w, undefined, { strides: [2], dilations: [3], pads: [1, 2] });
  assert.deepEqual(y.shape, [3, 4, "floor((length-3*taps+5)/2)+1"]);
  g.output("y", y);
  const feeds = (length: number, taps: number) => ({ x: f32([3, 2, length], randomFloats(6 * length, length)), w: f32([4, 2, taps], randomFloats(8 * taps, taps)) });
  const runs = [feeds(12, 2), feeds(15, 4)];
  const results = await runEach(g.build(), runs);
  results.forEach((out, k) => assertClose(out.y!, conv(toArr(runs[k]!.x), toArr(runs[k]!.w), undefined, [2], [1, 2], [3], 1)));
});

test("Split with symbolic sizes (from shapes) and the Dropout schema", async () => {
  const g = new GraphBuilder({ name: "split-symbolic" });
  const a = g.input("a", "float32", [2, "t"]);
  const b = g.input("b", "float32", [2, "u"]);
  const joined = g.concat([a, b], 1);
  const sizes = g.concat([g.shape(a, 1, 2), g.shape(b, 1, 2)], 0);
  const [left, right] = g.op("Split", [joined, sizes], { axis: attr.int(1) }, { outputs: 2 });
  assert.deepEqual([left!.shape, right!.shape], [[2, "t"], [2, "u"]]);
  g.output("left", left!);
  g.output("right", right!);
  const feeds = { a: f32([2, 3], [1, 2, 3, 4, 5, 6]), b: f32([2, 1], [7, 8]) };
  const out = await runModel(g.build(), feeds);
  assert.deepEqual(Array.from(out.left!.data as Float32Array), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(out.right!.data as Float32Array), [7, 8]);

  const d = new GraphBuilder({ name: "dropout-schema" });
  const x = d.input("x", "float32", ["batch", 3]);
  const [y, mask] = d.op("Dropout", [x, d.scalar(0.2), d.scalar(true, "bool")], {}, { outputs: 2 });
  assert.deepEqual([y!.shape, y!.dtype, mask!.shape, mask!.dtype], [["batch", 3], "float32", ["batch", 3], "bool"]);
  assert.throws(() => d.op("Dropout", [x, d.scalar(1.5)]), /ratio 1.5 is outside \[0, 1\)/);
});
