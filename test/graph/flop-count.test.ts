import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../src/graph/index.js";
import { countMatmulFlops } from "../../src/graph/flop-count.js";
import { GraphError } from "../../src/graph/errors.js";

test("counts MatMul, Gemm and Conv multiply-adds from bound symbolic shapes", () => {
  const g = new GraphBuilder({ name: "flops" });
  const x = g.input("x", "float32", ["batch", "time", 16]);
  const w = g.initializer("w", { type: "float32", dims: [16, 32], data: new Float32Array(16 * 32) });
  const y = g.matMul(x, w); // [batch, time, 32]: 2·B·T·32·16
  const flat = g.reshape(y, [-1, 32]);
  const w2 = g.initializer("w2", { type: "float32", dims: [8, 32], data: new Float32Array(8 * 32) });
  const z = g.gemm(flat, w2, undefined, { transB: true }); // [B·T, 8]: 2·B·T·8·32
  const img = g.input("img", "float32", ["batch", 3, 10, 10]);
  const k = g.initializer("k", { type: "float32", dims: [4, 3, 3, 3], data: new Float32Array(4 * 27) });
  const c = g.conv(img, k, undefined, { pads: [1, 1, 1, 1] }); // [B, 4, 10, 10]: 2·B·400·27
  g.output("z", z);
  g.output("c", c);
  const { total, byOp } = countMatmulFlops(g.build(), { batch: 2, time: 5 });
  assert.equal(byOp["MatMul"], 2 * 2 * 5 * 32 * 16);
  assert.equal(byOp["Gemm"], 2 * 10 * 8 * 32);
  assert.equal(byOp["Conv"], 2 * 2 * 400 * 27);
  assert.equal(total, byOp["MatMul"]! + byOp["Gemm"]! + byOp["Conv"]!);
  assert.throws(() => countMatmulFlops(g.build(), { batch: 2 }), (e: unknown) => e instanceof GraphError && /time/.test(e.message));
});
