/**
 * Plain-loop float64 reference layers for checking model graphs independently of ONNX Runtime
 * and of the golden fixtures. One example at a time; a sequence is a row-major [tokens, features]
 * Float64Array. Written for clarity, not speed (tiny models only).
 */
import type { Tensor } from "../../../src/tensor.js";
import { geluExact, geluTanh } from "../../graph/support/reference.js";
import type { Checkpoint } from "./random-checkpoint.js";

export function param(checkpoint: Checkpoint, name: string): Float32Array {
  const t = checkpoint.get(name);
  if (t === undefined) throw new Error(`reference: no parameter ${name}`);
  return t.data;
}

/** y = x·Wᵀ + b for x [rows, in] and a PyTorch weight [out, in]. */
export function linearRef(x: Float64Array, rows: number, w: Float32Array, b: Float32Array | undefined, out: number): Float64Array {
  const inF = w.length / out;
  const y = new Float64Array(rows * out);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < out; o++) {
      let s = b ? b[o]! : 0;
      for (let i = 0; i < inF; i++) s += x[r * inF + i]! * w[o * inF + i]!;
      y[r * out + o] = s;
    }
  }
  return y;
}

export function layerNormRef(x: Float64Array, rows: number, gamma: Float32Array, beta: Float32Array, eps: number): Float64Array {
  const d = gamma.length;
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x[r * d + i]!;
    mean /= d;
    let variance = 0;
    for (let i = 0; i < d; i++) variance += (x[r * d + i]! - mean) ** 2;
    variance /= d;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let i = 0; i < d; i++) y[r * d + i] = (x[r * d + i]! - mean) * inv * gamma[i]! + beta[i]!;
  }
  return y;
}

const ACTIVATIONS: Record<string, (v: number) => number> = {
  gelu: geluExact,
  gelu_new: geluTanh,
  relu: (v) => Math.max(0, v),
  silu: (v) => v / (1 + Math.exp(-v)),
};

export function activationRef(x: Float64Array, name: string): Float64Array {
  const fn = ACTIVATIONS[name];
  if (fn === undefined) throw new Error(`reference: activation ${name} not implemented`);
  return x.map(fn);
}

export function addRef(a: Float64Array, b: ArrayLike<number>): Float64Array {
  return a.map((v, i) => v + b[i]!);
}

/**
 * Multi-head self-attention over x [tokens, d] with projections named `${prefix}.${q|k|v|o}`
 * (`.weight`, optional `.bias`): softmax(Q·Kᵀ / √head_dim)·V, heads merged, output projection.
 */
export function attentionRef(checkpoint: Checkpoint, x: Float64Array, tokens: number, d: number, heads: number, names: { q: string; k: string; v: string; o: string }): Float64Array {
  const project = (name: string): Float64Array => linearRef(x, tokens, param(checkpoint, `${name}.weight`), checkpoint.get(`${name}.bias`)?.data, d);
  const [q, k, v] = [project(names.q), project(names.k), project(names.v)];
  const dh = d / heads;
  const context = new Float64Array(tokens * d);
  const scores = new Float64Array(tokens);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < tokens; i++) {
      let max = -Infinity;
      for (let j = 0; j < tokens; j++) {
        let s = 0;
        for (let c = 0; c < dh; c++) s += q[i * d + h * dh + c]! * k[j * d + h * dh + c]!;
        scores[j] = s / Math.sqrt(dh);
        max = Math.max(max, scores[j]!);
      }
      let sum = 0;
      for (let j = 0; j < tokens; j++) sum += scores[j] = Math.exp(scores[j]! - max);
      for (let j = 0; j < tokens; j++) {
        for (let c = 0; c < dh; c++) context[i * d + h * dh + c] += (scores[j]! / sum) * v[j * d + h * dh + c]!;
      }
    }
  }
  return linearRef(context, tokens, param(checkpoint, `${names.o}.weight`), checkpoint.get(`${names.o}.bias`)?.data, d);
}

/** One example (row `index` of a batch) of a float32 feature tensor, as float64. */
export function exampleOf(features: Tensor<"float32">, index: number): Float64Array {
  const per = features.dims.slice(1).reduce((a, b) => a * b, 1);
  return Float64Array.from(features.data.subarray(index * per, (index + 1) * per));
}
