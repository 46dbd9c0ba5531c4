/**
 * One Conformer block (`encoder.layers.N`): ½·FFN → self-attention → convolution module → ½·FFN
 * → LayerNorm, each with its residual; the block's own LayerNorms use torch's default eps 1e-5.
 *
 * The convolution module: LayerNorm → pointwise conv to 2·hidden → GLU → depthwise conv ("same"
 * padding) → BatchNorm (running statistics) → activation → pointwise conv. Frames past an
 * example's length are zeroed before the depthwise conv — a clip run alone has the conv's zero
 * padding there — so padded batches give one-by-one results (transformers lets them leak in).
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { activation, feedForward, layerNorm, type Weights } from "../../nn/index.js";
import { zeroInvalid } from "../speech-encoder/index.js";
import { type ConformerPositionInputs, conformerSelfAttention } from "./conformer-attention.js";
import type { ConformerConfig } from "./conformer-config.js";

export interface ConformerDropout {
  readonly hidden: number;
  readonly activation: number;
  readonly attention: number;
  readonly conv: number;
}

function halfStepFeedForward(g: GraphBuilder, weights: Weights, config: ConformerConfig, name: string, x: Value, dropout: ConformerDropout): Value {
  const [d, i] = [config.hiddenSize, config.intermediateSize];
  weights.tensor(`${name}.intermediate_dense.weight`, [i, d]);
  weights.tensor(`${name}.output_dense.weight`, [d, i]);
  const normed = layerNorm(g, weights, `${name}_layer_norm`, x);
  const y = feedForward(g, weights, name, normed, { intermediate: "intermediate_dense", output: "output_dense", activation: config.hiddenAct, dropout: dropout.activation });
  return g.add(g.mul(g.dropout(y, dropout.hidden), 0.5), x);
}

function convolutionModule(g: GraphBuilder, weights: Weights, config: ConformerConfig, x: Value, valid: Value, dropout: number): Value {
  const d = config.hiddenSize;
  const w = weights.scope("conv_module");
  return g.scope("conv_module", () => {
    const channelsFirst = g.transpose(layerNorm(g, w, "layer_norm", x), [0, 2, 1]); // [B, d, T]
    const expanded = g.conv(channelsFirst, w.param(g, "pointwise_conv1.weight", [2 * d, d, 1]));
    const [content, gate] = g.split(expanded, [d, d], 1) as [Value, Value];
    const gated = zeroInvalid(g, g.mul(content, g.sigmoid(gate)), valid, "channels-first");
    const k = config.depthwiseKernel;
    const depthwise = g.conv(gated, w.param(g, "depthwise_conv.weight", [d, 1, k]), undefined, { pads: [(k - 1) / 2, (k - 1) / 2], group: d });
    const stat = (name: string): Value => w.param(g, `batch_norm.${name}`, [d]);
    const normed = g.batchNormalization(depthwise, stat("weight"), stat("bias"), stat("running_mean"), stat("running_var"), { epsilon: 1e-5 });
    const out = g.conv(activation(g, normed, config.hiddenAct), w.param(g, "pointwise_conv2.weight", [d, d, 1]));
    return g.dropout(g.transpose(out, [0, 2, 1]), dropout);
  });
}

/** `weights` scoped to `encoder.layers.N`; x [B, T, hidden]. */
export function conformerLayer(g: GraphBuilder, weights: Weights, config: ConformerConfig, x: Value, valid: Value, mask: Value, positions: ConformerPositionInputs, dropout: ConformerDropout): Value {
  let h = halfStepFeedForward(g, weights, config, "ffn1", x, dropout);
  const attended = conformerSelfAttention(g, weights.scope("self_attn"), config, layerNorm(g, weights, "self_attn_layer_norm", h), mask, positions, dropout.attention);
  h = g.add(g.dropout(attended, dropout.attention), h);
  h = g.add(convolutionModule(g, weights, config, h, valid, dropout.conv), h);
  h = halfStepFeedForward(g, weights, config, "ffn2", h, dropout);
  return layerNorm(g, weights, "final_layer_norm", h);
}
