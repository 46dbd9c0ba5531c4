/**
 * ASTEncoder: ViT-style pre-LayerNorm transformer layers (layernorm_before → self-attention →
 * residual, layernorm_after → intermediate → output → residual).
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { BERT_ATTENTION_NAMES, type Weights, activation, layerNorm, linear, selfAttention } from "../../nn/index.js";
import type { AstSettings } from "./ast-config.js";

export interface AstEncoderOptions {
  readonly fused?: boolean;
  /** Dropout rates of training graphs (hidden: after the attention output and the FFN output; attention: on the probabilities). */
  readonly dropout?: { readonly hidden: number; readonly attention: number };
}

function astLayer(g: GraphBuilder, w: Weights, s: AstSettings, x: Value, options: AstEncoderOptions): Value {
  const [hidden, inner] = [s.hiddenSize, s.intermediateSize];
  // Linear layers only check their input width; the config fixes the output widths too.
  const shapes: Record<string, number[]> = {
    "attention.attention.query.weight": [hidden, hidden],
    "attention.attention.key.weight": [hidden, hidden],
    "attention.attention.value.weight": [hidden, hidden],
    "attention.output.dense.weight": [hidden, hidden],
    "intermediate.dense.weight": [inner, hidden],
    "output.dense.weight": [hidden, inner],
  };
  for (const [name, shape] of Object.entries(shapes)) w.tensor(name, shape);
  const eps = s.layerNormEps;
  const normed = layerNorm(g, w, "layernorm_before", x, { epsilon: eps });
  const attended = selfAttention(g, w, "attention", normed, {
    numHeads: s.numHeads,
    names: BERT_ATTENTION_NAMES,
    bias: { query: s.qkvBias, key: s.qkvBias, value: s.qkvBias },
    // ViT divides Q·Kᵀ by √head_size (eager attention, as transformers runs it without SDPA)
    scaleAt: "scores",
    fused: options.fused,
    dropout: options.dropout?.attention,
  });
  const p = options.dropout?.hidden ?? 0;
  const h = g.add(g.dropout(attended, p), x);
  const expanded = activation(g, linear(g, w, "intermediate.dense", layerNorm(g, w, "layernorm_after", h, { epsilon: eps })), s.hiddenAct);
  return g.add(g.dropout(linear(g, w, "output.dense", expanded), p), h);
}

/** embeddings [batch, tokens, hidden] → last hidden state (before the final layernorm). */
export function astEncoder(g: GraphBuilder, base: Weights, s: AstSettings, embeddings: Value, options: AstEncoderOptions = {}): Value {
  let x = embeddings;
  for (let i = 0; i < s.numLayers; i++) {
    const name = `encoder.layer.${i}`;
    x = g.scope(name, () => astLayer(g, base.scope(name), s, x, options));
  }
  return x;
}
