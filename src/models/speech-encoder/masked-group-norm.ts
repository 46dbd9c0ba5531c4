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
    // Masked sums over time as products with the 0/1 mask column: ORT's MatMul does this in one
    // read of x, ~3× faster than Where + ReduceSum here and as fast as InstanceNormalization
    // (measured on [1, 512, 32000], the first layer for 10 s of audio).
    const keep = g.cast(g.unsqueeze(valid, [2]), "float32"); // [B, T, 1]
    const count = g.reduceSum(keep, [1]); // [B, 1, 1]
    const mean = g.div(g.matMul(x, keep), count); // [B, C, 1]
    const centered = g.sub(x, mean);
    const variance = g.div(g.matMul(g.mul(centered, centered), keep), count); // biased, as torch
    const perChannel = [options.channels, 1];
    const factor = g.div(g.reshape(scale, perChannel), g.sqrt(g.add(variance, epsilon)));
    return g.add(g.mul(centered, factor), g.reshape(bias, perChannel));
  });
}
