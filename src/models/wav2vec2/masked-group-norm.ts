/**
 * The first feature-encoder layer's GroupNorm (one group per channel) with statistics taken over
 * each example's valid frames only.
 *
 * This extends transformers: its GroupNorm normalises over the whole padded row, so a padded
 * batch of a group-norm model (wav2vec2-base, HuBERT-base, WavLM-base…) gives different logits
 * than running each clip alone. With a mask we use the valid frames, which is exactly what a
 * single unpadded run computes; with an all-ones mask it is transformers' computation.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import type { Weights } from "../../nn/index.js";

/** GroupNorm(C groups, C channels) on x [batch, C, T]; `valid` is bool [batch, T]. */
export function maskedGroupNorm(g: GraphBuilder, weights: Weights, name: string, x: Value, valid: Value, options: { channels: number; epsilon?: number }): Value {
  const w = weights.scope(name);
  const scale = w.param(g, "weight", [options.channels]);
  const bias = w.param(g, "bias", [options.channels]);
  const epsilon = options.epsilon ?? 1e-5;
  return g.scope(name, () => {
    const keep = g.unsqueeze(valid, [1]); // [B, 1, T]
    const count = g.reduceSum(g.cast(keep, "float32"), [2]); // [B, 1, 1]
    const mean = g.div(g.reduceSum(g.where(keep, x, 0), [2]), count);
    const centered = g.sub(x, mean);
    const kept = g.where(keep, centered, 0);
    const variance = g.div(g.reduceSum(g.mul(kept, kept), [2]), count); // biased, as torch
    const normed = g.div(centered, g.sqrt(g.add(variance, epsilon)));
    const perChannel = [options.channels, 1];
    return g.add(g.mul(normed, g.reshape(scale, perChannel)), g.reshape(bias, perChannel));
  });
}
