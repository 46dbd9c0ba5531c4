import { test } from "node:test";
import assert from "node:assert/strict";
import { buildVjpGraph } from "../../../src/graph/autodiff/index.js";
import { GraphBuilder } from "../../../src/graph/index.js";
import { createSession } from "../../../src/runtime/index.js";
import { randomFloats } from "../support/random.js";
import { f32, i64 } from "../support/run-graph.js";
import { checkVjp } from "./support/check-vjp.js";
import { OpBench } from "./support/op-bench.js";

test("Slice: ranges, negative bounds, steps (positive and negative), several axes, symbolic dims", async () => {
  const b = new OpBench("slice");
  const g = b.g;
  g.output("range", g.sliceAxis(b.input("range", "x", [3, 8]), 1, 2, 6));
  g.output("negative", g.sliceAxis(b.input("negative", "x", [3, 8]), 1, -5, -1));
  g.output("step", g.sliceAxis(b.input("step", "x", [3, 9]), 1, 1, Infinity, 3));
  g.output("reverse", g.sliceAxis(b.input("reverse", "x", [3, 7]), 1, -2, -Infinity, -2));
  g.output("two_axes", g.slice(b.input("two_axes", "x", [4, 6]), [1, 0], [3, 6], [0, 1], [1, 2]));
  const sym = b.input("symbolic", "x", [2, 7], randomFloats, ["batch", "time"]);
  g.output("symbolic_tail", g.sliceAxis(sym, 1, 1));
  g.output("symbolic_head", g.sliceAxis(sym, 1, 0, -1));
  g.output("symbolic_neg", g.sliceAxis(sym, 1, -3, -1));
  g.output("symbolic_step", g.sliceAxis(b.input("symbolic_step", "x", [2, 7], randomFloats, [2, "time"]), 1, 1, Infinity, 2));
  await b.check();
});

test("Gather: repeated indices accumulate (embeddings), axis 1, scalar index (CLS token), int32 and negative indices", async () => {
  const g = new GraphBuilder({ name: "gather" });
  const table = g.input("table", "float32", [5, 3]);
  const ids = g.input("ids", "int64", ["batch", "time"]);
  g.output("embedding", g.gather(table, ids, 0));
  const x = g.input("x", "float32", [2, 4, 3]);
  g.output("cls", g.gather(x, 0, 1));
  g.output("picked", g.gather(x, [3, -1, 1, 3], 1));
  const y = g.input("y", "float32", [2, 4]);
  g.output("int32", g.gather(y, g.cast(g.input("idx32", "int64", [3]), "int32"), 1));
  await checkVjp(g.build(), {
    table: f32([5, 3], randomFloats(15, 1)),
    ids: i64([2, 4], [1, 3, 1, 1, 0, 4, 3, 1]),
    x: f32([2, 4, 3], randomFloats(24, 2)),
    y: f32([2, 4], randomFloats(8, 3)),
    idx32: i64([3], [2, 2, 0]),
  }, { wrt: ["table", "x", "y"] });
});

test("Gather gradient adds up every use of a row (exact values)", async () => {
  const g = new GraphBuilder({ name: "gather-exact" });
  const table = g.input("table", "float32", [3, 2]);
  g.output("rows", g.gather(table, g.input("ids", "int64", [4]), 0));
  const session = await createSession(buildVjpGraph(g.build(), { wrt: ["table"] }), { threads: 1 });
  try {
    const out = await session.run({ table: f32([3, 2], [0, 0, 0, 0, 0, 0]), ids: i64([4], [2, 0, 2, 2]), "cotangent.rows": f32([4, 2], [1, 2, 3, 4, 5, 6, 7, 8]) });
    assert.deepEqual(Array.from(out["grad.table"]!.data as Float32Array), [3, 4, 0, 0, 1 + 5 + 7, 2 + 6 + 8]);
  } finally {
    await session.dispose();
  }
});

test("Pad: constant (positive and negative pads, fill-value gradient), reflect and edge, static and symbolic", async () => {
  const b = new OpBench("pad");
  const g = b.g;
  g.output("constant", g.pad(b.input("constant", "x", [2, 3]), [1, 0, 0, 2]));
  g.output("crop", g.pad(b.input("crop", "x", [2, 5]), [0, -1, 1, 2]));
  const fill = b.input("fill", "value", []);
  g.output("fill", g.op("Pad", [b.input("fill", "x", [2, 3]), g.vector([1, 1, 0, 1]), fill], { mode: { type: "string", value: "constant" } })[0]!);
  g.output("reflect", g.pad(b.input("reflect", "x", [2, 5]), [0, 2, 0, 3], { mode: "reflect" }));
  g.output("reflect_wide", g.pad(b.input("reflect_wide", "x", [3, 3]), [2, 2, 2, 2], { mode: "reflect" }));
  g.output("edge", g.pad(b.input("edge", "x", [2, 4]), [1, 3, 0, 2], { mode: "edge" }));
  g.output("reflect_symbolic", g.pad(b.input("reflect_symbolic", "x", [2, 6], randomFloats, [2, "time"]), [0, 3, 0, 2], { mode: "reflect" }));
  g.output("edge_symbolic", g.pad(b.input("edge_symbolic", "x", [2, 6], randomFloats, [2, "time"]), [0, 2, 0, 1], { mode: "edge" }));
  await b.check();
});
