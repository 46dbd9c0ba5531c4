/**
 * Checking the (y_true, y_pred) pairs metrics take — class ids as non-negative integers, equal
 * lengths — and choosing the classes to score: explicit `labels`, all ids below `numClasses`,
 * or (scikit-learn's default) the sorted union of the ids present in either array.
 */
import { describeValue } from "../../errors.js";
import { MetricError } from "../errors.js";

/** Class ids, one per example: Int32Array, number[], … */
export type ClassIds = ArrayLike<number>;

export interface LabelSetOptions {
  /** The class ids to score, in report order (may include ids absent from the data). */
  labels?: readonly number[];
  /** Score the ids 0 … numClasses − 1 (every class of the model, present or not). */
  numClasses?: number;
}

function checkIds(name: string, ids: unknown): asserts ids is ClassIds {
  if (ids === null || typeof ids !== "object" || typeof (ids as ClassIds).length !== "number") {
    throw new MetricError(`${name} must be an array of class ids (Int32Array or number[]), got ${describeValue(ids)}`);
  }
  const arr = ids as ClassIds;
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      throw new MetricError(`${name}[${i}] is ${describeValue(v)}; class ids must be whole numbers ≥ 0 (take the argmax of logits first)`);
    }
  }
}

/** Validates a pair of id arrays of equal, non-zero length. */
export function checkPair(yTrue: unknown, yPred: unknown): void {
  checkIds("yTrue", yTrue);
  checkIds("yPred", yPred);
  if (yTrue.length !== yPred.length) throw new MetricError(`yTrue has ${yTrue.length} entries but yPred has ${yPred.length}; pass one prediction per example`);
  if (yTrue.length === 0) throw new MetricError("yTrue and yPred are empty; metrics need at least one example");
}

/** Sorted distinct ids occurring in either array. */
export function presentLabels(yTrue: ClassIds, yPred: ClassIds): number[] {
  const set = new Set<number>();
  for (let i = 0; i < yTrue.length; i++) set.add(yTrue[i]!);
  for (let i = 0; i < yPred.length; i++) set.add(yPred[i]!);
  return [...set].sort((a, b) => a - b);
}

/** The classes to score, per the options (see the file comment). */
export function resolveLabels(yTrue: ClassIds, yPred: ClassIds, options: LabelSetOptions): number[] {
  if (options.labels !== undefined && options.numClasses !== undefined) {
    throw new MetricError("pass either labels or numClasses, not both");
  }
  if (options.numClasses !== undefined) {
    const n = options.numClasses;
    if (!Number.isInteger(n) || n < 1) throw new MetricError(`numClasses must be a whole number ≥ 1, got ${describeValue(n)}`);
    for (const [name, ids] of [["yTrue", yTrue], ["yPred", yPred]] as const) {
      for (let i = 0; i < ids.length; i++) {
        if (ids[i]! >= n) throw new MetricError(`${name}[${i}] is ${ids[i]}, but numClasses is ${n} (ids 0 … ${n - 1})`);
      }
    }
    return Array.from({ length: n }, (_, i) => i);
  }
  if (options.labels !== undefined) {
    const labels = [...options.labels];
    if (labels.length === 0) throw new MetricError("labels is empty; list at least one class id");
    const seen = new Set<number>();
    for (const l of labels) {
      if (!Number.isInteger(l) || l < 0) throw new MetricError(`labels contains ${describeValue(l)}; class ids must be whole numbers ≥ 0`);
      if (seen.has(l)) throw new MetricError(`labels lists class ${l} twice`);
      seen.add(l);
    }
    return labels;
  }
  return presentLabels(yTrue, yPred);
}

/** Checks a zero_division value: 0, 1 or NaN (scikit-learn's 0.0, 1.0, np.nan). */
export function checkZeroDivision(value: unknown): number {
  const v = value === undefined ? 0 : value;
  if (typeof v !== "number" || !(v === 0 || v === 1 || Number.isNaN(v))) {
    throw new MetricError(`zeroDivision must be 0, 1 or NaN, got ${describeValue(value)}`);
  }
  return v;
}
