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

export type FileResult = { file: string; predictions: Prediction[] } | { file: string; error: FileError };

export const CSV_HEADER = "file,rank,label,score,error_type,error_message\n";

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

/** One record as the chosen format writes it (json: an array element, without separators). */
export function formatRecord(format: Exclude<OutputFormat, "json">, result: FileResult): string {
  switch (format) {
    case "jsonl":
      return JSON.stringify(result) + "\n";
    case "csv":
      if ("error" in result) return `${csvField(result.file)},,,,${csvField(result.error.type)},${csvField(result.error.message)}\n`;
      return result.predictions.map((p, i) => `${csvField(result.file)},${i + 1},${csvField(p.label)},${p.score},,\n`).join("");
    case "table":
      return formatTable(result);
  }
}

/**
 * Writes results in the chosen format. `add` may be called as results arrive (streamed formats
 * print immediately, in arrival order); `end` prints whatever a format holds back.
 */
export class ResultWriter {
  private readonly pending: FileResult[] = [];
  private wroteHeader = false;

  constructor(
    private readonly format: OutputFormat,
    private readonly write: (text: string) => void,
  ) {}

  add(result: FileResult): void {
    if (this.format === "json") {
      this.pending.push(result);
      return;
    }
    if (this.format === "csv" && !this.wroteHeader) {
      this.write(CSV_HEADER);
      this.wroteHeader = true;
    }
    this.write(formatRecord(this.format, result));
  }

  end(): void {
    if (this.format === "json") this.write(JSON.stringify(this.pending, null, 2) + "\n");
    if (this.format === "csv" && !this.wroteHeader) this.write(CSV_HEADER);
  }
}

function formatTable(result: FileResult): string {
  if ("error" in result) return `${result.file}\n  failed: ${result.error.type}: ${result.error.message}\n`;
  const width = Math.max(5, ...result.predictions.map((p) => p.label.length));
  const lines = [result.file];
  for (const p of result.predictions) {
    const score = Math.abs(p.score) >= 1e-4 || p.score === 0 ? p.score.toFixed(4) : p.score.toExponential(2);
    lines.push(`  ${p.label.padEnd(width)}  ${score.padStart(10)}`);
  }
  return lines.join("\n") + "\n";
}
