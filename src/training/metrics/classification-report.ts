/**
 * A classification report — per-class precision / recall / F1 / support with accuracy and the
 * macro and weighted averages — as data (classificationReport) and as the text table
 * scikit-learn's classification_report prints (formatMetricsTable), column for column.
 *
 * When the scored labels do not cover every class present in the data, accuracy is replaced
 * by a "micro avg" row (over the listed labels only), as in scikit-learn. (scikit-learn also
 * prints "micro avg" when the labels list classes absent from the data; its values then equal
 * accuracy, so we keep calling it accuracy.)
 */
import { describeValue } from "../../errors.js";
import { MetricError } from "../errors.js";
import { accuracyScore } from "./confusion-matrix.js";
import { checkPair, presentLabels, resolveLabels, type ClassIds, type LabelSetOptions } from "./label-arrays.js";
import { precisionRecallFscoreSupport } from "./precision-recall-f.js";

export interface ReportRow {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface ClassReportRow extends ReportRow {
  /** Class id. */
  readonly id: number;
  /** Display name. */
  readonly name: string;
}

export interface ClassificationReport {
  readonly classes: readonly ClassReportRow[];
  /** Fraction correct (absent when the labels do not cover every class present; see microAvg). */
  readonly accuracy?: number;
  /** Micro average over the listed labels (only when they do not cover the data). */
  readonly microAvg?: ReportRow;
  readonly macroAvg: ReportRow;
  readonly weightedAvg: ReportRow;
  /** Number of examples whose true class is among the labels. */
  readonly support: number;
}

export interface ReportOptions extends LabelSetOptions {
  /** Class names by id (e.g. a LabelMap's labels); default: the ids as text. */
  labelNames?: readonly string[];
  /** Value for 0/0: 0 (default), 1 or NaN. */
  zeroDivision?: number;
}

/** The report's numbers (see the file comment). */
export function classificationReport(yTrue: ClassIds, yPred: ClassIds, options: ReportOptions = {}): ClassificationReport {
  checkPair(yTrue, yPred);
  const labels = resolveLabels(yTrue, yPred, options);
  const names = options.labelNames;
  const nameOf = (id: number): string => {
    if (names === undefined) return String(id);
    const name = names[id];
    if (typeof name !== "string") throw new MetricError(`labelNames has no name for class id ${id} (it lists ${names.length}); pass one name per class id`);
    return name;
  };
  const labelOptions = { labels, ...(options.zeroDivision !== undefined && { zeroDivision: options.zeroDivision }) };
  const perClass = precisionRecallFscoreSupport(yTrue, yPred, { ...labelOptions, average: "none" });
  const support = perClass.support.reduce((a, b) => a + b, 0);
  const averaged = (average: "macro" | "weighted" | "micro"): ReportRow => {
    const s = precisionRecallFscoreSupport(yTrue, yPred, { ...labelOptions, average });
    return { precision: s.precision, recall: s.recall, f1: s.fScore, support };
  };
  const covered = presentLabels(yTrue, yPred).every((l) => labels.includes(l));
  return {
    classes: labels.map((id, i) => ({
      id,
      name: nameOf(id),
      precision: perClass.precision[i]!,
      recall: perClass.recall[i]!,
      f1: perClass.fScore[i]!,
      support: perClass.support[i]!,
    })),
    ...(covered ? { accuracy: accuracyScore(yTrue, yPred) } : { microAvg: averaged("micro") }),
    macroAvg: averaged("macro"),
    weightedAvg: averaged("weighted"),
    support,
  };
}

/**
 * Python's format(x, ".{digits}f"): like toFixed, except that an exact tie rounds to the even
 * digit (Python gives 0.12 for 0.125, toFixed 0.13).
 */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const rounded = x.toFixed(digits);
  if (digits + 25 > 100) return rounded;
  const exact = Math.abs(x).toFixed(digits + 25);
  const cut = exact.length - 25;
  if (exact[cut] !== "5" || !/^0*$/.test(exact.slice(cut + 1))) return rounded;
  const kept = exact.slice(0, cut);
  const last = kept.replace(".", "").slice(-1);
  if (Number(last) % 2 !== 0) return rounded;
  const truncated = kept.endsWith(".") ? kept.slice(0, -1) : kept;
  return x < 0 ? `-${truncated}` : truncated;
}

/** Python's format(x, ">9.{digits}f"). */
function fixed(x: number, digits: number): string {
  return formatFixed(x, digits).padStart(9);
}

/** The report as scikit-learn's classification_report prints it (digits after the point, default 2). */
export function formatMetricsTable(report: ClassificationReport, options: { digits?: number } = {}): string {
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) throw new MetricError(`digits must be a whole number in 0 … 20, got ${describeValue(digits)}`);
  if (report === null || typeof report !== "object" || !Array.isArray(report.classes)) {
    throw new MetricError(`formatMetricsTable needs the result of classificationReport(), got ${describeValue(report)}`);
  }
  const lastHeading = "weighted avg";
  const width = Math.max(lastHeading.length, digits, ...report.classes.map((c) => c.name.length));
  const headers = ["precision", "recall", "f1-score", "support"];
  // Python's "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
  const row = (heading: string, r: ReportRow): string =>
    `${heading.padStart(width)}  ${fixed(r.precision, digits)} ${fixed(r.recall, digits)} ${fixed(r.f1, digits)} ${String(r.support).padStart(9)}\n`;
  let text = `${"".padStart(width)} ${headers.map((h) => ` ${h.padStart(9)}`).join("")}\n\n`;
  for (const c of report.classes) text += row(c.name, c);
  text += "\n";
  if (report.accuracy !== undefined) {
    text += `${"accuracy".padStart(width)}  ${"".padStart(9)} ${"".padStart(9)} ${fixed(report.accuracy, digits)} ${String(report.support).padStart(9)}\n`;
  } else if (report.microAvg !== undefined) {
    text += row("micro avg", report.microAvg);
  }
  text += row("macro avg", report.macroAvg);
  text += row(lastHeading, report.weightedAvg);
  return text;
}
