/**
 * The report of `audioclass evaluate --report report.html`: the scores of a model on labelled
 * data — accuracy, precision / recall / F1 with their averages, per-class scores — and the
 * confusion matrix, in counts and as per-class fractions (recall on the diagonal).
 */
import type { EvaluationResult } from "../evaluation.js";
import { confusionMatrixSvg } from "../metrics/index.js";
import { escapeHtml, figure, formatScore, htmlPage, htmlTable, type Cell } from "./html-page.js";
import { perClassTable } from "./training-report.js";

export interface EvaluationReportInput {
  readonly model: string;
  readonly data: string;
  readonly result: EvaluationResult;
  readonly generatedAt?: Date;
}

const METRIC_ROWS: readonly (readonly [string, string])[] = [
  ["accuracy", "accuracy"],
  ["loss", "loss (cross-entropy)"],
  ["precision", "precision"],
  ["recall", "recall"],
  ["f1", "F1"],
  ["f1_macro", "F1, macro average"],
  ["f1_micro", "F1, micro average"],
  ["f1_weighted", "F1, weighted average"],
];

export function evaluationReportHtml(input: EvaluationReportInput): string {
  const { result } = input;
  const title = `Evaluation report — ${input.model}`;
  const body: string[] = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">data <code>${escapeHtml(input.data)}</code> · ${result.samples} examples · ${result.labels.length} classes</p>`,
    `<p class="meta">written ${escapeHtml((input.generatedAt ?? new Date()).toISOString().replace("T", " ").slice(0, 19))} UTC</p>`,
    `<h2>Metrics</h2>`,
    htmlTable(["metric", "value"], METRIC_ROWS.filter(([key]) => typeof result.metrics[key] === "number").map(([key, name]): Cell[] => [name, formatScore(result.metrics[key]!)])),
  ];
  if (result.labels.length === 2) body.push(`<p class="note">Two classes: precision, recall and F1 are for the second class ("${escapeHtml(result.labels[1]!)}"), as scikit-learn's average="binary".</p>`);
  if (result.report) body.push(`<h2>Per class</h2>`, perClassTable(result.report));
  if (result.confusionMatrix) {
    body.push(
      `<h2>Confusion matrix</h2>`,
      `<p class="note">Rows are true classes, columns predictions. Right: each row divided by its total, so the diagonal is each class's recall.</p>`,
      `<div class="charts">`,
      figure(confusionMatrixSvg(result.confusionMatrix, result.labels, { title: `Counts (${result.samples} examples)` })),
      figure(confusionMatrixSvg(result.confusionMatrix, result.labels, { title: "Fraction of each true class", normalize: "true" })),
      `</div>`,
    );
  } else {
    body.push(`<p class="note">Multi-label data: there is no single confusion matrix; the scores above are per label, averaged.</p>`);
  }
  return htmlPage(title, body);
}
