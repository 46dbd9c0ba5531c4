/**
 * Wav2Vec2ConformerSelfAttention (`self_attn`): linear_q/k/v/out with
 * - rotary positions: the layer input rotated per head (x·cos + rotate_half(x)·sin) before the
 *   query and key projections (values from the unrotated input);
 * - relative positions (Transformer-XL): scores = ((q + pos_bias_u)·k + (q + pos_bias_v)·P(i − j)) / √d,
 *   with P the linear_pos projection of the sinusoid rows; transformers' pad-and-reshape shift
 *   picks row (T−1) − i + j for query i and key j, which here is a gather from the flat products;
 * - none: plain scaled dot-product attention.
 * Padded keys get the float32-min additive mask.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import type { Weights } from "../../nn/index.js";
import { checkedLinear } from "../speech-encoder/index.js";
import type { ConformerConfig } from "./conformer-config.js";

/** What the attention reads of the config (Wav2Vec2-BERT shares it). */
export type AttentionSizes = Pick<ConformerConfig, "hiddenSize" | "numHeads">;

export type ConformerPositionInputs =
  | { readonly kind: "relative"; readonly embeddings: Value; readonly shiftIndex: Value }
  | { readonly kind: "rotary"; readonly cos: Value; readonly sin: Value }
  | { readonly kind: "none" };

/** int64 [T, T]: i·(2T−1) + (T−1) − i + j, the row of query i and key j in the flat [T·(2T−1)] products. */
export function relativeShiftIndex(g: GraphBuilder, x: Value): Value {
  const length = g.gather(g.shape(x), 1);
  const positions = g.range(g.scalar(0, "int64"), length, g.scalar(1, "int64"));
  const i = g.unsqueeze(positions, [1]);
  const j = g.unsqueeze(positions, [0]);
  const rows = g.sub(g.mul(length, 2), 1);
  return g.add(g.add(g.mul(i, rows), g.sub(g.sub(length, 1), i)), j);
}

/** x rotated per head: [B, T, hidden] with cos/sin [T, 1, head]. */
function rotate(g: GraphBuilder, x: Value, config: AttentionSizes, cos: Value, sin: Value): Value {
  const heads = config.numHeads;
  const head = config.hiddenSize / heads;
  const perHead = g.reshape(x, [0, 0, heads, head]);
  const [first, second] = g.split(perHead, [head / 2, head / 2], 3) as [Value, Value];
  const rotated = g.concat([g.neg(second), first], 3);
  return g.reshape(g.add(g.mul(perHead, cos), g.mul(rotated, sin)), [0, 0, config.hiddenSize]);
}

/** `weights` scoped to `self_attn`; x [B, T, hidden] (normalised) → [B, T, hidden]. */
export function conformerSelfAttention(g: GraphBuilder, weights: Weights, config: AttentionSizes, x: Value, mask: Value, positions: ConformerPositionInputs, dropout: number): Value {
  const d = config.hiddenSize;
  const heads = config.numHeads;
  const head = d / heads;
  return g.scope("self_attn", () => {
    const queryKeyInput = positions.kind === "rotary" ? rotate(g, x, config, positions.cos, positions.sin) : x;
    const split = (t: Value): Value => g.transpose(g.reshape(t, [0, 0, heads, head]), [0, 2, 1, 3]); // [B, H, T, Dh]
    const q = split(checkedLinear(g, weights, "linear_q", queryKeyInput, d));
    const k = split(checkedLinear(g, weights, "linear_k", queryKeyInput, d));
    const v = split(checkedLinear(g, weights, "linear_v", x, d));
    const kT = g.transpose(k, [0, 1, 3, 2]);
    let scores: Value;
    if (positions.kind === "relative") {
      const biasOf = (name: string): Value => g.reshape(weights.param(g, name, [heads, head]), [1, heads, 1, head]);
      const projected = checkedLinear(g, weights, "linear_pos", positions.embeddings, d, { bias: false }); // [2T−1, d]
      const rows = g.transpose(g.reshape(projected, [0, heads, head]), [1, 2, 0]); // [H, Dh, 2T−1]
      const contentScores = g.matMul(g.add(q, biasOf("pos_bias_u")), kT);
      const positionProducts = g.matMul(g.add(q, biasOf("pos_bias_v")), rows); // [B, H, T, 2T−1]
      const positionScores = g.gather(g.reshape(positionProducts, [0, 0, -1]), positions.shiftIndex, 2); // [B, H, T, T]
      scores = g.div(g.add(contentScores, positionScores), Math.sqrt(head));
    } else {
      scores = g.div(g.matMul(q, kT), Math.sqrt(head));
    }
    const probs = g.dropout(g.softmax(g.add(scores, mask), -1), dropout);
    const context = g.reshape(g.transpose(g.matMul(probs, v), [0, 2, 1, 3]), [0, 0, d]);
    return checkedLinear(g, weights, "linear_out", context, d);
  });
}
