/**
 * Swin-style windowed self-attention as HTSAT uses it (ClapAudioSelfAttention): tokens on a
 * [height, width] grid are cut into window×window windows that attend only within themselves,
 * with a learnt relative position bias per head; shifted layers roll the grid by half a window
 * first and mask the pairs that the roll brought together from opposite edges (−100, as
 * Python adds it).
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { type Weights, linear } from "../../nn/index.js";

/** relative_position_index [N, N] (N = window²): which bias-table row a (query, key) pair reads. */
export function relativePositionIndex(window: number): Int32Array {
  const n = window * window;
  const index = new Int32Array(n * n);
  const span = 2 * window - 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dh = Math.floor(i / window) - Math.floor(j / window) + window - 1;
      const dw = (i % window) - (j % window) + window - 1;
      index[i * n + j] = dh * span + dw;
    }
  }
  return index;
}

/**
 * The SW-MSA mask [windows, N, N] for a (padded) height × width grid rolled by `shift`: 0 where
 * query and key come from the same region of the unrolled grid, −100 elsewhere.
 */
export function shiftedWindowMask(height: number, width: number, window: number, shift: number): Float32Array {
  const region = (i: number, size: number): number => (i < size - window ? 0 : i < size - shift ? 1 : 2);
  const rowsOfWindows = height / window;
  const colsOfWindows = width / window;
  const n = window * window;
  const mask = new Float32Array(rowsOfWindows * colsOfWindows * n * n);
  const label = new Int32Array(n);
  for (let wr = 0; wr < rowsOfWindows; wr++) {
    for (let wc = 0; wc < colsOfWindows; wc++) {
      for (let t = 0; t < n; t++) {
        const row = wr * window + Math.floor(t / window);
        const col = wc * window + (t % window);
        label[t] = region(row, height) * 3 + region(col, width);
      }
      const base = (wr * colsOfWindows + wc) * n * n;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) mask[base + i * n + j] = label[i] === label[j] ? 0 : -100;
    }
  }
  return mask;
}

/** [B, H, W, C] → token rows [B·windows·window², C], window by window in row-major order. */
export function partitionWindows(g: GraphBuilder, x: Value, window: number): Value {
  const [, height, width, channels] = x.shape as [unknown, number, number, number];
  const grid = g.reshape(x, [-1, height / window, window, width / window, window, channels]);
  return g.reshape(g.transpose(grid, [0, 1, 3, 2, 4, 5]), [-1, channels]);
}

/** The inverse of partitionWindows: rows [B·windows·window², C] → [B, H, W, C]. */
export function mergeWindows(g: GraphBuilder, rows: Value, window: number, height: number, width: number): Value {
  const channels = rows.shape[1] as number;
  const grid = g.reshape(rows, [-1, height / window, width / window, window, window, channels]);
  return g.reshape(g.transpose(grid, [0, 1, 3, 2, 4, 5]), [-1, height, width, channels]);
}

/** torch.roll(x, shifts=(s, s), dims=(1, 2)) on [B, H, W, C]: out[i] = x[(i − s) mod size]. */
export function roll2d(g: GraphBuilder, x: Value, shift: number): Value {
  let out = x;
  for (const axis of [1, 2]) {
    const size = out.shape[axis] as number;
    const s = ((shift % size) + size) % size;
    if (s === 0) continue;
    out = g.concat([g.sliceAxis(out, axis, size - s), g.sliceAxis(out, axis, 0, size - s)], axis);
  }
  return out;
}

export interface WindowAttentionOptions {
  readonly numHeads: number;
  readonly window: number;
  /** Windows per image (to line the shift mask up with the batch). */
  readonly windowsPerImage: number;
  /** SW-MSA mask from shiftedWindowMask, for shifted layers. */
  readonly mask?: Float32Array;
  /** Use onnxruntime's fused MultiHeadAttention kernel (for unshifted windows). */
  readonly fused?: boolean;
}

