/**
 * The numbers behind the reduced-precision dtypes: weight matrices to int8 (symmetric, one scale
 * per output channel) and to IEEE half precision. Pure functions of one tensor; which tensors are
 * converted is decided by the graph pass (weight-precision-pass.ts).
 */
import type { Float16Tensor } from "../graph/index.js";
import type { Tensor } from "../tensor.js";
import { float32ToFloat16Bits } from "../weights/float-conversion.js";

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

/** numpy's rint: round half to even, as onnxruntime's quantizer rounds. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Quantizes a weight matrix for A · B. `layout` says how it is stored: "out-in" is a PyTorch
 * Linear weight [N, K] (Gemm transB=1), "in-out" is already B [K, N]. Each output channel n gets
 * scale = max |w[n, :]| / levels; an all-zero channel gets scale 1 (its values stay 0). Returns
 * undefined for a weight holding NaN or ±inf.
 */
export function quantizeMatrixInt8(weight: Tensor<"float32">, layout: "out-in" | "in-out", options: Int8Options): Int8Matrix | undefined {
  const [rows, cols] = weight.dims as [number, number];
  const [n, k] = layout === "out-in" ? [rows, cols] : [cols, rows];
  const w = weight.data;
  // Element (k, n) of B is w[n·K + k] for out-in and w[k·N + n] for in-out; the loops below walk
  // w in storage order either way.
  const outIn = layout === "out-in";
  const maxAbs = new Float32Array(n);
  for (let i = 0; i < w.length; i++) {
    const channel = outIn ? Math.floor(i / k) : i % n;
    const a = Math.abs(w[i]!);
    if (a > maxAbs[channel]! || Number.isNaN(a)) maxAbs[channel] = a;
  }
  const scales = new Float32Array(n);
  const inverse = new Float64Array(n);
  for (let ni = 0; ni < n; ni++) {
    const m = maxAbs[ni]!;
    // NaN or ±inf cannot be quantized; such a weight stays float32 (and its results stay non-finite).
    if (!Number.isFinite(m)) return undefined;
    scales[ni] = m > 0 ? m / options.levels : 1;
    inverse[ni] = 1 / scales[ni]!;
  }
  const values = new Int8Array(k * n);
  const limit = options.levels;
  const clamp = (q: number): number => (q > limit ? limit : q < -limit ? -limit : q);
  if (outIn) {
    for (let ni = 0; ni < n; ni++) {
      const row = ni * k;
      const inv = inverse[ni]!;
      for (let ki = 0; ki < k; ki++) values[ki * n + ni] = clamp(roundHalfEven(w[row + ki]! * inv));
    }
  } else {
    for (let i = 0; i < w.length; i++) values[i] = clamp(roundHalfEven(w[i]! * inverse[i % n]!));
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
