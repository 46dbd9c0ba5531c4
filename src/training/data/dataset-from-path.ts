/**
 * A dataset from whatever path a user points at: a folder of label sub-folders, a CSV manifest
 * (.csv, .tsv), a JSON Lines manifest (.jsonl, .json), or a hub dataset
 * (hf://datasets/<org>/<name>[/<config>][?split=…]). Used by the CLI's train and evaluate.
 */
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { TrainingDataError } from "../errors.js";
import { AudioDataset, type DatasetOptions } from "./audio-dataset.js";
import type { ManifestOptions } from "./manifest.js";
import { loadHubDataset, type HubDatasetOptions } from "./hub-dataset.js";
import { isHubDatasetRef, parseHubDatasetRef } from "./hub-dataset-ref.js";

export type DatasetFromPathOptions = DatasetOptions & ManifestOptions & Pick<HubDatasetOptions, "audioColumn" | "hub">;

export async function datasetFromPath(path: string, options: DatasetFromPathOptions = {}): Promise<AudioDataset> {
  if (isHubDatasetRef(path)) {
    const ref = parseHubDatasetRef(path);
    const manifestOnly = (["pathColumn", "foldColumn", "audioRoot", "labelSeparator", "delimiter"] as const).filter((k) => options[k] !== undefined);
    if (manifestOnly.length > 0) throw new TrainingDataError(`${path} is a hub dataset; ${manifestOnly.join(", ")} only apply to CSV/JSONL manifests (hub datasets take audioColumn and labelColumn)`);
    const { labelMap, multiLabel, verify, onDecodeError, progress, audioColumn, labelColumn, hub } = options;
    return loadHubDataset(ref.id, { config: ref.config, split: ref.split, audioColumn, labelColumn, hub, labelMap, multiLabel, verify, onDecodeError, progress });
  }
  if (options.audioColumn !== undefined) throw new TrainingDataError(`${path}: audioColumn applies to hub datasets (hf://datasets/…); manifests name their file column with pathColumn`);
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
