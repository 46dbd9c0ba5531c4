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
import type { SpeechEncoderConfig } from "./speech-encoder-config.js";
import { zeroInvalid } from "./frame-lengths.js";
import { positionalConvEmbedding } from "./positional-conv.js";
import type { SpeechTrainingSettings } from "./training-settings.js";
import { layerDropGate } from "../layer-drop.js";

/**
 * A family's own attention (WavLM's gated relative-position bias): given the encoder's weights,
 * the layers' input and the additive key mask, how each layer attends.
 */
export type LayerAttentionFactory = (g: GraphBuilder, encoderWeights: Weights, firstInput: Value, mask: Value, options: { fused?: boolean; dropout: number }) => LayerAttention;

export interface EncoderOptions {
  readonly fused?: boolean;
  /** Replaces the plain multi-head self-attention of every layer. */
  readonly layerAttention?: LayerAttentionFactory;
  /** Training graphs: dropout rates and LayerDrop (absent: the inference graph). */
  readonly training?: SpeechTrainingSettings;
}

/**
 * h [batch, T, hidden] from the feature projection, `valid` bool [batch, T]; `weights` is scoped
 * to the `encoder` module. Returns num_hidden_layers + 1 hidden states.
 */
export function encoder(g: GraphBuilder, weights: Weights, config: SpeechEncoderConfig, h: Value, valid: Value, options: EncoderOptions = {}): Value[] {
  return g.scope("encoder", () => {
    const eps = { epsilon: config.layerNormEps };
    // transformers zeroes the padded frames so the position conv sees what a single run's padding gives it.
    const training = options.training;
    const dropout = { hidden: training?.hiddenDropout ?? 0, activation: training?.activationDropout ?? 0 };
    let x = zeroInvalid(g, h, valid, "time-major");
    x = g.add(x, positionalConvEmbedding(g, weights.scope("pos_conv_embed"), config, x, valid));
    if (!config.doStableLayerNorm) x = layerNorm(g, weights, "layer_norm", x, eps);
    x = g.dropout(x, dropout.hidden);
    const states = transformerLayers(g, weights, config, x, valid, options);
    x = states[states.length - 1]!;
    if (config.doStableLayerNorm) states[states.length - 1] = layerNorm(g, weights, "layer_norm", x, eps);
    return states;
  });
}

/**
 * The layers `layers.N` (weights scoped to their parent) on x [batch, T, hidden] whose valid
 * frames are `valid` [batch, T], with LayerDrop gates in training graphs; returns [x, layer 1, …,
 * layer N].
 */
export function transformerLayers(g: GraphBuilder, weights: Weights, config: SpeechEncoderConfig, x: Value, valid: Value, options: EncoderOptions = {}): Value[] {
  const training = options.training;
  const dropout = { hidden: training?.hiddenDropout ?? 0, activation: training?.activationDropout ?? 0 };
  const attentionDropout = training?.attentionDropout ?? 0;
  const mask = g.scope("attention_mask", () => additiveAttentionMask(g, valid));
  let attend: LayerAttention = (gb, layerWeights, input) =>
    selfAttention(gb, layerWeights, "attention", input, { numHeads: config.numHeads, attentionMask: mask, fused: options.fused, dropout: attentionDropout });
  if (options.layerAttention !== undefined) attend = options.layerAttention(g, weights, x, mask, { fused: options.fused, dropout: attentionDropout });

  const gate = training !== undefined && training.layerDrop > 0 ? layerDropGate(g, config.numLayers) : undefined;
  const states: Value[] = [x];
  let h = x;
  for (let i = 0; i < config.numLayers; i++) {
    const name = `layers.${i}`;
    const input = h;
    const output = g.scope(name, () => encoderLayer(g, weights.scope(name), config, input, attend, dropout));
    h = gate === undefined ? output : gate(i, input, output);
    states.push(h);
  }
  return states;
}
