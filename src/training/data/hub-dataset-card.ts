/**
 * What a hub dataset's README.md front matter (its YAML "dataset card" header) says about loading
 * it: the `configs:` list (config_name, data_files per split, default) and, from `dataset_info`,
 * each config's ClassLabel names — the integer labels' meaning, as `datasets` reads them.
 */
import { parse as parseYaml } from "yaml";
import { TrainingDataError } from "../errors.js";

export interface DataFiles {
  readonly split: string;
  /** Glob patterns relative to the repo root (e.g. "data/train-*"). */
  readonly patterns: readonly string[];
}

export interface CardConfig {
  readonly name: string;
  readonly dataFiles: readonly DataFiles[];
  readonly isDefault: boolean;
}

export interface DatasetCard {
  readonly configs: readonly CardConfig[];
  /** ClassLabel names by config name ("default" when dataset_info names none), then by column. */
  readonly classLabels: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
}

const EMPTY: DatasetCard = { configs: [], classLabels: new Map() };

type Yaml = Record<string, unknown>;

function isObject(value: unknown): value is Yaml {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function patternsOf(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((p) => typeof p === "string")) throw new TrainingDataError(`${where}: data_files paths must be strings or lists of strings`);
  return list as string[];
}

/** data_files: a pattern, a list of patterns (all "train"), or a list of {split, path}. */
function dataFilesOf(value: unknown, where: string): DataFiles[] {
  if (typeof value === "string") return [{ split: "train", patterns: [value] }];
  if (isObject(value)) return Object.entries(value).map(([split, paths]) => ({ split, patterns: patternsOf(paths, where) }));
  if (!Array.isArray(value)) throw new TrainingDataError(`${where}: data_files must be a path, a list of paths or a list of {split, path}`);
  if (value.every((v) => typeof v === "string")) return [{ split: "train", patterns: value as string[] }];
  return value.map((entry) => {
    if (!isObject(entry) || typeof entry["split"] !== "string") throw new TrainingDataError(`${where}: each data_files entry needs a split and a path`);
    return { split: entry["split"], patterns: patternsOf(entry["path"], where) };
  });
}

/** `features` of dataset_info: [{name, dtype: {class_label: {names: {"0": "dog", …}}}}, …]. */
function classLabelsOf(features: unknown): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  if (!Array.isArray(features)) return out;
  for (const feature of features) {
    if (!isObject(feature) || typeof feature["name"] !== "string") continue;
    const dtype = feature["dtype"];
    const classLabel = isObject(dtype) ? dtype["class_label"] : feature["class_label"];
    const names = isObject(classLabel) ? classLabel["names"] : undefined;
    if (Array.isArray(names)) out.set(feature["name"], names.map(String));
    else if (isObject(names)) {
      const entries = Object.entries(names).map(([k, v]) => [Number(k), String(v)] as const).sort((a, b) => a[0] - b[0]);
      if (entries.every(([k], i) => k === i)) out.set(feature["name"], entries.map(([, v]) => v));
    }
  }
  return out;
}

/** The YAML between the leading "---" lines of README.md; an empty card when there is none. */
export function parseDatasetCard(readme: string, source = "README.md"): DatasetCard {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\s*(\r?\n|$)/.exec(readme);
  if (match === null) return EMPTY;
  let header: unknown;
  try {
    header = parseYaml(match[1]!);
  } catch (cause) {
    throw new TrainingDataError(`${source}: the YAML front matter does not parse (${(cause as Error).message}); fix the dataset card`, { cause });
  }
  if (!isObject(header)) return EMPTY;
  const configs: CardConfig[] = [];
  if (Array.isArray(header["configs"])) {
    for (const entry of header["configs"]) {
      if (!isObject(entry)) continue;
      const name = typeof entry["config_name"] === "string" ? entry["config_name"] : "default";
      const where = `${source}: configs → ${name}`;
      configs.push({ name, dataFiles: entry["data_files"] === undefined ? [] : dataFilesOf(entry["data_files"], where), isDefault: entry["default"] === true });
    }
  }
  const classLabels = new Map<string, ReadonlyMap<string, readonly string[]>>();
  const infos = Array.isArray(header["dataset_info"]) ? header["dataset_info"] : [header["dataset_info"]];
  for (const info of infos) {
    if (!isObject(info)) continue;
    classLabels.set(typeof info["config_name"] === "string" ? info["config_name"] : "default", classLabelsOf(info["features"]));
  }
  return { configs, classLabels };
}
