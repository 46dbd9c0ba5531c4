/**
 * The convolutional feature encoder (`feature_extractor.conv_layers.N`): raw samples → frames,
 * and the feature projection to the transformer width. "group" layout (base models): conv →
 * GroupNorm → activation on the first layer, conv → activation after. "layer" layout (large /
 * XLS-R / Data2VecAudio): conv → LayerNorm over the channels → activation on every layer.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { activation, conv1d, layerNorm, type Weights } from "../../nn/index.js";
import { checkedLinear } from "./checked-linear.js";
import type { SpeechEncoderConfig } from "./speech-encoder-config.js";
import { validFrames } from "./frame-lengths.js";
import { maskedGroupNorm } from "./masked-group-norm.js";

/**
 * input_values [batch, samples] → features [batch, frames, conv_dim[-1]]. `weights` is scoped to
 * the `feature_extractor` module; `lengths` holds the valid length after each conv layer (see
 * convOutputLengths), of which the group norm uses the first.
 */
export function featureEncoder(g: GraphBuilder, weights: Weights, config: SpeechEncoderConfig, inputValues: Value, lengths: readonly Value[]): Value {
  return g.scope("feature_extractor", () => {
    let x = g.unsqueeze(inputValues, [1]); // [B, 1, samples]
    let inChannels = 1;
    config.convDim.forEach((channels, i) => {
      const layer = `conv_layers.${i}`;
      // Checked here so a kernel that does not fit the config is reported by its parameter name.
      weights.tensor(`${layer}.conv.weight`, [channels, inChannels, config.convKernel[i]!]);
      x = conv1d(g, weights, `${layer}.conv`, x, { stride: config.convStride[i]!, bias: config.convBias });
      if (config.featExtractNorm === "layer") {
        const timeMajor = layerNorm(g, weights, `${layer}.layer_norm`, g.transpose(x, [0, 2, 1]));
        x = g.transpose(timeMajor, [0, 2, 1]);
      } else if (i === 0) {
        x = maskedGroupNorm(g, weights, `${layer}.layer_norm`, x, validFrames(g, lengths[0]!, x, 2), { channels });
      }
      x = g.scope(layer, () => activation(g, x, config.featExtractActivation));
      inChannels = channels;
    });
    return g.transpose(x, [0, 2, 1]);
  });
}

/** `feature_projection` (weights scoped to it): [LayerNorm →] Linear to hidden_size. */
export function featureProjection(g: GraphBuilder, weights: Weights, config: SpeechEncoderConfig, features: Value): Value {
  return g.scope("feature_projection", () => {
    const normed = config.featProjLayerNorm ? layerNorm(g, weights, "layer_norm", features, { epsilon: config.layerNormEps }) : features;
    return checkedLinear(g, weights, "projection", normed, config.hiddenSize);
  });
}
