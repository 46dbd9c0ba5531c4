/**
 * training_report.html: a training run on one page, for people who do not run TensorBoard —
 * loss (training and evaluation), learning rate, gradient norm and evaluation metrics over the
 * optimizer steps, the confusion matrix and per-class scores of the kept model (the best
 * evaluation when the best model is loaded at the end, else the last), and the run's settings.
 * The Trainer rewrites it after every log entry, so it can be reloaded while training runs.
 */
import type { ClassificationReport } from "../metrics/index.js";
import { confusionMatrixSvg } from "../metrics/index.js";
import type { TrainerLogEntry } from "../training-log.js";
import { escapeHtml, figure, formatScore, htmlPage, htmlTable, type Cell } from "./html-page.js";
import { lineChartSvg, type ChartSeries } from "./line-chart-svg.js";

export const TRAINING_REPORT_FILE = "training_report.html";

export type TrainingStatus = "running" | "finished" | "stopped early" | "failed";

export interface ReportedEvaluation {
  readonly step: number;
  /** True when this is the best evaluation so far (by metricForBestModel). */
  readonly best: boolean;
  readonly labels: readonly string[];
  readonly confusionMatrix?: readonly (readonly number[])[];
  readonly report?: ClassificationReport;
}

export interface TrainingReportInput {
  /** The model trained (a folder, hub id or config path). */
  readonly model: string;
  readonly outputDir: string;
  readonly entries: readonly TrainerLogEntry[];
  readonly status: TrainingStatus;
  readonly maxSteps: number;
  readonly metricForBestModel: string;
  readonly bestStep?: number | null;
  /** The evaluation whose confusion matrix is shown. */
  readonly evaluation?: ReportedEvaluation;
  readonly trainingArgs: Readonly<Record<string, unknown>>;
  /** TensorBoard folder, when the run reports there. */
  readonly tensorboardDir?: string;
  readonly generatedAt?: Date;
}

function series(entries: readonly TrainerLogEntry[], type: TrainerLogEntry["type"], key: string, name: string): ChartSeries {
  return { name, points: entries.filter((e) => e.type === type && typeof e[key] === "number").map((e) => [e.step, e[key] as number] as const) };
}

const SETTINGS: readonly (readonly [string, string])[] = [
  ["learning_rate", "learning rate"],
  ["lr_scheduler_type", "schedule"],
  ["warmup_ratio", "warm-up ratio"],
  ["per_device_train_batch_size", "batch size"],
  ["gradient_accumulation_steps", "gradient accumulation"],
  ["num_train_epochs", "epochs"],
  ["max_steps", "optimizer steps"],
  ["weight_decay", "weight decay"],
  ["max_grad_norm", "max gradient norm"],
  ["freeze", "frozen"],
  ["augmentation", "augmentation"],
  ["normalization_mean", "feature mean (training set)"],
  ["normalization_std", "feature std (training set)"],
  ["seed", "seed"],
  ["train_examples", "training examples"],
  ["eval_examples", "evaluation examples"],
];

function settingCell(value: unknown): Cell {
  if (typeof value === "number" || typeof value === "string") return value;
  if (value === null || value === undefined) return "none";
  return JSON.stringify(value);
}

