/**
 * One Wav2Vec2-BERT Conformer block (`encoder.layers.N`): ½·FFN → self-attention → causal
 * convolution module → ½·FFN → LayerNorm (every LayerNorm with layer_norm_eps).
 *
 * Attention with `relative_key`: scores = (q·k + q·E[clamp(j − i, −left, right) + left]) / √d, the
 * distance embeddings E gathered per (i, j) from the flat q·Eᵀ products; the other position types
 * are the Conformer's (../wav2vec2-conformer/conformer-attention.ts).
 *
 * The convolution module: LayerNorm → padded frames set to 0 → pointwise conv to 2·hidden → GLU →
 * depthwise conv padded (k − 1) on the left only (causal) → LayerNorm → activation → pointwise
 * conv. Causality means padded frames never reach valid ones.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { activation, feedForward, layerNorm, type Weights } from "../../nn/index.js";
import { checkedLinear, zeroInvalid } from "../speech-encoder/index.js";
import { type ConformerPositionInputs, conformerSelfAttention } from "../wav2vec2-conformer/conformer-attention.js";
import type { W2vBertConfig } from "./w2v-bert-config.js";

export type W2vBertPositionInputs = ConformerPositionInputs | { readonly kind: "relative_key"; readonly distanceIndex: Value };

export interface W2vBertDropout {
  readonly hidden: number;
  readonly activation: number;
  readonly attention: number;
  readonly conv: number;
}

/** int64 [T, T]: i·P + clamp(j − i, −left, right) + left, P = left + right + 1 distance rows. */
export function distanceIndex(g: GraphBuilder, x: Value, config: W2vBertConfig): Value {
  const rows = config.leftMaxPositions + config.rightMaxPositions + 1;
  const positions = g.range(g.scalar(0, "int64"), g.gather(g.shape(x), 1), g.scalar(1, "int64"));
  const i = g.unsqueeze(positions, [1]);
  const distance = g.sub(g.unsqueeze(positions, [0]), i);
  const clamped = g.add(g.max(g.min(distance, config.rightMaxPositions), -config.leftMaxPositions), config.leftMaxPositions);
  return g.add(g.mul(i, rows), clamped);
}

function relativeKeyAttention(g: GraphBuilder, weights: Weights, config: W2vBertConfig, x: Value, mask: Value, index: Value, dropout: number): Value {
  const d = config.hiddenSize;
  const heads = config.numHeads;
  const head = d / heads;
  const rows = config.leftMaxPositions + config.rightMaxPositions + 1;
  return g.scope("self_attn", () => {
    const split = (t: Value): Value => g.transpose(g.reshape(t, [0, 0, heads, head]), [0, 2, 1, 3]);
    const q = split(checkedLinear(g, weights, "linear_q", x, d));
    const k = split(checkedLinear(g, weights, "linear_k", x, d));
    const v = split(checkedLinear(g, weights, "linear_v", x, d));
    const scale = Math.sqrt(head);
    const content = g.div(g.matMul(q, g.transpose(k, [0, 1, 3, 2])), scale);
    const distances = weights.param(g, "distance_embedding.weight", [rows, head]);
    const products = g.matMul(q, g.transpose(distances, [1, 0])); // [B, H, T, P]
    const positional = g.gather(g.reshape(products, [0, 0, -1]), index, 2); // [B, H, T, T]
    const scores = g.add(g.add(content, g.div(positional, scale)), mask);
    const probs = g.dropout(g.softmax(scores, -1), dropout);
    return checkedLinear(g, weights, "linear_out", g.reshape(g.transpose(g.matMul(probs, v), [0, 2, 1, 3]), [0, 0, d]), d);
  });
}

function halfStepFeedForward(g: GraphBuilder, weights: Weights, config: W2vBertConfig, name: string, x: Value, dropout: W2vBertDropout): Value {
  const [d, i] = [config.hiddenSize, config.intermediateSize];
  weights.tensor(`${name}.intermediate_dense.weight`, [i, d]);
  weights.tensor(`${name}.output_dense.weight`, [d, i]);
  const normed = layerNorm(g, weights, `${name}_layer_norm`, x, { epsilon: config.layerNormEps });
  const y = feedForward(g, weights, name, normed, { intermediate: "intermediate_dense", output: "output_dense", activation: config.hiddenAct, dropout: dropout.activation });
  return g.add(g.mul(g.dropout(y, dropout.hidden), 0.5), x);
}

function causalConvolutionModule(g: GraphBuilder, weights: Weights, config: W2vBertConfig, x: Value, valid: Value, dropout: number): Value {
  const d = config.hiddenSize;
  const k = config.depthwiseKernel;
  const w = weights.scope("conv_module");
  const eps = { epsilon: config.layerNormEps };
  return g.scope("conv_module", () => {
    const normed = zeroInvalid(g, layerNorm(g, w, "layer_norm", x, eps), valid, "time-major");
    const expanded = g.conv(g.transpose(normed, [0, 2, 1]), w.param(g, "pointwise_conv1.weight", [2 * d, d, 1]));
    const [content, gate] = g.split(expanded, [d, d], 1) as [Value, Value];
    const gated = g.mul(content, g.sigmoid(gate));
    const depthwise = g.conv(gated, w.param(g, "depthwise_conv.weight", [d, 1, k]), undefined, { pads: [k - 1, 0], group: d });
    const timeMajor = layerNorm(g, w, "depthwise_layer_norm", g.transpose(depthwise, [0, 2, 1]), eps);
    const out = g.conv(activation(g, g.transpose(timeMajor, [0, 2, 1]), config.hiddenAct), w.param(g, "pointwise_conv2.weight", [d, d, 1]));
    return g.dropout(g.transpose(out, [0, 2, 1]), dropout);
  });
}

/** `weights` scoped to `encoder.layers.N`; x [B, T, hidden]. */
export function w2vBertLayer(g: GraphBuilder, weights: Weights, config: W2vBertConfig, x: Value, valid: Value, mask: Value, positions: W2vBertPositionInputs, dropout: W2vBertDropout): Value {
  const eps = { epsilon: config.layerNormEps };
  let h = halfStepFeedForward(g, weights, config, "ffn1", x, dropout);
  const normed = layerNorm(g, weights, "self_attn_layer_norm", h, eps);
  const attended =
    positions.kind === "relative_key"
      ? relativeKeyAttention(g, weights.scope("self_attn"), config, normed, mask, positions.distanceIndex, dropout.attention)
      : conformerSelfAttention(g, weights.scope("self_attn"), config, normed, mask, positions, dropout.attention);
  h = g.add(g.dropout(attended, dropout.attention), h);
  h = g.add(causalConvolutionModule(g, weights, config, h, valid, dropout.conv), h);
  h = halfStepFeedForward(g, weights, config, "ffn2", h, dropout);
  return layerNorm(g, weights, "final_layer_norm", h, eps);
}
