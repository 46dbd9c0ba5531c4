/**
 * Precision, recall, F-beta and support per class, and their averages, with the semantics of
 * scikit-learn's precision_recall_fscore_support (1.3+):
 *
 *  - per class c: precision = tp/(tp+fp), recall = tp/(tp+fn),
 *    F_β = (1+β²)·tp / ((1+β²)·tp + β²·fn + fp), support = tp+fn;
 *  - a zero denominator gives `zeroDivision` (0 by default, 1, or NaN). So a class absent from
 *    both y_true and y_pred (listed through labels/numClasses) scores zeroDivision in all three;
 *  - "macro": the unweighted mean over classes; "weighted": weighted by support; NaN entries
 *    (zeroDivision NaN) are left out of both, and if every weight is 0 the plain mean is taken
 *    (sklearn's _nanaverage); "micro": tp, fp, fn summed over classes first; "binary": the
 *    scores of posLabel (data with at most two classes); "none": per class.
 */
import { describeValue } from "../../errors.js";
import { MetricError } from "../errors.js";
import { checkPair, checkZeroDivision, presentLabels, resolveLabels, type ClassIds, type LabelSetOptions } from "./label-arrays.js";

export type Average = "macro" | "micro" | "weighted" | "binary" | "none";

export interface PrfOptions extends LabelSetOptions {
  /** Weight of recall against precision in the F-score. Default 1 (F1). */
  beta?: number;
  /** Value for 0/0: 0 (default), 1 or NaN (NaN is skipped by the averages). */
  zeroDivision?: number;
  /** The positive class for average "binary". Default 1. */
  posLabel?: number;
}

export interface PerClassScores {
  /** The class ids, in the order of the other arrays. */
  readonly labels: number[];
  readonly precision: number[];
  readonly recall: number[];
  readonly fScore: number[];
  /** True examples per class. */
  readonly support: number[];
}

export interface AveragedScores {
  readonly precision: number;
  readonly recall: number;
  readonly fScore: number;
}

interface Counts {
  tp: number[];
  predicted: number[];
  actual: number[];
}

function countPerLabel(yTrue: ClassIds, yPred: ClassIds, labels: readonly number[]): Counts {
  const index = new Map(labels.map((l, i) => [l, i]));
  const tp = new Array<number>(labels.length).fill(0);
  const predicted = new Array<number>(labels.length).fill(0);
  const actual = new Array<number>(labels.length).fill(0);
  for (let k = 0; k < yTrue.length; k++) {
    const t = index.get(yTrue[k]!);
    const p = index.get(yPred[k]!);
    if (t !== undefined) actual[t]!++;
    if (p !== undefined) predicted[p]!++;
    if (t !== undefined && yTrue[k] === yPred[k]) tp[t]!++;
  }
  return { tp, predicted, actual };
}

function divide(numerator: number, denominator: number, zeroDivision: number): number {
  return denominator === 0 ? zeroDivision : numerator / denominator;
}

function scores(counts: Counts, beta: number, zeroDivision: number): { precision: number[]; recall: number[]; fScore: number[] } {
  const b2 = beta * beta;
  const precision = counts.tp.map((tp, i) => divide(tp, counts.predicted[i]!, zeroDivision));
  const recall = counts.tp.map((tp, i) => divide(tp, counts.actual[i]!, zeroDivision));
  let fScore: number[];
  if (beta === Infinity) fScore = recall;
  else if (beta === 0) fScore = precision;
  else fScore = counts.tp.map((tp, i) => divide((1 + b2) * tp, b2 * counts.actual[i]! + counts.predicted[i]!, zeroDivision));
  return { precision, recall, fScore };
}

/** sklearn's _nanaverage: a weighted mean skipping NaN; all-zero weights fall back to the plain mean. */
export function nanAverage(values: readonly number[], weights?: readonly number[]): number {
  const keep = values.flatMap((v, i) => (Number.isNaN(v) ? [] : [i]));
  if (keep.length === 0) return NaN;
  const plain = keep.reduce((a, i) => a + values[i]!, 0) / keep.length;
  if (weights === undefined) return plain;
  const totalWeight = keep.reduce((a, i) => a + weights[i]!, 0);
  if (totalWeight === 0) return plain;
  return keep.reduce((a, i) => a + values[i]! * weights[i]!, 0) / totalWeight;
}

