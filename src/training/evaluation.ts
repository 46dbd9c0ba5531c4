/**
 * Evaluating a classifier on labelled batches: the mean loss (as the Trainer's eval_loss: the
 * per-example loss averaged over the examples, computed here in float64 from the logits) and
 * the metrics the tutorials compute with `evaluate`:
 *
 * - single-label: accuracy; precision / recall / f1 averaged "macro" for more than two classes
 *   and "binary" (class 1) for two, as the AST tutorial's compute_metrics; plus the _macro,
 *   _micro and _weighted averages; the confusion matrix over every class of the model and the
 *   per-class report. Averages take the classes present in labels or predictions
 *   (scikit-learn's default).
 * - multi-label (sigmoid > 0.5 per class): exact-match accuracy, micro / macro / weighted
 *   precision, recall and f1 over the classes.
 */
import type { Tensor } from "../tensor.js";
import type { Batch } from "./data/batch-loader.js";
import { type ClassificationReport, accuracyScore, argmaxRows, classificationReport, confusionMatrix, precisionRecallFscoreSupport } from "./metrics/index.js";

/** The metric names evaluations report (metricForBestModel takes one of them). */
export const METRIC_NAMES: readonly string[] = ["loss", "accuracy", "precision", "recall", "f1"].flatMap((m) =>
  m === "loss" || m === "accuracy" ? [m] : [m, `${m}_macro`, `${m}_micro`, `${m}_weighted`],
);

export interface EvaluationResult {
  /** loss, accuracy, precision, recall, f1, and the _macro / _micro / _weighted variants. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly labels: readonly string[];
  /** [true class][predicted class] over every label (single-label data). */
  readonly confusionMatrix?: number[][];
  readonly report?: ClassificationReport;
  readonly samples: number;
  readonly runtimeSeconds: number;
  readonly batches: number;
}

export interface EvaluateOptions {
  readonly labels: readonly string[];
  readonly multiLabel: boolean;
}

/** Runs `logitsOf` over the batches and scores the result. */
export async function evaluateBatches(batches: AsyncIterable<Batch>, logitsOf: (inputs: Readonly<Record<string, Tensor>>) => Promise<Float32Array>, options: EvaluateOptions): Promise<EvaluationResult> {
  const started = performance.now();
  const numLabels = options.labels.length;
  const logits: Float32Array[] = [];
  const targets: (Int32Array | Float32Array)[] = [];
  let count = 0;
  for await (const batch of batches) {
    logits.push(await logitsOf(batch.inputs));
    targets.push(batch.labels);
    count++;
  }
  const all = concat(logits, Float32Array);
  const truth = options.multiLabel ? concat(targets as Float32Array[], Float32Array) : concat(targets as Int32Array[], Int32Array);
  const scored = options.multiLabel ? multiLabelScores(all, truth as Float32Array, numLabels) : singleLabelScores(all, truth as Int32Array, options.labels);
  return { ...scored, labels: options.labels, samples: all.length / numLabels, runtimeSeconds: (performance.now() - started) / 1000, batches: count };
}

function concat<T extends Float32Array | Int32Array>(parts: readonly T[], Kind: { new (n: number): T }): T {
  const out = new Kind(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p as never, offset);
    offset += p.length;
  }
  return out;
}

/** Mean cross entropy of logits [n, k] against class ids, in float64. */
export function crossEntropy(logits: ArrayLike<number>, labels: ArrayLike<number>, numLabels: number): number {
  let total = 0;
  for (let r = 0; r < labels.length; r++) {
    let max = -Infinity;
    for (let c = 0; c < numLabels; c++) max = Math.max(max, logits[r * numLabels + c]!);
    let sum = 0;
    for (let c = 0; c < numLabels; c++) sum += Math.exp(logits[r * numLabels + c]! - max);
    total += max + Math.log(sum) - logits[r * numLabels + labels[r]!]!;
  }
  return total / labels.length;
}

/** The accuracy / precision / recall / f1 family for single-label predictions. */
export function classificationMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numLabels: number): Record<string, number> {
  const metrics: Record<string, number> = { accuracy: accuracyScore(yTrue, yPred) };
  for (const average of ["macro", "micro", "weighted"] as const) {
    const s = precisionRecallFscoreSupport(yTrue, yPred, { average });
    metrics[`precision_${average}`] = s.precision;
    metrics[`recall_${average}`] = s.recall;
    metrics[`f1_${average}`] = s.fScore;
  }
  const headline = numLabels === 2 ? precisionRecallFscoreSupport(yTrue, yPred, { average: "binary", numClasses: 2 }) : undefined;
  metrics.precision = headline?.precision ?? metrics.precision_macro!;
  metrics.recall = headline?.recall ?? metrics.recall_macro!;
  metrics.f1 = headline?.fScore ?? metrics.f1_macro!;
  return metrics;
}

function singleLabelScores(logits: Float32Array, truth: Int32Array, labels: readonly string[]) {
  const numLabels = labels.length;
  const predictions = argmaxRows(logits, numLabels);
  const metrics = { loss: crossEntropy(logits, truth, numLabels), ...classificationMetrics(truth, predictions, numLabels) };
  return {
    metrics,
    confusionMatrix: confusionMatrix(truth, predictions, { numClasses: numLabels }),
    report: classificationReport(truth, predictions, { numClasses: numLabels, labelNames: labels }),
  };
}

function multiLabelScores(logits: Float32Array, truth: Float32Array, numLabels: number) {
  const rows = truth.length / numLabels;
  const tp = new Array<number>(numLabels).fill(0);
  const fp = new Array<number>(numLabels).fill(0);
  const fn = new Array<number>(numLabels).fill(0);
  let loss = 0;
  let exact = 0;
  for (let r = 0; r < rows; r++) {
    let rowExact = true;
    for (let c = 0; c < numLabels; c++) {
      const x = logits[r * numLabels + c]!;
      const y = truth[r * numLabels + c]!;
      // BCE with logits, stably: max(x, 0) − x·y + log(1 + e^−|x|)
      loss += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
      const predicted = x > 0;
      const actual = y > 0.5;
      if (predicted && actual) tp[c]!++;
      else if (predicted) fp[c]!++;
      else if (actual) fn[c]!++;
      if (predicted !== actual) rowExact = false;
    }
    if (rowExact) exact++;
  }
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const support = tp.map((t, c) => t + fn[c]!);
  const precision = tp.map((t, c) => ratio(t, t + fp[c]!));
  const recall = tp.map((t, c) => ratio(t, t + fn[c]!));
  const f = precision.map((p, c) => f1(p, recall[c]!));
  const mean = (xs: number[]): number => sum(xs) / numLabels;
  const weighted = (xs: number[]): number => (sum(support) === 0 ? 0 : sum(xs.map((x, c) => x * support[c]!)) / sum(support));
  const microP = ratio(sum(tp), sum(tp) + sum(fp));
  const microR = ratio(sum(tp), sum(tp) + sum(fn));
  const metrics: Record<string, number> = {
    loss: loss / (rows * numLabels),
    accuracy: exact / rows,
    precision_micro: microP,
    recall_micro: microR,
    f1_micro: f1(microP, microR),
    precision_macro: mean(precision),
    recall_macro: mean(recall),
    f1_macro: mean(f),
    precision_weighted: weighted(precision),
    recall_weighted: weighted(recall),
    f1_weighted: weighted(f),
  };
  metrics.precision = metrics.precision_micro!;
  metrics.recall = metrics.recall_micro!;
  metrics.f1 = metrics.f1_micro!;
  return { metrics };
}
