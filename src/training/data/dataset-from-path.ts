/**
 * A dataset from whatever path a user points at: a folder of label sub-folders, a CSV manifest
 * (.csv, .tsv) or a JSON Lines manifest (.jsonl, .json). Used by the CLI's train and evaluate.
 */
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { TrainingDataError } from "../errors.js";
import { AudioDataset, type DatasetOptions } from "./audio-dataset.js";
import type { ManifestOptions } from "./manifest.js";

export async function datasetFromPath(path: string, options: DatasetOptions & ManifestOptions = {}): Promise<AudioDataset> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new TrainingDataError(`${path} does not exist; pass a folder with one sub-folder per label, or a CSV / JSONL manifest`);
  const manifestKeys = ["pathColumn", "labelColumn", "foldColumn", "audioRoot", "labelSeparator", "delimiter"] as const;
  if (info.isDirectory()) {
    const given = manifestKeys.filter((k) => options[k] !== undefined);
    if (given.length > 0) throw new TrainingDataError(`${path} is a folder (labels are its sub-folders); ${given.join(", ")} only apply to CSV/JSONL manifests`);
    const { labelMap, multiLabel, verify, onDecodeError, progress } = options;
    return AudioDataset.fromFolder(path, { labelMap, multiLabel, verify, onDecodeError, progress });
  }
  const extension = extname(path).toLowerCase();
  if (extension === ".csv") return AudioDataset.fromCsv(path, options);
  if (extension === ".tsv") return AudioDataset.fromCsv(path, { delimiter: "\t", ...options });
  if (extension === ".jsonl" || extension === ".json") return AudioDataset.fromJsonl(path, options);
  throw new TrainingDataError(`${path} is a file but not a manifest audioclass reads; use a .csv, .tsv or .jsonl manifest, or a folder with one sub-folder per label`);
}