function checkBeta(beta: unknown): number {
  const b = beta === undefined ? 1 : beta;
  if (typeof b !== "number" || Number.isNaN(b) || b < 0) throw new MetricError(`beta must be a number ≥ 0 (Infinity allowed), got ${describeValue(beta)}`);
  return b;
}

const AVERAGES: readonly Average[] = ["macro", "micro", "weighted", "binary", "none"];

export function precisionRecallFscoreSupport(yTrue: ClassIds, yPred: ClassIds, options: PrfOptions & { average: "none" }): PerClassScores;
export function precisionRecallFscoreSupport(yTrue: ClassIds, yPred: ClassIds, options: PrfOptions & { average: Exclude<Average, "none"> }): AveragedScores;
export function precisionRecallFscoreSupport(yTrue: ClassIds, yPred: ClassIds, options: PrfOptions & { average: Average }): PerClassScores | AveragedScores;
/** Precision, recall, F-beta (and support, per class) — see the file comment for the semantics. */
export function precisionRecallFscoreSupport(yTrue: ClassIds, yPred: ClassIds, options: PrfOptions & { average: Average }): PerClassScores | AveragedScores {
  checkPair(yTrue, yPred);
  const average = options.average;
  if (!AVERAGES.includes(average)) {
    throw new MetricError(`average must be one of ${AVERAGES.map((a) => JSON.stringify(a)).join(", ")}, got ${describeValue(average)}`);
  }
  const beta = checkBeta(options.beta);
  const zeroDivision = checkZeroDivision(options.zeroDivision);
  let labels: number[];
  if (average === "binary") {
    const present = presentLabels(yTrue, yPred);
    if (present.length > 2) {
      throw new MetricError(`average "binary" needs at most two classes, but the data has ${present.length} (${present.join(", ")}); use "macro", "micro" or "weighted"`);
    }
    const posLabel = options.posLabel ?? 1;
    if (!present.includes(posLabel) && present.length >= 2) {
      throw new MetricError(`posLabel ${String(posLabel)} is not a valid label; it should be one of ${present.join(", ")}`);
    }
    labels = [posLabel];
  } else {
    labels = resolveLabels(yTrue, yPred, options);
  }
  const counts = countPerLabel(yTrue, yPred, labels);
  if (average === "micro") {
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const micro = scores({ tp: [sum(counts.tp)], predicted: [sum(counts.predicted)], actual: [sum(counts.actual)] }, beta, zeroDivision);
    return { precision: micro.precision[0]!, recall: micro.recall[0]!, fScore: micro.fScore[0]! };
  }
  const perClass = scores(counts, beta, zeroDivision);
  if (average === "none") return { labels, ...perClass, support: counts.actual };
  const weights = average === "weighted" ? counts.actual : undefined;
  return {
    precision: nanAverage(perClass.precision, weights),
    recall: nanAverage(perClass.recall, weights),
    fScore: nanAverage(perClass.fScore, weights),
  };
}

export type AverageOption = PrfOptions & { average?: Exclude<Average, "none"> };

/** Averaged precision (default average "macro"). */
export function precisionScore(yTrue: ClassIds, yPred: ClassIds, options: AverageOption = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, { ...options, average: options.average ?? "macro" }).precision;
}

/** Averaged recall (default average "macro"). */
export function recallScore(yTrue: ClassIds, yPred: ClassIds, options: AverageOption = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, { ...options, average: options.average ?? "macro" }).recall;
}

/** Averaged F-beta (default average "macro"). */
export function fbetaScore(yTrue: ClassIds, yPred: ClassIds, beta: number, options: AverageOption = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, { ...options, beta, average: options.average ?? "macro" }).fScore;
}

/** Averaged F1 (default average "macro"). */
export function f1Score(yTrue: ClassIds, yPred: ClassIds, options: Omit<AverageOption, "beta"> = {}): number {
  return fbetaScore(yTrue, yPred, 1, options);
}
