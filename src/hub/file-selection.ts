/**
 * Which files of a repo a model needs, so a download fetches only those: the configs, one set of
 * weights (safetensors first, then a sharded index, then PyTorch .bin, then a transformers.js
 * ONNX export when there are no weights at all) and the tokenizer files CLAP uses.
 */
import { ModelFilesNotFoundError } from "./errors.js";

/**
 * Picks the files to fetch from the repo's file list (or, offline, the cached snapshot's). May
 * throw ModelFilesNotFoundError when something required is absent. A selected `*.index.json`
 * with a `weight_map` pulls in the shards it lists.
 */
export type FileSelector = (available: readonly string[]) => string[];

export const CONFIG_FILE = "config.json";
export const OPTIONAL_MODEL_FILES = ["preprocessor_config.json"] as const;
export const TOKENIZER_FILES = ["tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"] as const;
/** Weight formats in order of preference; the first one present wins. */
export const WEIGHT_CANDIDATES: readonly (readonly string[])[] = [
  ["model.safetensors"],
  ["model.safetensors.index.json"],
  ["pytorch_model.bin"],
  ["pytorch_model.bin.index.json"],
  ["onnx/model.onnx", "onnx/model.onnx_data"],
];

/** The default selection: config.json, preprocessor config, tokenizer files, one weights format. */
export function selectModelFiles(available: readonly string[]): string[] {
  const present = new Set(available);
  if (!present.has(CONFIG_FILE)) {
    throw new ModelFilesNotFoundError(`there is no ${CONFIG_FILE}, so this is not a transformers model`);
  }
  const weights = WEIGHT_CANDIDATES.find((candidate) => present.has(candidate[0] ?? ""));
  if (weights === undefined) {
    throw new ModelFilesNotFoundError(
      `there are no weights (looked for ${WEIGHT_CANDIDATES.map((c) => c[0]).join(", ")})`,
    );
  }
  const wanted = [CONFIG_FILE, ...OPTIONAL_MODEL_FILES, ...TOKENIZER_FILES, ...weights];
  return wanted.filter((name) => present.has(name));
}

/**
 * selectModelFiles, but a transformers.js export is fetched in the file `onnxFile` (e.g.
 * "model_quantized.onnx" for dtype q8) when the repo has it, instead of onnx/model.onnx.
 */
export function modelFileSelector(onnxFile: string): FileSelector {
  const variant = [`onnx/${onnxFile}`, `onnx/${onnxFile}_data`];
  return (available) => {
    const selected = selectModelFiles(available);
    if (!available.includes(variant[0]!) || !selected.includes(WEIGHT_CANDIDATES[WEIGHT_CANDIDATES.length - 1]![0]!)) return selected;
    const onnx = new Set(WEIGHT_CANDIDATES[WEIGHT_CANDIDATES.length - 1]!);
    return [...selected.filter((f) => !onnx.has(f)), ...variant.filter((f) => available.includes(f))];
  };
}

/** Turns the `files` option into a selector: a list means exactly those files, all required. */
export function toFileSelector(files: readonly string[] | FileSelector | undefined): FileSelector {
  if (files === undefined) return selectModelFiles;
  if (typeof files === "function") return files;
  const list = [...files];
  return () => list;
}

/** Every file in the repo (what `audioclass download --all` would want). */
export const selectAllFiles: FileSelector = (available) => [...available];

/** Whether `name` is a sharded-weights index whose shards must follow it. */
export function isShardIndex(name: string): boolean {
  return name.endsWith(".index.json");
}

/**
 * The shard file names of a weights index (`weight_map` values), in first-seen order; none for
 * an `.index.json` that is not a weights index.
 */
export function shardsOfIndex(index: unknown, indexName: string): string[] {
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  if (weightMap === undefined) return [];
  if (weightMap === null || typeof weightMap !== "object" || Array.isArray(weightMap)) {
    throw new ModelFilesNotFoundError(`${indexName} has a "weight_map" that is not an object, so its shards are unknown`);
  }
  const shards: string[] = [];
  for (const value of Object.values(weightMap as Record<string, unknown>)) {
    if (typeof value !== "string") throw new ModelFilesNotFoundError(`${indexName} maps a tensor to a non-string shard name`);
    if (!shards.includes(value)) shards.push(value);
  }
  // Shards live next to their index (e.g. "onnx/" or the repo root).
  const folder = indexName.includes("/") ? indexName.slice(0, indexName.lastIndexOf("/") + 1) : "";
  return shards.map((shard) => folder + shard);
}
