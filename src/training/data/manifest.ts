/**
 * Manifests: lists of (audio path, label[, fold]) in CSV (with a header line) or JSON Lines.
 * Relative paths are resolved against the manifest's folder (or `audioRoot`), so a manifest
 * and its audio can move together. Column names are configurable for existing metadata files,
 * e.g. ESC-50's meta/esc50.csv: { pathColumn: "filename", labelColumn: "category",
 * audioRoot: "../audio" }.
 */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { describeValue } from "../../errors.js";
import { TrainingDataError } from "../errors.js";
import type { AudioExample } from "./audio-example.js";
import { hasAudioExtension } from "./audio-files.js";
import { parseCsv } from "./csv.js";

export interface ManifestOptions {
  /** Column with the audio path. Default: the first of path, file_name, filename, file. */
  pathColumn?: string;
  /** Column with the label. Default "label". */
  labelColumn?: string;
  /** Column with the fold (optional; default "fold" when present). */
  foldColumn?: string;
  /** Folder relative paths are resolved against (default: the manifest's folder). */
  audioRoot?: string;
  /** CSV: splits a label field into several labels (multi-label), e.g. ";". */
  labelSeparator?: string;
  /** CSV field delimiter. Default ",". */
  delimiter?: string;
}

const PATH_COLUMNS = ["path", "file_name", "filename", "file"];

interface Columns {
  path: string;
  label: string;
  fold: string | undefined;
}

function pickColumns(available: readonly string[], options: ManifestOptions, source: string, kind: "CSV" | "JSONL"): Columns {
  const hint = kind === "CSV" ? "CSV manifests need a header line such as `path,label` or `path,label,fold`" : "each JSONL line needs keys such as {\"path\": …, \"label\": …}";
  const path = options.pathColumn ?? PATH_COLUMNS.find((c) => available.includes(c));
  if (path === undefined || !available.includes(path)) {
    const wanted = options.pathColumn === undefined ? `a path column (${PATH_COLUMNS.join(", ")})` : `the path column ${JSON.stringify(options.pathColumn)}`;
    throw new TrainingDataError(`${source}: found no ${wanted} among ${available.map((c) => JSON.stringify(c)).join(", ") || "no columns"}; ${hint}, or pass pathColumn`);
  }
  const label = options.labelColumn ?? "label";
  if (!available.includes(label)) {
    throw new TrainingDataError(`${source}: found no label column ${JSON.stringify(label)} among ${available.map((c) => JSON.stringify(c)).join(", ")}; ${hint}, or pass labelColumn`);
  }
  const fold = options.foldColumn ?? (available.includes("fold") ? "fold" : undefined);
  if (fold !== undefined && !available.includes(fold)) {
    throw new TrainingDataError(`${source}: found no fold column ${JSON.stringify(fold)} among ${available.map((c) => JSON.stringify(c)).join(", ")}`);
  }
  return { path, label, fold };
}

function resolveAudioPath(path: string, root: string, where: string): string {
  if (path.trim() === "") throw new TrainingDataError(`${where}: the audio path is empty`);
  return isAbsolute(path) ? path : resolve(root, path);
}

function rootOf(manifestPath: string, options: ManifestOptions): string {
  const base = dirname(resolve(manifestPath));
  return options.audioRoot === undefined ? base : resolve(base, options.audioRoot);
}

