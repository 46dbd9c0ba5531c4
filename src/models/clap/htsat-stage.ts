/**
 * One HTSAT stage (ClapAudioStage): Swin transformer blocks on a [height, width] token grid —
 * even blocks with regular windows, odd ones shifted by half a window — followed, except in the
 * last stage, by patch merging (each 2×2 neighbourhood → one token of twice the width).
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { type Weights, activation, layerNorm, linear } from "../../nn/index.js";
import { ModelConfigError } from "../errors.js";
import { mergeWindows, partitionWindows, roll2d, shiftedWindowMask, windowAttention } from "./swin-window-attention.js";

export interface StageOptions {
  readonly height: number;
  readonly width: number;
  readonly depth: number;
  readonly numHeads: number;
  readonly windowSize: number;
  readonly layerNormEps: number;
  readonly hiddenAct: string;
  readonly downsample: boolean;
  readonly fused?: boolean;
}

interface BlockOptions extends StageOptions {
  readonly shift: number;
}

/** ClapAudioLayer: x + W-MSA(LN(x)), then x + MLP(LN(x)), on token rows [B·H·W, C]. */
function swinBlock(g: GraphBuilder, w: Weights, x: Value, o: BlockOptions): Value {
  const channels = x.shape[1] as number;
  const window = o.windowSize;
  // Python's set_shift_and_window_size: a grid no larger than a window is one unshifted window
  const shift = Math.min(o.height, o.width) <= window ? 0 : o.shift;
  const padBottom = (window - (o.height % window)) % window;
  const padRight = (window - (o.width % window)) % window;
  const height = o.height + padBottom;
  const width = o.width + padRight;
  let h = layerNorm(g, w, "layernorm_before", x, { epsilon: o.layerNormEps });
  h = g.reshape(h, [-1, o.height, o.width, channels]);
  if (padBottom > 0 || padRight > 0) h = g.pad(h, [0, 0, 0, 0, 0, padBottom, padRight, 0]);
  if (shift > 0) h = roll2d(g, h, -shift);
  const windows = partitionWindows(g, h, window);
  const attended = windowAttention(g, w, windows, {
    numHeads: o.numHeads,
    window,
    windowsPerImage: (height / window) * (width / window),
    mask: shift > 0 ? shiftedWindowMask(height, width, window, shift) : undefined,
    fused: o.fused,
  });
  h = mergeWindows(g, attended, window, height, width);
  if (shift > 0) h = roll2d(g, h, shift);
  if (padBottom > 0 || padRight > 0) h = g.slice(h, [0, 0], [o.height, o.width], [1, 2]);
  const residual = g.add(x, g.reshape(h, [-1, channels]));
  let y = layerNorm(g, w, "layernorm_after", residual, { epsilon: o.layerNormEps });
  y = activation(g, linear(g, w, "intermediate.dense", y), o.hiddenAct);
  return g.add(residual, linear(g, w, "output.dense", y));
}

/** ClapAudioPatchMerging: rows [B·H·W, C] → [B·⌈H/2⌉·⌈W/2⌉, 2C]. */
function patchMerging(g: GraphBuilder, w: Weights, x: Value, height: number, width: number): Value {
  const channels = x.shape[1] as number;
  let grid = g.reshape(x, [-1, height, width, channels]);
  if (height % 2 === 1 || width % 2 === 1) grid = g.pad(grid, [0, 0, 0, 0, 0, height % 2, width % 2, 0]);
  const h2 = Math.ceil(height / 2);
  const w2 = Math.ceil(width / 2);
  // Python concatenates x[0::2, 0::2], x[1::2, 0::2], x[0::2, 1::2], x[1::2, 1::2]: the column
  // parity varies slowest, so the 2×2 block goes to [col parity, row parity, C].
  const blocks = g.reshape(grid, [-1, h2, 2, w2, 2, channels]);
  const merged = g.reshape(g.transpose(blocks, [0, 1, 3, 4, 2, 5]), [-1, 4 * channels]);
  return linear(g, w, "reduction", layerNorm(g, w, "norm", merged), { bias: false });
}

/** Runs the stage's blocks (and patch merging) on token rows [B·H·W, C] (row-major grid per clip). */
export function htsatStage(g: GraphBuilder, weights: Weights, x: Value, o: StageOptions): Value {
  if (Math.min(o.height, o.width) < o.windowSize) {
    throw new ModelConfigError(
      `an HTSAT stage has a ${o.height}×${o.width} token grid, smaller than window_size ${o.windowSize}: the relative position bias would not fit ` +
        "(transformers fails on this config too); use fewer stages or a smaller window_size",
    );
  }
  let h = x;
  for (let i = 0; i < o.depth; i++) {
    const w = weights.scope(`blocks.${i}`);
    h = g.scope(`blocks.${i}`, () => swinBlock(g, w, h, { ...o, shift: i % 2 === 0 ? 0 : Math.floor(o.windowSize / 2) }));
  }
  if (!o.downsample) return h;
  return g.scope("downsample", () => patchMerging(g, weights.scope("downsample"), h, o.height, o.width));
}
