/**
 * The head of *ForSequenceClassification: hidden states (the last one, or a softmax(layer_weights)
 * mix of all of them with `use_weighted_layer_sum`) → `projector` → mean over the valid frames →
 * `classifier`. Without a mask transformers takes the plain mean; an all-ones mask is the same.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import type { Weights } from "../../nn/index.js";
import { checkedLinear } from "./checked-linear.js";
import { zeroInvalid } from "./frame-lengths.js";

export function weightedLayerSum(g: GraphBuilder, weights: Weights, states: readonly Value[]): Value {
  const count = states.length;
  const layerWeights = weights.param(g, "layer_weights", [count]);
  return g.scope("weighted_layer_sum", () => {
    const norm = g.reshape(g.softmax(layerWeights, 0), [count, 1, 1, 1]);
    const stacked = g.concat(states.map((s) => g.unsqueeze(s, [0])), 0); // [L, B, T, H]
    return g.reduceSum(g.mul(stacked, norm), [0], { keepDims: false });
  });
}

/** Mean of x [batch, T, C] over each example's valid frames (bool `valid` [batch, T]) → [batch, C]. */
export function maskedMean(g: GraphBuilder, x: Value, valid: Value): Value {
  return g.scope("masked_mean", () => {
    const frames = g.reduceSum(g.cast(valid, "float32"), [1]); // [B, 1]
    return g.div(g.reduceSum(zeroInvalid(g, x, valid, "time-major"), [1], { keepDims: false }), frames);
  });
}

/** logits [batch, num_labels]; `weights` is the checkpoint root (projector, classifier, layer_weights). */
export function sequenceClassificationHead(g: GraphBuilder, weights: Weights, config: { useWeightedLayerSum: boolean; classifierProjSize: number; numLabels: number }, states: readonly Value[], valid: Value): Value {
  const hidden = config.useWeightedLayerSum ? weightedLayerSum(g, weights, states) : states[states.length - 1]!;
  const projected = checkedLinear(g, weights, "projector", hidden, config.classifierProjSize);
  return checkedLinear(g, weights, "classifier", maskedMean(g, projected, valid), config.numLabels);
}