/** Parses CSV manifest text; `baseDir` is where relative paths start. */
export function parseCsvManifest(text: string, baseDir: string, source: string, options: ManifestOptions = {}): AudioExample[] {
  const rows = parseCsv(text, source, options.delimiter ?? ",");
  if (rows.length === 0) throw new TrainingDataError(`${source} is empty; a CSV manifest needs a header line (e.g. path,label) and one row per audio file`);
  const header = rows[0]!.fields.map((h) => h.trim());
  if (header.some((h) => hasAudioExtension(h))) {
    throw new TrainingDataError(`${source}: the first line (${rows[0]!.fields.join(",")}) looks like data, not a header; add a header line such as \`path,label\` (or \`path,label,fold\`)`);
  }
  const columns = pickColumns(header, options, source, "CSV");
  const index = (name: string): number => header.indexOf(name);
  const examples: AudioExample[] = [];
  for (const row of rows.slice(1)) {
    const where = `${source} line ${row.line}`;
    if (row.fields.length !== header.length) {
      throw new TrainingDataError(`${where} has ${row.fields.length} fields but the header has ${header.length}; quote fields that contain "${options.delimiter ?? ","}"`);
    }
    const value = (name: string): string => row.fields[index(name)]!;
    const rawLabel = value(columns.label).trim();
    const labels = options.labelSeparator === undefined ? [rawLabel] : rawLabel.split(options.labelSeparator).map((l) => l.trim()).filter((l) => l !== "");
    if (labels.length === 0 || labels.includes("")) throw new TrainingDataError(`${where}: the label is empty; every row needs a label`);
    const extra: Record<string, string> = {};
    for (const [i, name] of header.entries()) if (name !== columns.path && name !== columns.label && name !== columns.fold) extra[name] = row.fields[i]!;
    examples.push({
      path: resolveAudioPath(value(columns.path).trim(), baseDir, where),
      labels,
      ...(columns.fold !== undefined && { fold: value(columns.fold).trim() }),
      columns: extra,
    });
  }
  return examples;
}

function labelsFromJson(value: unknown, where: string, key: string): string[] {
  const one = (v: unknown): string => {
    if (typeof v === "string" && v.trim() !== "") return v.trim();
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
    throw new TrainingDataError(`${where}: "${key}" must be a non-empty string, a number or an array of them, got ${describeValue(v)}`);
  };
  if (Array.isArray(value)) {
    if (value.length === 0) throw new TrainingDataError(`${where}: "${key}" is an empty array; give at least one label`);
    return value.map(one);
  }
  return [one(value)];
}

/** Parses JSON Lines manifest text (one object per line; blank lines skipped). */
export function parseJsonlManifest(text: string, baseDir: string, source: string, options: ManifestOptions = {}): AudioExample[] {
  const examples: AudioExample[] = [];
  for (const [i, rawLine] of text.replace(/^\ufeff/, "").split(/\r?\n/).entries()) {
    if (rawLine.trim() === "") continue;
    const where = `${source} line ${i + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(rawLine);
    } catch (cause) {
      throw new TrainingDataError(`${where} is not valid JSON (${(cause as Error).message}); each line must be one JSON object`, { cause });
    }
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
      throw new TrainingDataError(`${where} is ${describeValue(record)}; each line must be a JSON object such as {"path": "a.wav", "label": "dog"}`);
    }
    const obj = record as Record<string, unknown>;
    const columns = pickColumns(Object.keys(obj), options, where, "JSONL");
    const path = obj[columns.path];
    if (typeof path !== "string") throw new TrainingDataError(`${where}: "${columns.path}" must be a string, got ${describeValue(path)}`);
    const fold = columns.fold === undefined ? undefined : obj[columns.fold];
    if (fold !== undefined && typeof fold !== "string" && typeof fold !== "number") {
      throw new TrainingDataError(`${where}: "${columns.fold}" must be a string or a number, got ${describeValue(fold)}`);
    }
    const extra: Record<string, string> = {};
    for (const [key, value] of Object.entries(obj)) {
      if (key !== columns.path && key !== columns.label && key !== columns.fold) extra[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    examples.push({
      path: resolveAudioPath(path, baseDir, where),
      labels: labelsFromJson(obj[columns.label], where, columns.label),
      ...(fold !== undefined && { fold: String(fold).trim() }),
      columns: extra,
    });
  }
  if (examples.length === 0) throw new TrainingDataError(`${source} has no entries; write one JSON object per line, e.g. {"path": "a.wav", "label": "dog"}`);
  return examples;
}

async function readManifestText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw new TrainingDataError(`cannot read the manifest ${path}: ${(cause as Error).message}`, { cause });
  }
}

/** Reads a CSV manifest file. */
export async function readCsvManifest(path: string, options: ManifestOptions = {}): Promise<AudioExample[]> {
  return parseCsvManifest(await readManifestText(path), rootOf(path, options), path, options);
}

/** Reads a JSON Lines manifest file. */
export async function readJsonlManifest(path: string, options: ManifestOptions = {}): Promise<AudioExample[]> {
  return parseJsonlManifest(await readManifestText(path), rootOf(path, options), path, options);
}
