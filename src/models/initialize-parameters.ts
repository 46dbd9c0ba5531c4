/**
 * Fresh parameter values from specs (see parameter-spec.ts), drawn in spec order and row-major
 * within a tensor from one seeded source, so the same seed gives the same model. The generator
 * is ours, not torch's: a fresh model is distributed as transformers' `_init_weights` makes it,
 * not equal to it value for value.
 */
import type { Tensor } from "../tensor.js";
import { ModelConfigError } from "./errors.js";
import type { ParameterInit, ParameterSpec } from "./parameter-spec.js";
import { fillTruncatedNormal } from "./truncated-normal.js";

/** What initialisation draws from (the training Rng is one). */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  random(): number;
  normal(mean: number, std: number): number;
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Whisper's `sinusoids(length, channels)`, step by step in float32 as torch computes it. */
export function sinusoids(length: number, channels: number, maxTimescale = 10000): Float32Array {
  if (channels % 2 !== 0 || channels < 4) {
    throw new ModelConfigError(`sinusoidal position embeddings need an even number of channels ≥ 4 (d_model), got ${channels}`);
  }
  const f = Math.fround;
  const half = channels / 2;
  const increment = Math.log(maxTimescale) / (half - 1);
  const inverse = Float32Array.from({ length: half }, (_, i) => f(Math.exp(f(-increment * i))));
  const out = new Float32Array(length * channels);
  for (let t = 0; t < length; t++) {
    for (let i = 0; i < half; i++) {
      const scaled = f(t * inverse[i]!);
      out[t * channels + i] = Math.sin(scaled);
      out[t * channels + half + i] = Math.cos(scaled);
    }
  }
  return out;
}

/** g of weight_norm for v: ‖v‖₂ over every axis but `dim`, shaped 1 on those axes. */
export function weightNormMagnitude(v: Float32Array, shape: readonly number[], dim: number): Float32Array {
  const axis = dim < 0 ? dim + shape.length : dim;
  const size = shape[axis]!;
  const inner = count(shape.slice(axis + 1));
  const sums = new Float64Array(size);
  for (let i = 0; i < v.length; i++) {
    const k = Math.floor(i / inner) % size;
    sums[k]! += v[i]! * v[i]!;
  }
  return Float32Array.from(sums, Math.sqrt);
}

function fill(init: ParameterInit, n: number, random: SeededRandom): Float32Array {
  const data = new Float32Array(n);
  switch (init.kind) {
    case "fill":
      return data.fill(init.value);
    case "values":
      if (init.values.length !== n) throw new ModelConfigError(`fixed initial values: ${init.values.length} given for ${n} entries`);
      return Float32Array.from(init.values);
    case "uniform":
      for (let i = 0; i < n; i++) data[i] = init.low + (init.high - init.low) * random.random();
      return data;
    case "normal": {
      const [low, high] = init.truncate ?? [-Infinity, Infinity];
      fillTruncatedNormal(data, Math.abs(init.std), low, high, random);
      return data;
    }
    default:
      throw new ModelConfigError(`initialisation "${init.kind}" needs the parameter's shape or another parameter`);
  }
}

/** 2^30 parameters (4 GiB of float32), ~3× the largest audio classifiers; more is a corrupt config. */
export const MAX_FRESH_PARAMETERS = 2 ** 30;

/** Refuses, before anything is allocated, a config that describes more parameters than can be trained here. */
function checkParameterCount(specs: readonly ParameterSpec[]): void {
  let total = 0;
  let largest: ParameterSpec | undefined;
  for (const spec of specs) {
    const n = count(spec.shape);
    total += n;
    if (largest === undefined || n > count(largest.shape)) largest = spec;
  }
  if (total > MAX_FRESH_PARAMETERS) {
    throw new ModelConfigError(
      `the config describes ${total.toExponential(2)} parameters (${((total * 4) / 2 ** 30).toFixed(1)} GiB of float32; ` +
        `the largest, "${largest!.name}" [${largest!.shape.join(", ")}]), more than the ${MAX_FRESH_PARAMETERS} audioclass initialises; check its sizes (hidden_size, intermediate_size, num_hidden_layers, …)`,
    );
  }
}

/**
 * A fresh tensor for every spec. Parameters initialised from another one (weight-norm
 * magnitudes) are computed after all others are drawn.
 */
export function initializeParameters(specs: readonly ParameterSpec[], random: SeededRandom): Map<string, Tensor> {
  checkParameterCount(specs);
  const out = new Map<string, Tensor>();
  const later: ParameterSpec[] = [];
  for (const spec of specs) {
    if (out.has(spec.name)) throw new ModelConfigError(`parameter "${spec.name}" is listed twice`);
    const n = count(spec.shape);
    if (spec.dtype === "int64") {
      out.set(spec.name, { type: "int64", dims: [...spec.shape], data: new BigInt64Array(n) });
      continue;
    }
    if (spec.init.kind === "weight-norm-magnitude") {
      later.push(spec);
      out.set(spec.name, { type: "float32", dims: [...spec.shape], data: new Float32Array(n) });
      continue;
    }
    const data = spec.init.kind === "sinusoids" ? sinusoids(spec.shape[0]!, spec.shape[1]!) : fill(spec.init, n, random);
    out.set(spec.name, { type: "float32", dims: [...spec.shape], data });
  }
  for (const spec of later) {
    const init = spec.init as Extract<ParameterInit, { kind: "weight-norm-magnitude" }>;
    const v = out.get(init.of);
    if (v === undefined || v.type !== "float32") throw new ModelConfigError(`"${spec.name}" is the weight-norm magnitude of "${init.of}", which is not among the parameters`);
    const g = weightNormMagnitude(v.data as Float32Array, v.dims, init.dim);
    if (g.length !== count(spec.shape)) throw new ModelConfigError(`"${spec.name}" has shape [${spec.shape.join(", ")}] but "${init.of}" has ${g.length} entries along axis ${init.dim}`);
    out.set(spec.name, { type: "float32", dims: [...spec.shape], data: g });
  }
  return out;
}
