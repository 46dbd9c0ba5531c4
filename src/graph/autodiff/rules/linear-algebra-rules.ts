// Vector-Jacobian rules of matrix products. The backward products are written so that no
// transposed copy of a weight is made: Gemm and FusedMatMul take transA/transB, and a MatMul
// of a Transpose is fused by ONNX Runtime. A weight shared across a batch (a 2-D operand of a
// batched product) gets its gradient from one 2-D Gemm over the flattened batch instead of a
// batched product followed by a sum.
import { MICROSOFT_DOMAIN } from "../../ir.js";
import { attr } from "../../attributes.js";
import type { GraphBuilder } from "../../graph-builder.js";
import type { Value } from "../../value.js";
import { unbroadcast } from "../gradient-shapes.js";
import { type VjpContext, registerVjp } from "../vjp-rule.js";

/** Swaps the last two axes. */
function swapLast(g: GraphBuilder, x: Value): Value {
  const perm = x.shape.map((_, i) => i);
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1]!, perm[x.rank - 2]!];
  return g.transpose(x, perm);
}

/** [..., d] → [prod(...), d]: a batched operand as rows of a 2-D matrix. */
function flattenRows(g: GraphBuilder, x: Value): Value {
  const last = x.shape[x.rank - 1]!;
  if (x.rank === 2) return x;
  if (typeof last === "number") return g.reshape(x, [-1, last]);
  return g.flatten(x, x.rank - 1);
}

registerVjp("MatMul", {
  differentiable: [0, 1],
  vjp: (ctx: VjpContext, [dyIn]) => {
    const { g } = ctx;
    let [a, b] = [ctx.input(0), ctx.input(1)];
    const [aVector, bVector] = [a.rank === 1, b.rank === 1];
    // numpy's 1-D operands: a [K] acts as [1, K], b [K] as [K, 1]; restore those axes in dy.
    let dy = dyIn!;
    if (aVector) {
      a = g.unsqueeze(a, [0]);
      dy = g.unsqueeze(dy, [dy.rank - (bVector ? 0 : 1)]);
    }
    if (bVector) {
      b = g.unsqueeze(b, [1]);
      dy = g.unsqueeze(dy, [dy.rank]);
    }
    let da: Value | undefined;
    let db: Value | undefined;
    if (ctx.needs(0)) {
      if (b.rank === 2 && a.rank > 2) {
        // dA = dY·Bᵀ, one 2-D Gemm over the flattened batch, reshaped back
        const flat = g.gemm(flattenRows(g, dy), b, undefined, { transB: true });
        da = g.reshape(flat, g.shape(a));
      } else {
        da = unbroadcast(g, g.matMul(dy, swapLast(g, b)), a);
      }
      if (aVector) da = g.squeeze(da, [0]);
    }
    if (ctx.needs(1)) {
      if (b.rank === 2 && a.rank > 2) {
        // dB = Σ_batch Aᵀ·dY = flat(A)ᵀ·flat(dY)
        db = g.gemm(flattenRows(g, a), flattenRows(g, dy), undefined, { transA: true });
      } else {
        db = unbroadcast(g, g.matMul(swapLast(g, a), dy), b);
      }
      if (bVector) db = g.squeeze(db, [1]);
    }
    return [da, db];
  },
});

// Y = α·op(A)·op(B) + β·C on 2-D A, B.
registerVjp("Gemm", {
  differentiable: [0, 1, 2],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const [a, b, c] = [ctx.input(0), ctx.input(1), ctx.optionalInput(2)];
    const alpha = ctx.float("alpha", 1);
    const beta = ctx.float("beta", 1);
    const transA = ctx.int("transA", 0) === 1;
    const transB = ctx.int("transB", 0) === 1;
    const opts = (o: { transA?: boolean; transB?: boolean }) => ({ ...o, alpha: alpha === 1 ? undefined : alpha });
    // d op(A) = α·dY·op(B)ᵀ, d op(B) = α·op(A)ᵀ·dY; transposed back where A or B was.
    const da = !ctx.needs(0) ? undefined
      : transA ? g.gemm(b, dy!, undefined, opts({ transA: transB, transB: true }))
      : g.gemm(dy!, b, undefined, opts({ transB: !transB }));
    const db = !ctx.needs(1) ? undefined
      : transB ? g.gemm(dy!, a, undefined, opts({ transA: true, transB: transA }))
      : g.gemm(a, dy!, undefined, opts({ transA: !transA }));
    let dc: Value | undefined;
    if (ctx.needs(2) && c !== undefined) {
      dc = unbroadcast(g, dy!, c);
      if (beta !== 1) dc = g.mul(dc, beta);
    }
    return [da, db, dc];
  },
});

// com.microsoft.FusedMatMul: Y = α·op(A)·op(B), batched and broadcasting like MatMul.
registerVjp(
  "FusedMatMul",
  {
    differentiable: [0, 1],
    vjp: (ctx: VjpContext, [dy]) => {
      const { g } = ctx;
      const [a, b] = [ctx.input(0), ctx.input(1)];
      const alpha = ctx.float("alpha", 1);
      const transA = ctx.int("transA", 0) === 1;
      const transB = ctx.int("transB", 0) === 1;
      const fused = (x: Value, y: Value, tA: boolean, tB: boolean): Value =>
        g.op("FusedMatMul", [x, y], {
          alpha: alpha === 1 ? undefined : attr.float(alpha),
          transA: tA ? attr.int(1) : undefined,
          transB: tB ? attr.int(1) : undefined,
        }, { domain: MICROSOFT_DOMAIN })[0]!;
      const sharedWeight = b.rank === 2 && a.rank > 2 && !transA;
      let da: Value | undefined;
      if (ctx.needs(0)) {
        da = transA ? fused(b, dy!, transB, true) : fused(dy!, b, false, !transB);
        da = sharedWeight ? da : unbroadcast(g, da, a);
      }
      let db: Value | undefined;
      if (ctx.needs(1)) {
        const gemmAlpha = { alpha: alpha === 1 ? undefined : alpha };
        if (sharedWeight) {
          const [a2, dy2] = [flattenRows(g, a), flattenRows(g, dy!)];
          db = transB ? g.gemm(dy2, a2, undefined, { ...gemmAlpha, transA: true }) : g.gemm(a2, dy2, undefined, { ...gemmAlpha, transA: true });
        } else {
          db = transB ? fused(dy!, a, true, transA) : fused(a, dy!, !transA, false);
          db = unbroadcast(g, db, b);
        }
      }
      return [da, db];
    },
  },
  MICROSOFT_DOMAIN,
);
