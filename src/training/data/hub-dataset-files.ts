/**
 * Which parquet files of a hub dataset repo hold a config's split, in the layouts the hub uses:
 * per-config data_files declared under `configs:` in README.md's front matter (glob patterns, as
 * `datasets` resolves them), or, without that, files named after the split — the hub's
 * `data/<split>-NNNNN-of-NNNNN.parquet`, `<split>/….parquet`, and the parquet converter's
 * `<config>/<split>/NNNN.parquet`.
 */
import { TrainingDataError } from "../errors.js";
import type { DatasetCard } from "./hub-dataset-card.js";

export interface DataFileChoice {
  readonly config: string;
  readonly split: string;
  /** Repo paths, sorted (shard order). */
  readonly files: readonly string[];
}

/** fsspec-style glob: "*" within a folder, "**" across folders, "?" one character, "[…]" a class. */
export function globToRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      out += ".*";
      i++;
      if (pattern[i + 1] === "/") i++; // "**/" also matches no folder at all
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        out += `[${pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

function isParquet(name: string): boolean {
  return name.toLowerCase().endsWith(".parquet");
}

/** A file named after the split: a folder called <split>, or a name starting <split> then - . _ space or a digit. */
function namesSplit(path: string, split: string): boolean {
  const parts = path.split("/");
  const base = parts.pop()!;
  if (parts.includes(split)) return true;
  return base.startsWith(split) && /^[-._ 0-9]/.test(base.slice(split.length));
}

function listSome(names: readonly string[]): string {
  return names.length === 0 ? "none" : names.length > 8 ? `${names.slice(0, 8).join(", ")}, …` : names.join(", ");
}

export function selectDataFiles(available: readonly string[], card: DatasetCard, wanted: { id: string; config?: string; split: string }): DataFileChoice {
  const { id, split } = wanted;
  const parquet = available.filter(isParquet);
  if (card.configs.length > 0) {
    const names = card.configs.map((c) => c.name);
    const config =
      wanted.config === undefined
        ? (card.configs.find((c) => c.isDefault) ?? (card.configs.length === 1 ? card.configs[0] : card.configs.find((c) => c.name === "default")))
        : card.configs.find((c) => c.name === wanted.config);
    if (config === undefined) {
      const how = wanted.config === undefined ? "has several configs" : `has no config ${JSON.stringify(wanted.config)}`;
      throw new TrainingDataError(`${id} ${how} (README.md lists ${names.join(", ")}); name one: hf://datasets/${id}/${names[0]}?split=${split}`);
    }
    const entry = config.dataFiles.find((d) => d.split === split);
    if (entry === undefined) {
      throw new TrainingDataError(`${id} (config ${config.name}) has no split ${JSON.stringify(split)}; its splits are ${listSome(config.dataFiles.map((d) => d.split))} — pass ?split=<one of them>`);
    }
    const matchers = entry.patterns.map(globToRegExp);
    const matched = available.filter((name) => matchers.some((m) => m.test(name)));
    const files = matched.filter(isParquet).sort();
    if (files.length === 0) {
      const other = matched.length > 0 ? ` (it matches ${listSome(matched)}; audioclass reads parquet files only)` : "";
      throw new TrainingDataError(`${id} (config ${config.name}, split ${split}): data_files ${entry.patterns.join(", ")} matches no parquet file in the repo${other}`);
    }
    return { config: config.name, split, files };
  }
  // No configs in the card: the config, if any, is a folder (the parquet converter's layout).
  const config = wanted.config ?? "default";
  const scope = wanted.config === undefined ? parquet : parquet.filter((name) => name.startsWith(`${wanted.config}/`));
  if (scope.length === 0) {
    const folders = [...new Set(parquet.filter((n) => n.includes("/")).map((n) => n.split("/")[0]!))];
    throw new TrainingDataError(
      wanted.config === undefined
        ? `${id} holds no parquet files (it has ${listSome(available)}); audioclass loads datasets the hub stores as parquet — ` +
          `for a script or audiofolder dataset the hub's conversion may be on its parquet branch: hf://datasets/${id}@refs%2Fconvert%2Fparquet/<config>?split=${split}`
        : `${id} has no config ${JSON.stringify(wanted.config)} (no README.md configs, and no parquet files under ${wanted.config}/; folders with parquet files: ${listSome(folders)})`,
    );
  }
  const files = scope.filter((name) => namesSplit(wanted.config === undefined ? name : name.slice(wanted.config.length + 1), split)).sort();
  if (files.length === 0) throw new TrainingDataError(`${id}${wanted.config === undefined ? "" : ` (config ${wanted.config})`} has no parquet files for split ${JSON.stringify(split)}; its parquet files are ${listSome(scope)}`);
  return { config, split, files };
}
