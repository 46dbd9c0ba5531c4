/**
 * How parameters and gradients are handed to the optimizer layer: float32 arrays by parameter name,
 * as a Map or a plain object. Gradients may also be tensors (our Tensor or onnxruntime's, both
 * carry `data`) and may be keyed with a prefix, so a training graph's outputs (`grad.<param>`)
 * can be passed as they come.
 */
import { describeValue } from "../../errors.js";
import { GradientMismatchError } from "./errors.js";

/** Trainable parameters by name. The optimizer updates these arrays in place. */
export type NamedArrays = ReadonlyMap<string, Float32Array> | Readonly<Record<string, Float32Array>>;

/** Anything holding float32 data: a bare array, our Tensor, an onnxruntime Tensor. */
export type GradientValue = Float32Array | { readonly data: unknown };

/** Gradients by name (optionally prefixed, see GradientOptions.prefix). */
export type GradientSource = ReadonlyMap<string, GradientValue> | Readonly<Record<string, GradientValue>>;

export interface GradientOptions {
  /**
   * Prefix on gradient keys: with "grad.", the gradient of `classifier.weight` is looked up as
   * `grad.classifier.weight` (the training graph's output names). Default "".
   */
  readonly prefix?: string;
  /**
   * Optimizers only: multiply every gradient by this factor as it is read (default 1). Passing
   * clipCoefficient(norm, maxNorm) here clips without a separate pass over the gradients.
   */
  readonly scale?: number;
  /**
   * Optimizers only: parameters left untouched this step — no update, no weight decay, no step
   * count — as PyTorch's optimizers skip parameters whose .grad is None (e.g. the layers LayerDrop
   * skipped in every micro-batch of the step). Their gradients need not be passed.
   */
  readonly skip?: ReadonlySet<string>;
}

/** The entries of a Map or plain object, in insertion order. */
export function namedEntries<T>(source: ReadonlyMap<string, T> | Readonly<Record<string, T>>): [string, T][] {
  if (source instanceof Map) return [...source.entries()];
  if (source === null || typeof source !== "object") {
    throw new GradientMismatchError(`expected a Map or an object of name → Float32Array, got ${describeValue(source)}`, undefined);
  }
  return Object.entries(source as Record<string, T>);
}

/** Looks a value up in a Map or plain object without touching prototype properties. */
export function lookup<T>(source: ReadonlyMap<string, T> | Readonly<Record<string, T>>, key: string): T | undefined {
  if (source instanceof Map) return source.get(key);
  return Object.prototype.hasOwnProperty.call(source, key) ? (source as Record<string, T>)[key] : undefined;
}

/**
 * The gradient of `name` as a Float32Array of exactly `length` elements. A missing gradient or one
 * of the wrong kind or length is an error naming the parameter: silently skipping it (what torch
 * does for `grad is None`) would hide a misnamed or disconnected parameter.
 */
export function gradientFor(grads: GradientSource, name: string, length: number, options: GradientOptions = {}): Float32Array {
  const key = (options.prefix ?? "") + name;
  const value = lookup(grads, key);
  if (value === undefined) {
    const keys = namedEntries(grads).map(([k]) => k);
    const hint = keys.length === 0 ? "no gradients were passed" : `gradients were passed for ${keys.length} names, e.g. "${keys[0]}"`;
    throw new GradientMismatchError(`no gradient "${key}" for parameter "${name}" (${hint}); pass one gradient per trainable parameter`, name);
  }
  const data = value instanceof Float32Array ? value : (value as { data: unknown }).data;
  if (!(data instanceof Float32Array)) {
    throw new GradientMismatchError(`gradient "${key}" must be float32 (a Float32Array or a float32 tensor), got ${describeValue(data)}`, name);
  }
  if (data.length !== length) {
    throw new GradientMismatchError(`gradient "${key}" has ${data.length} elements but parameter "${name}" has ${length}; the gradient belongs to a different tensor`, name);
  }
  return data;
}

/** Validates the parameter table once (names, array types) and returns it as ordered entries. */
export function parameterEntries(params: NamedArrays, what = "parameter"): [string, Float32Array][] {
  const entries = namedEntries(params);
  if (entries.length === 0) throw new GradientMismatchError(`no ${what}s were given; pass the trainable parameters by name`, undefined);
  for (const [name, array] of entries) {
    if (!(array instanceof Float32Array)) {
      throw new GradientMismatchError(`${what} "${name}" must be a Float32Array, got ${describeValue(array)}`, name);
    }
  }
  return entries;
}
