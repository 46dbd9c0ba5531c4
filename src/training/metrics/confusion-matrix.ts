/**
 * Accuracy and the confusion matrix (scikit-learn conventions): entry [i][j] counts examples of
 * true class labels[i] predicted as labels[j] — rows are true classes, columns predictions.
 */
import { describeValue } from "../../errors.js";
import { MetricError } from "../errors.js";
import { checkPair, resolveLabels, type ClassIds, type LabelSetOptions } from "./label-arrays.js";

/** Fraction of examples whose prediction equals the truth. */
export function accuracyScore(yTrue: ClassIds, yPred: ClassIds): number {
  checkPair(yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

export interface ConfusionMatrixOptions extends LabelSetOptions {
  /** Divide by row sums ("true"), column sums ("pred") or the total ("all"); 0/0 gives 0. */
  normalize?: "true" | "pred" | "all";
}

/**
 * The confusion matrix over the chosen labels (default: the sorted ids present). Examples whose
 * true or predicted id is not among the labels are left out, as in scikit-learn.
 */
export function confusionMatrix(yTrue: ClassIds, yPred: ClassIds, options: ConfusionMatrixOptions = {}): number[][] {
  checkPair(yTrue, yPred);
  const labels = resolveLabels(yTrue, yPred, options);
  const index = new Map(labels.map((l, i) => [l, i]));
  const n = labels.length;
  const matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let k = 0; k < yTrue.length; k++) {
    const i = index.get(yTrue[k]!);
    const j = index.get(yPred[k]!);
    if (i !== undefined && j !== undefined) matrix[i]![j]!++;
  }
  const normalize = options.normalize;
  if (normalize === undefined) return matrix;
  if (normalize !== "true" && normalize !== "pred" && normalize !== "all") {
    throw new MetricError(`normalize must be "true", "pred" or "all", got ${describeValue(normalize)}`);
  }
  return normalizeMatrix(matrix, normalize);
}

/** A normalised copy of a count matrix (np.nan_to_num: empty rows/columns become 0). */
export function normalizeMatrix(matrix: readonly (readonly number[])[], normalize: "true" | "pred" | "all"): number[][] {
  const n = matrix.length;
  const rowSums = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = Array.from({ length: n }, (_, j) => matrix.reduce((a, row) => a + row[j]!, 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  return matrix.map((row, i) =>
    row.map((v, j) => {
      const d = normalize === "true" ? rowSums[i]! : normalize === "pred" ? colSums[j]! : total;
      return d === 0 ? 0 : v / d;
    }),
  );
}
