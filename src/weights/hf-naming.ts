/**
 * Hugging Face parameter-name conventions, as transformers 4.49 applies them when loading:
 * legacy LayerNorm names, the two spellings of weight norm, and base-model prefixes.
 */
import { InvalidTensorError } from "./errors.js";
import { shapeNumel } from "./raw-tensor.js";

/**
 * transformers' `_fix_state_dict_key_on_load`: `LayerNorm.gamma`/`LayerNorm.beta` (early
 * TensorFlow ports) become `LayerNorm.weight`/`LayerNorm.bias`. The weight-norm parametrization
 * names (`parametrizations.weight.original0/1`, torch ≥ 2.1) are brought to the classic
 * `weight_g`/`weight_v` spelling, so both forms look the same to the rest of the loader.
 */
export function normalizeCheckpointKey(key: string): { key: string; renamed: boolean } {
  if (key.endsWith("LayerNorm.beta")) return { key: key.replaceAll("LayerNorm.beta", "LayerNorm.bias"), renamed: true };
  if (key.endsWith("LayerNorm.gamma")) return { key: key.replaceAll("LayerNorm.gamma", "LayerNorm.weight"), renamed: true };
  if (key.endsWith("parametrizations.weight.original0")) return { key: `${key.slice(0, -"parametrizations.weight.original0".length)}weight_g`, renamed: true };
  if (key.endsWith("parametrizations.weight.original1")) return { key: `${key.slice(0, -"parametrizations.weight.original1".length)}weight_v`, renamed: true };
  return { key, renamed: false };
}

export interface PrefixPlan {
  /** Prepend `prefix.` to every key (a base-model checkpoint loaded into a model with a head). */
  add: boolean;
  /** Keep only keys under `prefix.` and strip it (a head-model checkpoint loaded into the bare base model). */
  strip: boolean;
}

/**
 * transformers' rule (`_get_key_renaming_mapping`): the checkpoint "has the prefix module" when any
 * key starts with `basePrefix`; the model "expects" it when it holds the base model under that
 * attribute (every `…ForSequenceClassification`, not the bare `…Model`).
 */
export function planPrefix(keys: Iterable<string>, basePrefix: string, modelHasBasePrefix: boolean): PrefixPlan {
  if (basePrefix.length === 0) return { add: false, strip: false };
  let hasPrefixModule = false;
  for (const key of keys) {
    if (key.startsWith(basePrefix)) {
      hasPrefixModule = true;
      break;
    }
  }
  return { add: !hasPrefixModule && modelHasBasePrefix, strip: hasPrefixModule && !modelHasBasePrefix };
}

/**
 * The weight-norm dimension implied by the shapes of `g` and `v`: the one axis where `g` is not 1.
 * Null means a norm over the whole tensor (`dim=None`, or `v` has size 1 on that axis — same result).
 */
export function inferWeightNormDim(gShape: readonly number[], vShape: readonly number[], name = "weight"): number | null {
  if (shapeNumel(gShape) === 1) return null;
  const axes = gShape.map((d, i) => (d !== 1 ? i : -1)).filter((i) => i >= 0);
  if (gShape.length !== vShape.length || axes.length !== 1 || gShape[axes[0]] !== vShape[axes[0]]) {
    throw new InvalidTensorError(
      `${name}: weight_g of shape [${gShape.join(", ")}] does not fit weight_v of shape [${vShape.join(", ")}]; g must be 1 on every axis but the normalised one`,
      { tensor: name },
    );
  }
  return axes[0];
}

/** Splits `shape` around `dim` into (outer, size, inner) extents for a row-major walk. */
function around(shape: readonly number[], dim: number): [number, number, number] {
  return [shapeNumel(shape.slice(0, dim)), shape[dim], shapeNumel(shape.slice(dim + 1))];
}

/** Euclidean norms of `v` over every axis except `dim` (one per index of `dim`), or over all of it. */
function normsExcept(v: Float32Array, shape: readonly number[], dim: number | null): Float64Array {
  if (dim === null) {
    let sum = 0;
    for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
    return Float64Array.of(Math.sqrt(sum));
  }
  const [outer, size, inner] = around(shape, dim);
  const sums = new Float64Array(size);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < size; j++) {
      const base = (o * size + j) * inner;
      let s = 0;
      for (let i = 0; i < inner; i++) s += v[base + i] * v[base + i];
      sums[j] += s;
    }
  }
  for (let j = 0; j < size; j++) sums[j] = Math.sqrt(sums[j]);
  return sums;
}

/**
 * torch's `_weight_norm(v, g, dim)`: w = v · g / ‖v‖, the norm taken over every axis except `dim`
 * (wav2vec2's positional conv uses dim=2: one norm per kernel tap). Accumulates in float64.
 * `dim` defaults to the axis inferred from g's shape.
 */
export function foldWeightNorm(
  g: Float32Array,
  gShape: readonly number[],
  v: Float32Array,
  vShape: readonly number[],
  dim: number | null = inferWeightNormDim(gShape, vShape),
): Float32Array {
  const norms = normsExcept(v, vShape, dim);
  const out = new Float32Array(v.length);
  if (dim === null) {
    const scale = g[0] / norms[0];
    for (let i = 0; i < v.length; i++) out[i] = v[i] * scale;
    return out;
  }
  const [outer, size, inner] = around(vShape, dim);
  for (let j = 0; j < size; j++) {
    const scale = g[j] / norms[j];
    for (let o = 0; o < outer; o++) {
      const base = (o * size + j) * inner;
      for (let i = 0; i < inner; i++) out[base + i] = v[base + i] * scale;
    }
  }
  return out;
}

/**
 * The inverse, for saving a trained weight back as (weight_g, weight_v) the way `weight_norm`
 * initialises them: v = w, g = ‖w‖ over every axis except `dim` (shape 1 elsewhere).
 */
export function unfoldWeightNorm(weight: Float32Array, shape: readonly number[], dim: number | null): { g: Float32Array; gShape: number[]; v: Float32Array } {
  if (dim !== null && (!Number.isInteger(dim) || dim < 0 || dim >= shape.length)) {
    throw new InvalidTensorError(`weight-norm dim ${dim} is outside a ${shape.length}-d weight`);
  }
  const norms = normsExcept(weight, shape, dim);
  // dim=None gives torch a 0-d g; otherwise g keeps v's rank with 1 on the reduced axes.
  const gShape = dim === null ? [] : shape.map((d, i) => (i === dim ? d : 1));
  return { g: Float32Array.from(norms), gShape, v: new Float32Array(weight) };
}
