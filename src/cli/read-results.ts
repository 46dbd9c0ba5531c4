/**
 * Reading results back (for `--resume`): the json, jsonl and csv files the CLI writes, and the
 * JSONL journal of a run that was killed. A journal's last line may have been cut short by the
 * kill; it is dropped, and that file is simply done again.
 */
import { InvalidArgumentError } from "../errors.js";
import type { FileResult, OutputFormat, Prediction } from "./output-format.js";

function isRecord(value: unknown): value is FileResult {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  if (typeof r["file"] !== "string") return false;
  if (Array.isArray(r["predictions"])) return true;
  const error = r["error"] as Record<string, unknown> | undefined;
  return typeof error === "object" && error !== null && typeof error["type"] === "string" && typeof error["message"] === "string";
}

/** JSON Lines; an unparsable line is an error unless it is the last one (a write cut short). */
export function parseJsonLines(text: string, source: string): FileResult[] {
  const lines = text.split("\n");
  const out: FileResult[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (isRecord(value)) out.push(value);
    else if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l.trim() !== "")) {
      throw new InvalidArgumentError(`${source}: line ${i + 1} is not a result record; it cannot be resumed from (move it away to start over)`);
    }
  });
  return out;
}

/** Splits RFC 4180 CSV into rows of fields. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (c !== "\r") field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

function parseCsv(text: string, source: string): FileResult[] {
  const [header, ...rows] = csvRows(text);
  if (header === undefined) return [];
  if (header.join(",") !== "file,rank,label,score,error_type,error_message") {
    throw new InvalidArgumentError(`${source}: its header is not audioclass's (file,rank,label,score,error_type,error_message); it cannot be resumed from`);
  }
  const byFile = new Map<string, FileResult>();
  for (const [file, rank, label, score, errorType, errorMessage] of rows) {
    if (file === undefined || errorMessage === undefined) continue; // a row cut short
    if (errorType !== "") {
      byFile.set(file, { file, error: { type: errorType ?? "", message: errorMessage } });
      continue;
    }
    const existing = byFile.get(file);
    const predictions: Prediction[] = existing !== undefined && "predictions" in existing && rank !== "1" ? existing.predictions : [];
    predictions.push({ label: label ?? "", score: Number(score) });
    byFile.set(file, { file, predictions });
  }
  return [...byFile.values()];
}

/** Records of a finished output file in `format`. */
export function parseResults(text: string, format: OutputFormat, source: string): FileResult[] {
  switch (format) {
    case "jsonl":
      return parseJsonLines(text, source);
    case "csv":
      return parseCsv(text, source);
    case "json": {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new InvalidArgumentError(`${source}: not valid JSON; it cannot be resumed from (move it away to start over)`);
      }
      if (!Array.isArray(value) || !value.every(isRecord)) throw new InvalidArgumentError(`${source}: not an array of result records; it cannot be resumed from`);
      return value;
    }
    case "table":
      throw new InvalidArgumentError(`--resume needs --format json, jsonl or csv (a table cannot be read back)`);
  }
}
