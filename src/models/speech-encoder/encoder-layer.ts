/**
 * One transformer layer of the wav2vec2 family (`encoder.layers.N`), in its two layouts:
 * post-LN (base models): h = LN(h + attn(h)); h = LN(h + ffn(h)).
 * pre-LN (`do_stable_layer_norm`, large models): h = h + attn(LN(h)); h = h + ffn(LN(h)), plus
 * wav2vec2 MMS's adapter h = h + adapter(h) when `adapter_attn_dim` is set.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { activation, feedForward, layerNorm, type Weights } from "../../nn/index.js";
import { checkedLinear } from "./checked-linear.js";
import type { SpeechEncoderConfig } from "./speech-encoder-config.js";

/** Computes a layer's attention output for its (normalised) input; weights are scoped to the layer. */
export type LayerAttention = (g: GraphBuilder, layerWeights: Weights, x: Value) => Value;

/** Checks the projection shapes against the config so a mismatch names the parameter. */
function checkAttentionWeights(weights: Weights, config: SpeechEncoderConfig): void {
  const d = config.hiddenSize;
  for (const proj of ["q_proj", "k_proj", "v_proj", "out_proj"]) {
    weights.tensor(`attention.${proj}.weight`, [d, d]);
    weights.tensor(`attention.${proj}.bias`, [d]);
  }
}

/** Dropout rates inside a layer (all 0 in inference graphs). */
export interface LayerDropout {
  readonly hidden: number;
  readonly activation: number;
}

export function feedForwardBlock(g: GraphBuilder, weights: Weights, config: SpeechEncoderConfig, x: Value, dropout: LayerDropout): Value {
  const [d, i] = [config.hiddenSize, config.intermediateSize];
  weights.tensor("feed_forward.intermediate_dense.weight", [i, d]);
  weights.tensor("feed_forward.intermediate_dense.bias", [i]);
  weights.tensor("feed_forward.output_dense.weight", [d, i]);
  weights.tensor("feed_forward.output_dense.bias", [d]);
  const y = feedForward(g, weights, "feed_forward", x, { intermediate: "intermediate_dense", output: "output_dense", activation: config.hiddenAct, dropout: dropout.activation });
  return g.dropout(y, dropout.hidden);
}

/** Wav2Vec2AttnAdapterLayer: LayerNorm → Linear(hidden → adapter_attn_dim) → ReLU → Linear back. */
function attentionAdapter(g: GraphBuilder, weights: Weights, config: SpeechEncoderConfig, dim: number, x: Value): Value {
  const w = weights.scope("adapter_layer");
  return g.scope("adapter_layer", () => {
    const normed = layerNorm(g, w, "norm", x);
    const hidden = activation(g, checkedLinear(g, w, "linear_1", normed, dim), "relu");
    return checkedLinear(g, w, "linear_2", hidden, config.hiddenSize);
  });
}

/** One layer on h [batch, T, hidden]; `weights` is scoped to `encoder.layers.N`. */
export function encoderLayer(g: GraphBuilder, weights: Weights, config: SpeechEncoderConfig, h: Value, attend: LayerAttention, dropout: LayerDropout = { hidden: 0, activation: 0 }): Value {
  const eps = { epsilon: config.layerNormEps };
  checkAttentionWeights(weights, config);
  const attention = (x: Value): Value => g.dropout(attend(g, weights, x), dropout.hidden);
  if (!config.doStableLayerNorm) {
    const attended = layerNorm(g, weights, "layer_norm", g.add(h, attention(h)), eps);
    return layerNorm(g, weights, "final_layer_norm", g.add(attended, feedForwardBlock(g, weights, config, attended, dropout)), eps);
  }
  const attended = g.add(h, attention(layerNorm(g, weights, "layer_norm", h, eps)));
  const out = g.add(attended, feedForwardBlock(g, weights, config, layerNorm(g, weights, "final_layer_norm", attended, eps), dropout));
  return config.adapterAttnDim === undefined ? out : g.add(out, attentionAdapter(g, weights, config, config.adapterAttnDim, out));
}