export function trainingReportHtml(input: TrainingReportInput): string {
  const { entries } = input;
  const evals = entries.filter((e) => e.type === "eval");
  const trains = entries.filter((e) => e.type === "train");
  const end = entries.find((e) => e.type === "end");
  const lastStep = entries.at(-1)?.step ?? 0;
  const lastEpoch = entries.at(-1)?.epoch ?? 0;
  const title = `Training report — ${input.model}`;
  const body: string[] = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(input.status)}: step ${lastStep} of ${input.maxSteps}, epoch ${lastEpoch.toFixed(2)} · output <code>${escapeHtml(input.outputDir)}</code></p>`,
    `<p class="meta">written ${escapeHtml((input.generatedAt ?? new Date()).toISOString().replace("T", " ").slice(0, 19))} UTC${input.tensorboardDir ? ` · live curves: <code>tensorboard --logdir ${escapeHtml(input.tensorboardDir)}</code>` : ""}</p>`,
  ];

  const summary: [string, Cell][] = [];
  const lastTrain = trains.at(-1);
  if (lastTrain) summary.push(["latest training loss", formatScore(lastTrain["loss"] as number)]);
  if (end) {
    summary.push(["mean training loss", formatScore(end["train_loss"] as number)], ["training time (s)", (end["train_runtime"] as number).toFixed(1)], ["samples per second", (end["train_samples_per_second"] as number).toFixed(1)]);
  }
  const metric = `eval_${input.metricForBestModel}`;
  const best = evals.find((e) => e.step === input.bestStep);
  if (best && typeof best[metric] === "number") summary.push([`best ${metric} (step ${best.step})`, formatScore(best[metric] as number)]);
  const lastEval = evals.at(-1);
  if (lastEval) {
    for (const key of ["eval_loss", "eval_accuracy", "eval_f1", "eval_precision", "eval_recall"]) {
      if (typeof lastEval[key] === "number") summary.push([`latest ${key} (step ${lastEval.step})`, formatScore(lastEval[key] as number)]);
    }
  }
  body.push(`<h2>Summary</h2>`, summary.length ? htmlTable(["", "value"], summary) : `<p class="note">Nothing logged yet (the first entry comes after ${String(input.trainingArgs["logging_steps"] ?? "logging_steps")} steps).</p>`);

  const charts = [
    lineChartSvg({ title: "Loss", xLabel: "optimizer step", yLabel: "cross-entropy loss", series: [series(entries, "train", "loss", "training loss"), series(entries, "eval", "eval_loss", "evaluation loss")].filter((s) => s.points.length > 0 || s.name === "training loss") }),
    lineChartSvg({ title: "Learning rate", xLabel: "optimizer step", yLabel: "learning rate", series: [series(entries, "train", "learning_rate", "learning rate")] }),
    lineChartSvg({ title: "Gradient norm", xLabel: "optimizer step", yLabel: "norm before clipping (log)", series: [series(entries, "train", "grad_norm", "gradient norm")], logY: true }),
  ];
  if (evals.length > 0) {
    const metricSeries = ["accuracy", "f1", "precision", "recall"].map((m) => series(entries, "eval", `eval_${m}`, m)).filter((s) => s.points.length > 0);
    charts.push(lineChartSvg({ title: "Evaluation metrics", xLabel: "optimizer step", yLabel: "score (0 – 1)", yRange: [0, 1], series: metricSeries }));
  }
  body.push(`<h2>Curves</h2>`, `<div class="charts">`, ...charts.map((svg) => figure(svg)), `</div>`);

  const ev = input.evaluation;
  if (ev?.confusionMatrix) {
    const which = ev.best ? "the best evaluation, the model kept" : "the latest evaluation";
    body.push(
      `<h2>Confusion matrix</h2>`,
      `<p class="note">At step ${ev.step} (${which}). Rows are true classes, columns predictions.</p>`,
      figure(confusionMatrixSvg(ev.confusionMatrix, ev.labels, { title: `Confusion matrix at step ${ev.step}` })),
    );
    if (ev.report) body.push(perClassTable(ev.report));
  } else if (evals.length === 0) {
    body.push(`<h2>Confusion matrix</h2>`, `<p class="note">No evaluation in this run: pass evaluation data (evalData / --eval-data, or evalSplit / --eval-split) to see one.</p>`);
  }

  body.push(`<h2>Settings</h2>`, htmlTable(["setting", "value"], SETTINGS.filter(([key]) => key in input.trainingArgs).map(([key, name]) => [name, settingCell(input.trainingArgs[key])])));
  body.push(`<p class="note">Every entry is in <code>training_log.jsonl</code>; the Trainer's state in <code>trainer_state.json</code>.</p>`);
  return htmlPage(title, body);
}

/** Per-class precision, recall, F1 and support. */
export function perClassTable(report: ClassificationReport): string {
  const row = (name: string, r: { precision: number; recall: number; f1: number; support: number }): Cell[] => [name, formatScore(r.precision), formatScore(r.recall), formatScore(r.f1), r.support];
  const rows: Cell[][] = report.classes.map((c) => row(c.name, c));
  rows.push(row("macro average", report.macroAvg), row("weighted average", report.weightedAvg));
  return htmlTable(["class", "precision", "recall", "F1", "support"], rows);
}
