/**
 * SEW's squeeze and upsampling (shared by SEW and SEW-D): the transformer runs on frames
 * average-pooled by `squeeze_factor` s, with a position embedding from a conv of stride s, and
 * its output is projected back to the frame rate.
 *
 * transformers pools with AvgPool1d (floor(T/s) frames) and adds the first floor(T/s) frames of
 * the strided conv (padding k//2, the extra frame of an even kernel dropped). Here the conv's
 * right padding is chosen so that it yields exactly floor(T/s) frames with the same values, which
 * keeps every shape static in T (no cut to a computed length). A pooled frame is valid when all s
 * of its frames are (floor(L/s), at least 1, as transformers' `input_lengths // squeeze_factor`);
 * the waveform gets (s − 1)·(conv stride product) extra zero samples (squeezePaddingSamples) so
 * that even a clip shorter than s frames has one pooled frame.
 *
 * Upsampled frames past the last valid pooled window are set to 0: a clip run alone has zeros
 * there (transformers pads the upsampled output to the input length), so this keeps a padded
 * batch equal to one-by-one runs. The upsampled output has floor(T/s)·s frames, which the padding
 * above makes at least every example's valid length.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { activation, type Weights } from "../../nn/index.js";
import { checkedLinear } from "./checked-linear.js";
import { positionalConvWeight } from "./positional-conv.js";

export interface SqueezeConfig {
  readonly hiddenSize: number;
  readonly squeezeFactor: number;
  readonly positionalConv: { readonly kernel: number; readonly groups: number };
  readonly featExtractActivation: string;
}

/** Extra waveform samples so that the conv stack yields s − 1 frames more (see above). */
export function squeezePaddingSamples(squeezeFactor: number, convStrides: readonly number[]): number {
  return (squeezeFactor - 1) * convStrides.reduce((a, b) => a * b, 1);
}

/**
 * Pooled frames plus the strided positional conv: h [B, T, H] (invalid frames already zero) →
 * [B, floor(T/s), H]. `posWeights` is scoped to `encoder.pos_conv_embed`.
 */
export function squeezeWithPositions(g: GraphBuilder, posWeights: Weights, config: SqueezeConfig, h: Value): Value {
  const s = config.squeezeFactor;
  const { kernel, groups } = config.positionalConv;
  return g.scope("squeeze", () => {
    const channelsFirst = g.transpose(h, [0, 2, 1]); // [B, H, T]
    const pooled = s === 1 ? channelsFirst : g.averagePool(channelsFirst, { kernel: [s], strides: [s] });
    const positions = g.scope("pos_conv_embed", () => {
      const weight = positionalConvWeight(g, posWeights, "conv", config) ?? posWeights.param(g, "conv.weight");
      const bias = posWeights.param(g, "conv.bias", [config.hiddenSize]);
      // floor((T + left + right − k)/s) + 1 = floor(T/s) when left + right = k − s; output frame i
      // still reads input frames from i·s − k//2, as with transformers' symmetric padding.
      const left = Math.floor(kernel / 2);
      let right = kernel - s - left;
      let input = channelsFirst;
      if (right < 0) {
        // Frames that only the dropped outputs would read: cut them instead of padding negatively.
        input = g.sliceAxis(channelsFirst, 2, 0, right);
        right = 0;
      }
      const conv = g.conv(input, weight, bias, { strides: [s], pads: [left, right], group: groups });
      return activation(g, conv, config.featExtractActivation);
    });
    return g.transpose(g.add(pooled, positions), [0, 2, 1]);
  });
}

/** Valid pooled frames per example: max(floor(L / s), 1) for valid frame counts L int64 [B]. */
export function squeezedLengths(g: GraphBuilder, lengths: Value, s: number): Value {
  return g.max(g.div(lengths, s), 1);
}

/**
 * SEWUpsampling: Linear(H → H·s), activation, channels unfolded into s frames each → [B, T2·s, H],
 * with the frames past `validSqueezed`·s zeroed. `weights` is scoped to `encoder.upsample`.
 */
export function upsample(g: GraphBuilder, weights: Weights, config: SqueezeConfig, x: Value, validSqueezed: Value): Value {
  const s = config.squeezeFactor;
  const hidden = config.hiddenSize;
  return g.scope("upsample", () => {
    const projected = activation(g, checkedLinear(g, weights, "projection", x, hidden * s), config.featExtractActivation);
    const unfolded = s === 1 ? projected : g.reshape(projected, [0, -1, hidden]);
    const positions = g.range(g.scalar(0, "int64"), g.gather(g.shape(unfolded), 1), g.scalar(1, "int64"));
    const keep = g.less(g.unsqueeze(positions, [0]), g.unsqueeze(g.mul(validSqueezed, s), [1])); // [B, T2·s]
    return g.where(g.unsqueeze(keep, [2]), unfolded, 0);
  });
}