/**
 * Attention within windows, on token rows [B·windows·N, C] as partitionWindows lays them out
 * (`attention.self.{query,key,value}`, `attention.output.dense` under `weights`):
 * softmax(Q·Kᵀ/√d + bias (+ mask))·V. Rows stay 2-D so the projections are plain Gemms.
 */
export function windowAttention(g: GraphBuilder, weights: Weights, windows: Value, options: WindowAttentionOptions): Value {
  const channels = windows.shape[1] as number;
  const heads = options.numHeads;
  const headSize = channels / heads;
  const n = options.window * options.window;
  const w = weights.scope("attention");
  return g.scope("attention", () => {
    // relative_position_bias_table[relative_position_index] → [heads, N, N]
    const table = w.param(g, "self.relative_position_bias_table", [(2 * options.window - 1) ** 2, heads]);
    if (w.has("self.relative_position_index")) w.tensor("self.relative_position_index"); // a buffer we recompute
    const index = g.constant({ type: "int64", dims: [n * n], data: BigInt64Array.from(relativePositionIndex(options.window), BigInt) });
    let bias = g.transpose(g.reshape(g.gather(table, index, 0), [n, n, heads]), [2, 0, 1]);
    if (options.mask !== undefined) {
      const mask = g.constant({ type: "float32", dims: [options.windowsPerImage, 1, n, n], data: options.mask });
      bias = g.add(g.unsqueeze(bias, [0]), mask); // [windows, heads, N, N]
    }
    const self = w.scope("self");
    // The fused kernel cannot keep the shifted windows' masked probabilities out of the denormal
    // range (see below), so shifted windows always take the plain path.
    if (options.fused && options.mask === undefined) {
      // the kernel takes [batch, sequence, hidden]: one window per batch row
      const [q, k, v] = ["query", "key", "value"].map((p) => g.reshape(linear(g, self, p, windows, { bias: false }), [-1, n, channels]));
      const qkvBias = g.concat(
        ["query", "key", "value"].map((p) => self.optionalParam(g, `${p}.bias`, [channels]) ?? g.constant({ type: "float32", dims: [channels], data: new Float32Array(channels) })),
        0,
      );
      const attended = g.multiHeadAttention(q!, k!, v!, { numHeads: heads, scale: 1 / Math.sqrt(headSize), bias: qkvBias, attentionBias: g.unsqueeze(bias, [0]) });
      return linear(g, w, "output.dense", g.reshape(attended, [-1, channels]));
    }
    const split = (t: Value, perm: number[]): Value => g.transpose(g.reshape(t, [-1, n, heads, headSize]), perm);
    // qkv_bias: false checkpoints have no projection biases
    const project = (p: string): Value => linear(g, self, p, windows, { bias: self.has(`${p}.bias`) });
    const q = split(project("query"), [0, 2, 1, 3]);
    const k = split(project("key"), [0, 2, 3, 1]);
    const v = split(project("value"), [0, 2, 1, 3]);
    let scores = g.div(g.matMul(q, k), Math.sqrt(headSize));
    if (options.mask === undefined) scores = g.add(scores, bias);
    else {
      // [B·windows, heads, N, N] → [B, windows, heads, N, N] to add the per-window bias and mask
      scores = g.reshape(g.add(g.reshape(scores, [-1, options.windowsPerImage, heads, n, n]), bias), [-1, heads, n, n]);
      // Masked pairs sit ~100 below the rest, so softmax would give them probabilities around
      // e^-100: float32 denormals, which make the kernels that touch them ~80× slower. Lifting
      // every score to at least (row max − 60) only changes probabilities below e^-60 (< 1e-26,
      // far under the float32 resolution of the result) and keeps every value normal.
      scores = g.max(scores, g.sub(g.reduceMax(scores, [-1]), 60));
    }
    const context = g.matMul(g.softmax(scores, -1), v);
    const merged = g.reshape(g.transpose(context, [0, 2, 1, 3]), [-1, channels]);
    return linear(g, w, "output.dense", merged);
  });
}
