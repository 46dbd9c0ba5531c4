/** From model outputs to class ids, for the metrics. */
import { describeValue } from "../../errors.js";
import { MetricError } from "../errors.js";

/**
 * The index of the largest value in each row of a row-major [rows, numClasses] array (ties: the
 * first, as numpy.argmax). NaN is never the maximum unless a row is all NaN (then 0).
 */
export function argmaxRows(values: ArrayLike<number>, numClasses: number): Int32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new MetricError(`numClasses must be a whole number ≥ 1, got ${describeValue(numClasses)}`);
  if (values.length % numClasses !== 0) {
    throw new MetricError(`${values.length} values do not split into rows of ${numClasses}; pass logits shaped [examples, numClasses]`);
  }
  const rows = values.length / numClasses;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < numClasses; c++) {
      const v = values[r * numClasses + c]!;
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}
