/**
 * The convolutional position embedding added to the frames before the transformer layers
 * (`encoder.pos_conv_embed`): a grouped conv with "same" padding k//2, the extra frame of an even
 * kernel dropped, then the feature-encoder activation. Three variants:
 * - wav2vec2 / HuBERT / WavLM: weight-normalised conv. The loader folds `weight_g`/`weight_v`
 *   into `conv.weight`; a checkpoint loaded unfolded (for fine-tuning) is normalised in the graph.
 * - HuBERT `conv_pos_batch_norm`: BatchNorm1d before a plain conv.
 * - Data2VecAudio: `layers.N`, each conv → drop frame → LayerNorm (no affine) → activation.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { activation, conv1d, weightNorm, type Weights } from "../../nn/index.js";
import type { SpeechEncoderConfig } from "./speech-encoder-config.js";
import { zeroInvalid } from "./frame-lengths.js";

/** One grouped conv with the "same" padding of Wav2Vec2PositionalConvEmbedding, on [B, H, T]. */
/**
 * The positional conv's weight [hidden, hidden/groups, kernel] under `name`: the folded
 * `weight`, or g·v/‖v‖ from `weight_g`/`weight_v` when the checkpoint was loaded unfolded.
 */
export function positionalConvWeight(g: GraphBuilder, weights: Weights, name: string, config: { positionalConv: { kernel: number; groups: number }; hiddenSize: number }): Value | undefined {
  const { kernel, groups } = config.positionalConv;
  const hidden = config.hiddenSize;
  const w = weights.scope(name);
  const expected = [hidden, hidden / groups, kernel];
  if (!w.has("weight") && w.has("weight_v")) {
    w.tensor("weight_v", expected);
    return weightNorm(g, w, "", { dim: 2 });
  }
  w.tensor("weight", expected);
  return undefined;
}

/** One grouped conv with the "same" padding of Wav2Vec2PositionalConvEmbedding, on [B, H, T]. */
export function samePaddedConv(g: GraphBuilder, weights: Weights, name: string, x: Value, config: { positionalConv: { kernel: number; groups: number }; hiddenSize: number }): Value {
  const { kernel, groups } = config.positionalConv;
  const weight = positionalConvWeight(g, weights, name, config);
  const y = conv1d(g, weights, name, x, { padding: Math.floor(kernel / 2), groups, weight });
  // An even kernel with padding k//2 on both sides yields one frame too many (Wav2Vec2SamePadLayer).
  return kernel % 2 === 0 ? g.sliceAxis(y, 2, 0, -1) : y;
}

/**
 * Position embeddings [batch, T, hidden] for h [batch, T, hidden], whose invalid frames (bool
 * `valid` [batch, T] false) are already zero. `weights` is scoped to `encoder.pos_conv_embed`.
 */
export function positionalConvEmbedding(g: GraphBuilder, weights: Weights, config: SpeechEncoderConfig, h: Value, valid: Value): Value {
  const spec = config.positionalConv;
  return g.scope("pos_conv_embed", () => {
    let x = g.transpose(h, [0, 2, 1]); // [B, H, T]
    if (spec.kind === "layer-stack") {
      const ones = g.constant({ type: "float32", dims: [config.hiddenSize], data: new Float32Array(config.hiddenSize).fill(1) });
      for (let i = 0; i < spec.layers; i++) {
        const layer = `layers.${i}`;
        const y = g.scope(layer, () => {
          const conv = g.transpose(samePaddedConv(g, weights, `${layer}.conv`, x, config), [0, 2, 1]); // [B, T, H]
          const normed = g.layerNormalization(conv, ones, undefined, { epsilon: 1e-5 });
          return activation(g, normed, config.featExtractActivation);
        });
        // Extension for batch = one-by-one: the next conv must see zeros past the end, as the
        // padding of a single run gives it (transformers lets the padded frames leak in here).
        x = g.transpose(i + 1 < spec.layers ? zeroInvalid(g, y, valid, "time-major") : y, [0, 2, 1]);
      }
      return g.transpose(x, [0, 2, 1]);
    }
    if (spec.kind === "batch-norm") {
      const bn = weights.scope("batch_norm");
      const stat = (name: string): Value => bn.param(g, name, [config.hiddenSize]);
      x = g.scope("batch_norm", () => g.batchNormalization(x, stat("weight"), stat("bias"), stat("running_mean"), stat("running_var"), { epsilon: 1e-5 }));
      // Same extension: batch norm maps the zeroed frames to its bias, a single run's conv padding is 0.
      x = zeroInvalid(g, x, valid, "channels-first");
    }
    const y = activation(g, samePaddedConv(g, weights, "conv", x, config), config.featExtractActivation);
    return g.transpose(y, [0, 2, 1]);
  });
}
