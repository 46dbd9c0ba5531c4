/**
 * The transformer encoder (`encoder`): padded frames zeroed, convolutional position embedding
 * added, then the layers. Returns every hidden state transformers reports with
 * output_hidden_states, which `use_weighted_layer_sum` mixes:
 * - post-LN: [LN(h + pos), layer 1, …, layer N]
 * - pre-LN:  [h + pos, layer 1, …, layer N−1, LN(layer N)] (the final LayerNorm replaces the last).
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { additiveAttentionMask, layerNorm, selfAttention, type Weights } from "../../nn/index.js";
import { encoderLayer, type LayerAttention } from "./encoder-layer.js";
import type { Wav2Vec2FamilyConfig } from "./family-config.js";
import { zeroInvalid } from "./frame-lengths.js";
import { positionalConvEmbedding } from "./positional-conv.js";
import { relativePositionBias, wavlmAttention } from "./wavlm-attention.js";

export interface EncoderOptions {
  readonly fused?: boolean;
}

/**
 * h [batch, T, hidden] from the feature projection, `valid` bool [batch, T]; `weights` is scoped
 * to the `encoder` module. Returns num_hidden_layers + 1 hidden states.
 */
export function encoder(g: GraphBuilder, weights: Weights, config: Wav2Vec2FamilyConfig, h: Value, valid: Value, options: EncoderOptions = {}): Value[] {
  return g.scope("encoder", () => {
    const eps = { epsilon: config.layerNormEps };
    // transformers zeroes the padded frames so the position conv sees what a single run's padding gives it.
    let x = zeroInvalid(g, h, valid, "time-major");
    x = g.add(x, positionalConvEmbedding(g, weights.scope("pos_conv_embed"), config, x, valid));
    if (!config.doStableLayerNorm) x = layerNorm(g, weights, "layer_norm", x, eps);
    const mask = g.scope("attention_mask", () => additiveAttentionMask(g, valid));

    let attend: LayerAttention = (gb, layerWeights, input) =>
      selfAttention(gb, layerWeights, "attention", input, { numHeads: config.numHeads, attentionMask: mask, fused: options.fused });
    if (config.variant === "wavlm") {
      const positionBias = g.scope("layers.0", () => relativePositionBias(g, weights.scope("layers.0.attention"), config, x));
      attend = (gb, layerWeights, input) => wavlmAttention(gb, layerWeights, config, input, { positionBias, attentionMask: mask, fused: options.fused });
    }

    const states: Value[] = [x];
    for (let i = 0; i < config.numLayers; i++) {
      const name = `layers.${i}`;
      x = g.scope(name, () => encoderLayer(g, weights.scope(name), config, x, attend));
      states.push(x);
    }
    if (config.doStableLayerNorm) states[states.length - 1] = layerNorm(g, weights, "layer_norm", x, eps);
    return states;
  });
}
