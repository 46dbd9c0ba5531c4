/** An evaluation as people read it: scikit-learn's classification report, the averages, the confusion matrix. */
import { formatMetricsTable, type EvaluationResult } from "../training/index.js";

const f = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? "-" : x.toFixed(4));

export function formatEvaluation(result: EvaluationResult): string {
  const m = result.metrics;
  let text = "";
  if (result.report) text += `${formatMetricsTable(result.report, { digits: 4 })}\n`;
  text += `loss ${f(m.loss)}  accuracy ${f(m.accuracy)}  (${result.samples} examples)\n`;
  text += `${"".padEnd(9)} ${"precision".padStart(9)} ${"recall".padStart(9)} ${"f1".padStart(9)}\n`;
  for (const average of ["macro", "micro", "weighted"]) {
    text += `${average.padEnd(9)} ${f(m[`precision_${average}`]).padStart(9)} ${f(m[`recall_${average}`]).padStart(9)} ${f(m[`f1_${average}`]).padStart(9)}\n`;
  }
  const matrix = result.confusionMatrix;
  if (matrix) {
    const labels = result.labels;
    const width = Math.max(4, ...labels.map((l) => l.length), ...matrix.flat().map((v) => String(v).length));
    text += `\nconfusion matrix (rows: true label, columns: predicted)\n`;
    text += `${"".padEnd(width)} ${labels.map((l) => l.padStart(width)).join(" ")}\n`;
    matrix.forEach((row, i) => (text += `${labels[i]!.padEnd(width)} ${row.map((v) => String(v).padStart(width)).join(" ")}\n`));
  }
  return text;
}
