/**
 * DeBERTa-v2's disentangled self-attention as SEW-D uses it (`attention.self`): with per-head
 * Q, K, V and relative-position embeddings P (rel_embeddings, LayerNorm-ed, projected by the
 * query/key projections when `share_att_key`, else by pos_query_proj / pos_key_proj),
 *
 *   score[i, j] = (Q_i·K_j + Q_i·Pk[row(i − j)] + K_j·Pq[row(i − j)]) / √(head_dim · factor)
 *
 * where the c2p / p2c terms are present as `pos_att_type` lists them and factor counts the terms.
 * The position terms are computed against all 2·span rows and gathered per (i, j) from the flat
 * [T·2·span] products. Padded keys get the float32-min mask (XSoftmax then zeroes them, which
 * the softmax already does); then `attention.output`: dense → dropout → LayerNorm(· + x).
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { layerNorm, type Weights } from "../../nn/index.js";
import { checkedLinear } from "../speech-encoder/index.js";
import type { SewDConfig } from "./sew-d-config.js";

/** What every layer shares: the normalised relative embeddings and the (i, j) → row table. */
export interface RelativePositions {
  /** LayerNorm(rel_embeddings)[0:2·span] [2·span, hidden]. */
  readonly embeddings: Value;
  /** int64 [T, T]: i·2·span + row(i − j) (content→position). */
  readonly c2pIndex: Value;
  /** int64 [T, T]: j·2·span + row(i − j) (position→content). */
  readonly p2cIndex: Value;
}

export interface DisentangledAttentionOptions {
  readonly attentionMask: Value;
  readonly positions: RelativePositions | undefined;
  readonly dropout: { readonly attention: number; readonly output: number; readonly positions: number };
}

/** [B, T, H·Dh] → [B, H, T, Dh]. */
function heads(g: GraphBuilder, x: Value, numHeads: number, headSize: number): Value {
  return g.transpose(g.reshape(x, [0, 0, numHeads, headSize]), [0, 2, 1, 3]);
}

/** [2S, H·Dh] → [H, 2S, Dh]. */
function positionHeads(g: GraphBuilder, x: Value, numHeads: number, headSize: number): Value {
  return g.transpose(g.reshape(x, [0, numHeads, headSize]), [1, 0, 2]);
}

/** Q·Pᵀ [B, H, T, 2S] gathered per (i, j) with flat `index` [T, T] → [B, H, T, T]. */
function gatherRows(g: GraphBuilder, products: Value, index: Value): Value {
  const flat = g.reshape(products, [0, 0, -1]); // [B, H, T·2S]
  return g.gather(flat, index, 2);
}

/** `weights` is scoped to the layer's `attention` module; x [B, T, hidden] → [B, T, hidden]. */
export function disentangledAttention(g: GraphBuilder, weights: Weights, config: SewDConfig, x: Value, options: DisentangledAttentionOptions): Value {
  const d = config.hiddenSize;
  const numHeads = config.numHeads;
  const headSize = d / numHeads;
  const self = weights.scope("self");
  const output = weights.scope("output");
  return g.scope("attention", () => {
    const context = g.scope("self", () => {
      const q = heads(g, checkedLinear(g, self, "query_proj", x, d), numHeads, headSize);
      const k = heads(g, checkedLinear(g, self, "key_proj", x, d), numHeads, headSize);
      const v = heads(g, checkedLinear(g, self, "value_proj", x, d), numHeads, headSize);
      const terms = config.positionAttention;
      // torch.sqrt(tensor(head_dim, float32) · factor), in float32
      const scale = Math.fround(Math.sqrt(Math.fround(headSize * (1 + terms.length))));
      let scores = g.matMul(q, g.div(g.transpose(k, [0, 1, 3, 2]), scale));
      const positions = options.positions;
      if (config.relativeAttention && positions !== undefined && terms.length > 0) {
        const rel = g.dropout(positions.embeddings, options.dropout.positions);
        if (terms.includes("c2p")) {
          const name = config.shareAttKey ? "key_proj" : "pos_key_proj";
          const posKey = positionHeads(g, checkedLinear(g, self, name, rel, d), numHeads, headSize); // [H, 2S, Dh]
          const c2p = g.matMul(q, g.transpose(posKey, [0, 2, 1])); // [B, H, T, 2S]
          scores = g.add(scores, g.div(gatherRows(g, c2p, positions.c2pIndex), scale));
        }
        if (terms.includes("p2c")) {
          const name = config.shareAttKey ? "query_proj" : "pos_query_proj";
          const posQuery = positionHeads(g, checkedLinear(g, self, name, rel, d), numHeads, headSize);
          const p2c = g.matMul(k, g.transpose(posQuery, [0, 2, 1])); // [B, H, T(keys), 2S]
          scores = g.add(scores, g.div(gatherRows(g, p2c, positions.p2cIndex), scale));
        }
      }
      const probs = g.dropout(g.softmax(g.add(scores, options.attentionMask), -1), options.dropout.attention);
      return g.reshape(g.transpose(g.matMul(probs, v), [0, 2, 1, 3]), [0, 0, d]);
    });
    return g.scope("output", () => {
      const dense = g.dropout(checkedLinear(g, output, "dense", context, d), options.dropout.output);
      return layerNorm(g, output, "LayerNorm", g.add(dense, x), { epsilon: config.layerNormEps });
    });
  });
}
