import { test } from "node:test";
import assert from "node:assert/strict";
import { buildVjpGraph } from "../../../src/graph/autodiff/index.js";
import { MICROSOFT_DOMAIN, opCounts } from "../../../src/graph/index.js";
import { randomFloats } from "../support/random.js";
import { OpBench } from "./support/op-bench.js";

const wide = (n: number, seed: number): Float32Array => randomFloats(n, seed, 1.5);

test("com.microsoft.MultiHeadAttention: Q/K/V, packed bias, attention bias broadcast over batch or heads", async () => {
  const b = new OpBench("mha");
  const g = b.g;
  const [batch, seq, kv, heads, hidden, vHidden] = [2, 3, 4, 2, 4, 6];
  const attention = (op: string, biasDims: number[] | undefined, packedBias: boolean, scale?: number): void => {
    const q = b.input(op, "q", [batch, seq, hidden], wide, ["batch", "seq", hidden]);
    const k = b.input(op, "k", [batch, kv, hidden], wide, ["batch", "kv", hidden]);
    const v = b.input(op, "v", [batch, kv, vHidden], wide, ["batch", "kv", vHidden]);
    g.output(op, g.multiHeadAttention(q, k, v, {
      numHeads: heads,
      scale,
      bias: packedBias ? b.input(op, "bias", [2 * hidden + vHidden]) : undefined,
      attentionBias: biasDims === undefined ? undefined : b.input(op, "attention_bias", biasDims, wide),
    }));
  };
  attention("plain", undefined, false);
  attention("biased", [batch, heads, seq, kv], true, 0.3);
  attention("per_batch", [batch, 1, seq, kv], true);
  attention("per_head", [1, heads, seq, kv], false);
  await b.check();
});

test("the fused attention's backward recomputes the probabilities instead of keeping them", () => {
  const b = new OpBench("mha-memory");
  const g = b.g;
  const x = b.input("a", "x", [2, 5, 4]);
  g.output("y", g.multiHeadAttention(x, x, x, { numHeads: 2 }));
  const vjp = buildVjpGraph(g.build(), { wrt: ["a.x"] });
  const counts = opCounts(vjp);
  assert.equal(counts[`${MICROSOFT_DOMAIN}.MultiHeadAttention`], 1);
  assert.equal(counts.Softmax, 1, "one recomputed softmax in the backward pass");
  // the recomputation reads the projections, not any output of the fused kernel
  const mha = vjp.nodes.find((n) => n.opType === "MultiHeadAttention")!;
  const softmax = vjp.nodes.find((n) => n.opType === "Softmax")!;
  assert.ok(softmax.id > mha.id && softmax.scope.startsWith("backward"));
});
