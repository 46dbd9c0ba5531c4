/**
 * The numbers behind the reduced-precision dtypes: weight matrices to int8 (symmetric, one scale
 * per output channel) and to IEEE half precision. Pure functions of one tensor; which tensors are
 * converted is decided by the graph pass (weight-precision-pass.ts).
 */
import type { Float16Tensor } from "../graph/index.js";
import type { Tensor } from "../tensor.js";
import { float32ToFloat16Bits } from "../util/float-conversion.js";

/** Largest magnitude float16 holds; a weight beyond it would become ±inf. */
const FLOAT16_MAX = 65504;

/**
 * Quantization levels each side of zero (symmetric, zero point 0). 127 uses the whole int8 range;
 * the pass uses 63 (DEFAULT_INT8_LEVELS in weight-precision-pass.ts says why).
 */
export interface Int8Options {
  readonly levels: number;
}

/** A weight as ORT's DynamicQuantizeMatMul takes it: B [K, N] int8 and one scale per column. */
export interface Int8Matrix {
  readonly values: Tensor<"int8">;
  readonly scales: Tensor<"float32">;
}

/** Adding and subtracting 1.5·2⁵² rounds a double to an integer, ties to even (numpy's rint). */
const ROUNDER = 6755399441055744;

/** Output channels quantized together in the out-in loop, so that writes to B stay in a few cache lines. */
const CHANNEL_BLOCK = 64;

/**
 * Quantizes a weight matrix for A · B. `layout` says how it is stored: "out-in" is a PyTorch
 * Linear weight [N, K] (Gemm transB=1), "in-out" is already B [K, N]. Each output channel n gets
 * scale = max |w[n, :]| / levels; an all-zero channel gets scale 1 (its values stay 0). Rounds
 * half to even, as onnxruntime's quantizer. Returns undefined for a weight holding NaN or ±inf.
 */
export function quantizeMatrixInt8(weight: Tensor<"float32">, layout: "out-in" | "in-out", options: Int8Options): Int8Matrix | undefined {
  const [rows, cols] = weight.dims as [number, number];
  const outIn = layout === "out-in";
  const [n, k] = outIn ? [rows, cols] : [cols, rows];
  const w = weight.data;
  // Element (k, n) of B is w[n·K + k] for out-in and w[k·N + n] for in-out.
  const maxAbs = new Float64Array(n);
  if (outIn) {
    for (let ni = 0; ni < n; ni++) {
      let m = 0;
      for (let i = ni * k, end = i + k; i < end; i++) m = Math.max(m, Math.abs(w[i]!));
      maxAbs[ni] = m;
    }
  } else {
    for (let i = 0; i < w.length; i += n) for (let ni = 0; ni < n; ni++) maxAbs[ni] = Math.max(maxAbs[ni]!, Math.abs(w[i + ni]!));
  }
  const scales = new Float32Array(n);
  const inverse = new Float64Array(n);
  for (let ni = 0; ni < n; ni++) {
    const m = maxAbs[ni]!;
    // NaN (Math.max propagates it) or ±inf cannot be quantized; such a weight stays float32.
    if (!Number.isFinite(m)) return undefined;
    scales[ni] = m > 0 ? m / options.levels : 1;
    inverse[ni] = 1 / scales[ni]!;
  }
  // max |w| · (1 / scale) rounds to ±levels at most: no clamping needed.
  const values = new Int8Array(k * n);
  if (outIn) {
    for (let n0 = 0; n0 < n; n0 += CHANNEL_BLOCK) {
      const n1 = Math.min(n, n0 + CHANNEL_BLOCK);
      for (let ki = 0; ki < k; ki++) {
        const row = ki * n;
        for (let ni = n0; ni < n1; ni++) values[row + ni] = w[ni * k + ki]! * inverse[ni]! + ROUNDER - ROUNDER;
      }
    }
  } else {
    for (let i = 0; i < w.length; i += n) for (let ni = 0; ni < n; ni++) values[i + ni] = w[i + ni]! * inverse[ni]! + ROUNDER - ROUNDER;
  }
  return { values: { type: "int8", dims: [k, n], data: values }, scales: { type: "float32", dims: [n], data: scales } };
}

/** The weight as float16 bits (round to nearest even), or undefined when a value is beyond half's range. */
export function toFloat16(weight: Tensor<"float32">): Float16Tensor | undefined {
  const data = weight.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!(Math.abs(v) <= FLOAT16_MAX) && !Number.isNaN(v)) return undefined;
  }
  return { type: "float16", dims: [...weight.dims], data: float32ToFloat16Bits(data) };
}
