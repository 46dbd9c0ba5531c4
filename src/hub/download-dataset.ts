/**
 * The files of a hub dataset repo (datasets--{org}--{name} in the cache), fetched as model files
 * are: the same cache, token, mirror (HF_ENDPOINT) and offline rules, only under /datasets/ URLs.
 * `files` picks from the repo's file list (default: none but README.md, whose front matter says
 * which files hold which config and split).
 */
import { downloadSnapshot, hubRefWithRevision, type DownloadResult } from "./download-model.js";
import { toFileSelector } from "./file-selection.js";
import { resolveHubSettings, type HubOptions } from "./hub-options.js";

/** `ref` is "org/name" or "org/name@revision"; `options.revision` may give the revision instead. */
export async function downloadDatasetFiles(ref: string, options: HubOptions = {}): Promise<DownloadResult> {
  const { id, revision } = hubRefWithRevision(ref, options.revision);
  const files = options.files ?? ((available: readonly string[]) => available.filter((name) => name === "README.md"));
  return downloadSnapshot(resolveHubSettings(options), id, revision, toFileSelector(files), "dataset");
}
