import { test } from "node:test";
import assert from "node:assert/strict";
import { buildVjpGraph } from "../../../src/graph/autodiff/index.js";
import { opCounts } from "../../../src/graph/index.js";
import { randomFloats } from "../support/random.js";
import { OpBench } from "./support/op-bench.js";

test("MatMul: 2-D, batched with broadcast batch dims, 1-D operands, a shared 2-D weight", async () => {
  const b = new OpBench("matmul");
  const g = b.g;
  g.output("plain", g.matMul(b.input("plain", "a", [3, 4]), b.input("plain", "b", [4, 2])));
  g.output("batched", g.matMul(b.input("batched", "a", [2, 1, 3, 4], randomFloats, ["batch", 1, 3, 4]), b.input("batched", "b", [3, 4, 2])));
  g.output("vec_left", g.matMul(b.input("vec_left", "a", [4]), b.input("vec_left", "b", [2, 4, 3])));
  g.output("vec_right", g.matMul(b.input("vec_right", "a", [2, 3, 4]), b.input("vec_right", "b", [4])));
  g.output("dot", g.matMul(b.input("dot", "a", [4]), b.input("dot", "b", [4])));
  g.output("shared", g.matMul(b.input("shared", "x", [2, 3, 4], randomFloats, ["batch", "time", 4]), b.input("shared", "w", [4, 5])));
  await b.check();
});

test("Gemm: every transA/transB combination, alpha/beta, biases of shape [N], [M, N], [1, N] and scalar", async () => {
  const b = new OpBench("gemm");
  const g = b.g;
  const [m, k, n] = [3, 4, 2];
  const biases: Record<string, number[]> = { n: [n], mn: [m, n], one_n: [1, n], scalar: [] };
  let i = 0;
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      for (const [biasName, biasDims] of Object.entries(biases)) {
        const op = `t${+transA}${+transB}_${biasName}`;
        const a = b.input(op, "a", transA ? [k, m] : [m, k]);
        const w = b.input(op, "b", transB ? [n, k] : [k, n]);
        const c = b.input(op, "c", biasDims);
        const scaled = i++ % 2 === 0;
        g.output(op, g.gemm(a, w, c, { transA, transB, alpha: scaled ? 0.7 : undefined, beta: scaled ? -1.5 : undefined }));
      }
    }
  }
  g.output("no_bias", g.gemm(b.input("no_bias", "a", [m, k]), b.input("no_bias", "b", [n, k]), undefined, { transB: true }));
  await b.check();
});

test("FusedMatMul: transA/transB, alpha, batched broadcast and a shared [out, in] weight", async () => {
  const b = new OpBench("fused");
  const g = b.g;
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const op = `t${+transA}${+transB}`;
      const a = b.input(op, "a", transA ? [2, 4, 3] : [2, 3, 4]);
      const w = b.input(op, "b", transB ? [1, 5, 4] : [1, 4, 5]);
      g.output(op, g.fusedMatMul(a, w, { transA, transB, alpha: 0.5 }));
    }
  }
  g.output("linear", g.fusedMatMul(b.input("linear", "x", [2, 3, 4], randomFloats, ["batch", 3, 4]), b.input("linear", "w", [5, 4]), { transB: true }));
  g.output("linear_t", g.fusedMatMul(b.input("linear_t", "x", [2, 3, 4]), b.input("linear_t", "w", [4, 5]), { alpha: 2 }));
  await b.check();
});

test("a Linear's weight gradient is one Gemm over the flattened batch, with no transposed weight copy", () => {
  const b = new OpBench("linear-shape");
  const g = b.g;
  const x = b.input("l", "x", [2, 3, 4], randomFloats, ["batch", "time", 4]);
  const w = b.input("l", "w", [5, 4]);
  const flat = g.gemm(g.reshape(x, [-1, 4]), w, undefined, { transB: true });
  g.output("y", g.reshape(flat, g.concat([g.shape(x, 0, -1), g.vector([5])], 0)));
  const vjp = buildVjpGraph(g.build(), { wrt: ["l.w", "l.x"] });
  const counts = opCounts(vjp);
  assert.equal(counts.Transpose ?? 0, 0, `no Transpose expected, got ${JSON.stringify(counts)}`);
  assert.equal(counts.Gemm, 3, "forward Gemm + dX and dW Gemms");
  const grad = vjp.values.find((v) => v.name === "grad.l.x")!;
  assert.deepEqual(grad.shape, ["batch", "time", 4]);
});
