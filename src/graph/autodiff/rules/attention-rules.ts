// Vector-Jacobian rule of ONNX Runtime's fused com.microsoft.MultiHeadAttention.
//
// The fused kernel keeps no attention probabilities, and neither does this rule: the backward
// pass recomputes P = softmax(q·kᵀ·scale + bias) per layer from the kept projections, as
// FlashAttention's backward does. Training graphs built from fused forward graphs therefore do
// not hold the [batch, heads, queries, keys] probabilities of every layer until the backward pass
// (566 MB per layer for AST-base at batch 8), at the price of one extra Q·Kᵀ product and softmax
// per layer. bench/autodiff.ts measures it: 4 blocks at batch 2, peak RSS 3.5 → 2.7 GB.
// With P, dO [B, S, H·dv] and per-head q, k, v:
//   dv = Pᵀ·dO,  dP = dO·vᵀ,  dS = P·(dP − Σ dP·P),  dq = dS·k·scale,  dk = dSᵀ·q·scale,
//   d(attention_bias) = dS summed over its broadcast axes.
import { MICROSOFT_DOMAIN } from "../../ir.js";
import type { GraphBuilder } from "../../graph-builder.js";
import type { Value } from "../../value.js";
import { unbroadcast } from "../gradient-shapes.js";
import { type VjpContext, registerVjp } from "../vjp-rule.js";

/** [B, T, H·d] → [B, H, T, d] */
function splitHeads(g: GraphBuilder, x: Value, heads: number, size: number): Value {
  return g.transpose(g.reshape(x, [0, 0, heads, size]), [0, 2, 1, 3]);
}

/** [B, H, T, d] → [B, T, H·d] */
function mergeHeads(g: GraphBuilder, x: Value, heads: number, size: number): Value {
  return g.reshape(g.transpose(x, [0, 2, 1, 3]), [0, 0, heads * size]);
}

function swapLast(g: GraphBuilder, x: Value): Value {
  return g.transpose(x, [0, 1, 3, 2]);
}

registerVjp(
  "MultiHeadAttention",
  {
    differentiable: [0, 1, 2, 3, 5],
    vjp: (ctx: VjpContext, [dOut]) => {
      const { g } = ctx;
      if (ctx.optionalInput(4) !== undefined) ctx.fail("key_padding_mask is not supported", "Pass the mask as an additive attention_bias.");
      if (ctx.int("unidirectional", 0) !== 0) ctx.fail("unidirectional (causal) attention is not supported", "Add a causal mask to attention_bias.");
      const heads = ctx.int("num_heads", 1);
      let [q, k, v] = [ctx.input(0), ctx.input(1), ctx.input(2)];
      const [hidden, vHidden] = [q.shape[2], v.shape[2]];
      if (typeof hidden !== "number" || typeof vHidden !== "number") return ctx.fail("the hidden sizes are symbolic", "Use static hidden sizes.");
      const [dh, dv] = [hidden / heads, vHidden / heads];
      const scale = ctx.float("scale", 1 / Math.sqrt(dh));
      const bias = ctx.optionalInput(3);
      const attentionBias = ctx.optionalInput(5);
      if (bias !== undefined) {
        const [bq, bk, bv] = g.split(bias, [hidden, hidden, vHidden], 0);
        [q, k, v] = [g.add(q, bq!), g.add(k, bk!), g.add(v, bv!)];
      }
      const [qh, kh, vh] = [splitHeads(g, q, heads, dh), splitHeads(g, k, heads, dh), splitHeads(g, v, heads, dv)];
      let scores = g.mul(g.matMul(qh, swapLast(g, kh)), scale);
      if (attentionBias !== undefined) scores = g.add(scores, attentionBias);
      const probs = g.softmax(scores, -1);
      const dOh = splitHeads(g, dOut!, heads, dv);
      const needsScores = ctx.needs(0) || ctx.needs(1) || ctx.needs(5) || (bias !== undefined && ctx.needs(3));
      let dScores: Value | undefined;
      if (needsScores) {
        const dProbs = g.matMul(dOh, swapLast(g, vh));
        dScores = g.mul(probs, g.sub(dProbs, g.reduceSum(g.mul(dProbs, probs), [-1], { keepDims: true })));
      }
      const dScaled = dScores === undefined ? undefined : g.mul(dScores, scale);
      const wantBias = bias !== undefined && ctx.needs(3);
      const dq = ctx.needs(0) || wantBias ? mergeHeads(g, g.matMul(dScaled!, kh), heads, dh) : undefined;
      const dk = ctx.needs(1) || wantBias ? mergeHeads(g, g.matMul(swapLast(g, dScaled!), qh), heads, dh) : undefined;
      const dvv = ctx.needs(2) || wantBias ? mergeHeads(g, g.matMul(swapLast(g, probs), dOh), heads, dv) : undefined;
      const dBias = wantBias
        ? g.concat([dq!, dk!, dvv!].map((d) => g.reduceSum(d, [0, 1], { keepDims: false })), 0)
        : undefined;
      const dAttentionBias = ctx.needs(5) && attentionBias !== undefined ? unbroadcast(g, dScores!, attentionBias) : undefined;
      return [
        ctx.needs(0) ? dq : undefined,
        ctx.needs(1) ? dk : undefined,
        ctx.needs(2) ? dvv : undefined,
        dBias,
        undefined,
        dAttentionBias,
      ];
    },
  },
  MICROSOFT_DOMAIN,
);
