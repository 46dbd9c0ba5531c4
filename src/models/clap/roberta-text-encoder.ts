/**
 * ClapTextModel (RoBERTa) up to its pooled output: word + token-type + position embeddings
 * (positions count non-pad tokens from pad_token_id + 1, as fairseq does), LayerNorm, post-LN
 * BERT layers with the padding mask, and the pooler (dense + tanh on the first token, <s>).
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { type AttentionNames, type Weights, activation, additiveAttentionMask, layerNorm, linear, selfAttention } from "../../nn/index.js";
import type { ClapTextSettings } from "./clap-config.js";

const ROBERTA_ATTENTION_NAMES: AttentionNames = { query: "self.query", key: "self.key", value: "self.value", output: "output.dense" };

export interface RobertaOptions {
  readonly fused?: boolean;
}

/** create_position_ids_from_input_ids: pad tokens keep pad_token_id, others count up after it. */
function positionIds(g: GraphBuilder, inputIds: Value, padTokenId: number): Value {
  const notPad = g.cast(g.not(g.equal(inputIds, padTokenId)), "int64");
  return g.add(g.mul(g.cumSum(notPad, 1), notPad), padTokenId);
}

function embeddings(g: GraphBuilder, weights: Weights, inputIds: Value, s: ClapTextSettings): Value {
  const w = weights.scope("embeddings");
  return g.scope("embeddings", () => {
    const words = g.gather(w.param(g, "word_embeddings.weight", [null, null]), inputIds, 0);
    // token_type_ids default to the all-zero buffer: every token gets row 0
    const tokenType = g.gather(w.param(g, "token_type_embeddings.weight", [null, null]), 0, 0);
    const positions = g.gather(w.param(g, "position_embeddings.weight", [s.maxPositionEmbeddings, null]), positionIds(g, inputIds, s.padTokenId), 0);
    for (const buffer of ["position_ids", "token_type_ids"]) if (w.has(buffer)) w.tensor(buffer);
    return layerNorm(g, w, "LayerNorm", g.add(g.add(words, tokenType), positions), { epsilon: s.layerNormEps });
  });
}

/** input_ids, attention_mask [B, T] (int64) → pooler_output [B, hidden]. */
export function robertaTextEncoder(g: GraphBuilder, weights: Weights, inputIds: Value, attentionMask: Value, s: ClapTextSettings, options: RobertaOptions = {}): Value {
  let h = embeddings(g, weights, inputIds, s);
  const mask = additiveAttentionMask(g, attentionMask);
  for (let i = 0; i < s.numHiddenLayers; i++) {
    const w = weights.scope(`encoder.layer.${i}`);
    h = g.scope(`encoder.layer.${i}`, () => {
      const attended = selfAttention(g, w, "attention", h, {
        numHeads: s.numAttentionHeads,
        names: ROBERTA_ATTENTION_NAMES,
        scaleAt: "scores",
        attentionMask: mask,
        fused: options.fused,
      });
      const a = layerNorm(g, w, "attention.output.LayerNorm", g.add(attended, h), { epsilon: s.layerNormEps });
      const inner = activation(g, linear(g, w, "intermediate.dense", a), s.hiddenAct);
      return layerNorm(g, w, "output.LayerNorm", g.add(linear(g, w, "output.dense", inner), a), { epsilon: s.layerNormEps });
    });
  }
  return g.scope("pooler", () => g.tanh(linear(g, weights, "pooler.dense", g.gather(h, 0, 1))));
}
