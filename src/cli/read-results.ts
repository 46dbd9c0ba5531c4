/**
 * Reading results back (for `--resume`): the json, jsonl and csv files the CLI writes — one
 * record per clip, per window or per event — and the JSONL journal of a run that was killed
 * (one line per finished file). A journal's last line may have been cut short by the kill; it
 * is dropped, and that file is simply done again.
 */
import { InvalidArgumentError } from "../errors.js";
import { CSV_HEADERS, type FileResult, type LabelEvent, type OutputFormat, type Prediction, type RecordMode, type WindowScores } from "./output-format.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isError = (v: unknown): boolean => isObject(v) && typeof v["type"] === "string" && typeof v["message"] === "string";

/** A per-file result as the journal holds it, or a flat output record; undefined if neither. */
function asRecord(value: unknown): Json | undefined {
  if (!isObject(value) || typeof value["file"] !== "string") return undefined;
  if (Array.isArray(value["predictions"]) || Array.isArray(value["segments"]) || Array.isArray(value["events"]) || isError(value["error"])) return value;
  if (typeof value["label"] === "string" && typeof value["start"] === "number") return value; // an event record
  return undefined;
}

/** Flat output records (a window or event each) grouped back into one result per file. */
function groupRecords(records: readonly Json[]): FileResult[] {
  const byFile = new Map<string, FileResult>();
  for (const r of records) {
    const file = r["file"] as string;
    if (isError(r["error"]) || Array.isArray(r["segments"]) || (Array.isArray(r["events"]) && r["label"] === undefined)) {
      byFile.set(file, r as unknown as FileResult);
    } else if (typeof r["start"] === "number" && Array.isArray(r["predictions"])) {
      const existing = byFile.get(file);
      const segments: WindowScores[] = existing !== undefined && "segments" in existing ? existing.segments : [];
      segments.push({ start: r["start"], end: r["end"] as number, predictions: r["predictions"] as Prediction[] });
      byFile.set(file, { file, segments });
    } else if (typeof r["label"] === "string") {
      const existing = byFile.get(file);
      const events: LabelEvent[] = existing !== undefined && "events" in existing ? existing.events : [];
      events.push({ label: r["label"], start: r["start"] as number, end: r["end"] as number, score: r["score"] as number });
      byFile.set(file, { file, events });
    } else {
      byFile.set(file, r as unknown as FileResult);
    }
  }
  return [...byFile.values()];
}

/** JSON Lines; an unparsable line is an error unless it is the last one (a write cut short). */
export function parseJsonLines(text: string, source: string): FileResult[] {
  const lines = text.split("\n");
  const records: Json[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const record = asRecord(value);
    if (record !== undefined) records.push(record);
    else if (lines.slice(i + 1).some((l) => l.trim() !== "")) {
      throw new InvalidArgumentError(`${source}: line ${i + 1} is not a result record; it cannot be resumed from (move it away to start over)`);
    }
  });
  return groupRecords(records);
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
  const mode = (Object.keys(CSV_HEADERS) as RecordMode[]).find((m) => CSV_HEADERS[m].trim() === header.join(","));
  if (mode === undefined) throw new InvalidArgumentError(`${source}: its header is not one audioclass writes; it cannot be resumed from`);
  const names = header;
  const records: Json[] = [];
  let previous: Json | undefined;
  for (const fields of rows) {
    if (fields.length !== names.length) continue; // a row cut short
    const r = Object.fromEntries(names.map((n, i) => [n, fields[i]!])) as Record<string, string>;
    const file = r["file"]!;
    if (r["error_type"] !== "") {
      records.push({ file, error: { type: r["error_type"], message: r["error_message"] } });
      previous = undefined;
      continue;
    }
    if (mode === "events") {
      records.push({ file, label: r["label"], start: Number(r["start"]), end: Number(r["end"]), score: Number(r["score"]) });
      continue;
    }
    const prediction = { label: r["label"]!, score: Number(r["score"]) };
    // rank 1 starts a clip (or a window); further ranks extend it
    if (r["rank"] !== "1" && previous !== undefined && previous["file"] === file) {
      (previous["predictions"] as Prediction[]).push(prediction);
      continue;
    }
    previous = mode === "windows" ? { file, start: Number(r["start"]), end: Number(r["end"]), predictions: [prediction] } : { file, predictions: [prediction] };
    records.push(previous);
  }
  return groupRecords(records);
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
      if (!Array.isArray(value) || !value.every((v) => asRecord(v) !== undefined)) throw new InvalidArgumentError(`${source}: not an array of result records; it cannot be resumed from`);
      return groupRecords(value as Json[]);
    }
    case "table":
      throw new InvalidArgumentError(`--resume needs --format json, jsonl or csv (a table cannot be read back)`);
  }
}
