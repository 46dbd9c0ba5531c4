/**
 * Output formats shared by the CLI verbs that label files (`classify`, `zero-shot`):
 * json (one array at the end), jsonl and csv (streamed, one record per file), table (for people).
 * Every input gets a record — a failed one carries `error: { type, message }` instead of
 * predictions — so a script reading the output never loses track of a file.
 */
import { InvalidArgumentError, describeValue } from "../errors.js";

export const OUTPUT_FORMATS = ["json", "jsonl", "csv", "table"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface Prediction {
  label: string;
  score: number;
}

export interface FileError {
  /** The error's class name, e.g. "AudioDecodeError". */
  type: string;
  message: string;
}

export interface WindowScores {
  start: number;
  end: number;
  predictions: Prediction[];
}

export interface LabelEvent {
  label: string;
  start: number;
  end: number;
  score: number;
}

/**
 * One input's outcome: its predictions, its windows (`--window`: one record each), its events
 * (`--events`: one record each), or the error that stopped it.
 */
export type FileResult =
  | { file: string; predictions: Prediction[] }
  | { file: string; segments: WindowScores[] }
  | { file: string; events: LabelEvent[] }
  | { file: string; error: FileError };

/** What one output record is: a whole clip, a window of a long input, or an event. */
export type RecordMode = "clips" | "windows" | "events";

export const CSV_HEADERS: Record<RecordMode, string> = {
  clips: "file,rank,label,score,error_type,error_message\n",
  windows: "file,start,end,rank,label,score,error_type,error_message\n",
  events: "file,label,start,end,score,error_type,error_message\n",
};

/** The header of the default (clips) records. */
export const CSV_HEADER = CSV_HEADERS.clips;

/** Seconds as output: rounded to the microsecond, so 0.1 + 0.2 prints as 0.3. */
function seconds(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The flat records a result becomes (an error stays one record). */
export function recordsOf(result: FileResult): Array<Record<string, unknown>> {
  if ("segments" in result) return result.segments.map((s) => ({ file: result.file, start: seconds(s.start), end: seconds(s.end), predictions: s.predictions }));
  if ("events" in result) return result.events.map((e) => ({ file: result.file, label: e.label, start: seconds(e.start), end: seconds(e.end), score: e.score }));
  return [result];
}

export function parseOutputFormat(value: string | undefined, fallback: OutputFormat): OutputFormat {
  if (value === undefined) return fallback;
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new InvalidArgumentError(`--format ${describeValue(value)} is not supported; use one of ${OUTPUT_FORMATS.join(", ")}`);
}

/** RFC 4180 quoting: only when the field holds a comma, quote, CR or LF. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A result as the chosen format writes it (json: array elements, without separators). */
export function formatRecord(format: Exclude<OutputFormat, "json">, result: FileResult, mode: RecordMode = "clips"): string {
  switch (format) {
    case "jsonl":
      return recordsOf(result).map((r) => JSON.stringify(r) + "\n").join("");
    case "csv":
      return csvRows(result, mode);
    case "table":
      return formatTable(result);
  }
}

/** Empty columns before error_type, per mode. */
const BLANKS: Record<RecordMode, string> = { clips: ",,,", windows: ",,,,,", events: ",,,," };

function csvRows(result: FileResult, mode: RecordMode): string {
  const file = csvField(result.file);
  if ("error" in result) return `${file}${BLANKS[mode]},${csvField(result.error.type)},${csvField(result.error.message)}\n`;
  if ("segments" in result) {
    return result.segments
      .flatMap((s) => s.predictions.map((p, i) => `${file},${seconds(s.start)},${seconds(s.end)},${i + 1},${csvField(p.label)},${p.score},,\n`))
      .join("");
  }
  if ("events" in result) return result.events.map((e) => `${file},${csvField(e.label)},${seconds(e.start)},${seconds(e.end)},${e.score},,\n`).join("");
  return result.predictions.map((p, i) => `${file},${i + 1},${csvField(p.label)},${p.score},,\n`).join("");
}

/**
 * Writes results in the chosen format. `add` may be called as results arrive (streamed formats
 * print immediately, in arrival order); `end` prints whatever a format holds back.
 */
export class ResultWriter {
  private readonly pending: Array<Record<string, unknown>> = [];
  private wroteHeader = false;

  constructor(
    private readonly format: OutputFormat,
    private readonly write: (text: string) => void,
    private readonly mode: RecordMode = "clips",
  ) {}

  add(result: FileResult): void {
    if (this.format === "json") {
      this.pending.push(...recordsOf(result));
      return;
    }
    if (this.format === "csv" && !this.wroteHeader) {
      this.write(CSV_HEADERS[this.mode]);
      this.wroteHeader = true;
    }
    this.write(formatRecord(this.format, result, this.mode));
  }

  end(): void {
    if (this.format === "json") this.write(JSON.stringify(this.pending, null, 2) + "\n");
    if (this.format === "csv" && !this.wroteHeader) this.write(CSV_HEADERS[this.mode]);
  }
}

function formatScore(score: number): string {
  return Math.abs(score) >= 1e-4 || score === 0 ? score.toFixed(4) : score.toExponential(2);
}

function predictionLines(predictions: readonly Prediction[], indent: string): string[] {
  const width = Math.max(5, ...predictions.map((p) => p.label.length));
  return predictions.map((p) => `${indent}${p.label.padEnd(width)}  ${formatScore(p.score).padStart(10)}`);
}

function span(start: number, end: number): string {
  return `${start.toFixed(2)}–${end.toFixed(2)} s`;
}

function formatTable(result: FileResult): string {
  if ("error" in result) return `${result.file}\n  failed: ${result.error.type}: ${result.error.message}\n`;
  if ("segments" in result) {
    return result.segments.map((s) => [`${result.file}  ${span(s.start, s.end)}`, ...predictionLines(s.predictions, "  ")].join("\n") + "\n").join("");
  }
  if ("events" in result) {
    const width = Math.max(5, ...result.events.map((e) => e.label.length));
    return [result.file, ...result.events.map((e) => `  ${span(e.start, e.end).padEnd(20)}  ${e.label.padEnd(width)}  ${formatScore(e.score).padStart(10)}`)].join("\n") + "\n";
  }
  return [result.file, ...predictionLines(result.predictions, "  ")].join("\n") + "\n";
}
