/**
 * Gathers the selected files of one snapshot, from the hub or from the cache only. Both paths
 * share the same steps — select from the available names, check every name is safe before
 * touching anything, fetch/check each file, then follow sharded-weights indexes to their shards —
 * so offline and online agree on what a complete model is.
 */
import { readFile } from "node:fs/promises";
import { blobPath, pointerPath, statOrUndefined, type RepoCachePaths } from "./cache-layout.js";
import { ensureBlob } from "./blob-download.js";
import { EntryNotFoundError, ModelFilesNotFoundError } from "./errors.js";
import { isShardIndex, shardsOfIndex, type FileSelector } from "./file-selection.js";
import { fetchFileMetadata } from "./hub-api.js";
import type { HubSettings } from "./hub-options.js";
import { assertSafeFileName } from "./safe-file-name.js";
import { linkBlobIntoSnapshot, symlinksSupported } from "./snapshot-link.js";

export interface SnapshotFile {
  /** Repo-relative name, e.g. "onnx/model.onnx". */
  name: string;
  /** Absolute path inside snapshots/<commit>/. */
  path: string;
  size: number;
  /** True when this call downloaded it; false when it was already cached. */
  downloaded: boolean;
}

/** Where files come from: names that exist, and how to make one present in the snapshot. */
export interface FileSource {
  available: readonly string[];
  /** Words for messages: "the file list of org/name on https://…" or "the cached snapshot …". */
  origin: string;
  ensure(name: string): Promise<SnapshotFile>;
  /** The error for a selector that found nothing usable (adds where and what to do). */
  selectionFailed(error: ModelFilesNotFoundError): Error;
  /** The error for a required name the source does not have. */
  missing(name: string, requiredBy: string | undefined): Error;
}

export async function gatherFiles(source: FileSource, selector: FileSelector): Promise<SnapshotFile[]> {
  let selected: string[];
  try {
    selected = unique(selector(source.available));
  } catch (error) {
    if (error instanceof ModelFilesNotFoundError) throw source.selectionFailed(error);
    throw error;
  }
  const gathered = new Map<string, SnapshotFile>();
  await fetchAll(source, selected, undefined, gathered);
  for (const name of selected.filter(isShardIndex)) {
    const index = gathered.get(name);
    if (index === undefined) continue;
    let shards: string[];
    try {
      shards = shardsOfIndex(await readJson(index.path, name), name);
    } catch (error) {
      if (error instanceof ModelFilesNotFoundError) throw source.selectionFailed(error);
      throw error;
    }
    await fetchAll(source, shards, name, gathered);
  }
  return [...gathered.values()];
}

async function fetchAll(source: FileSource, names: readonly string[], requiredBy: string | undefined, into: Map<string, SnapshotFile>): Promise<void> {
  const available = new Set(source.available);
  // Every name is checked before the first byte is written.
  for (const name of names) assertSafeFileName(name, requiredBy === undefined ? source.origin : `${requiredBy} (${source.origin})`);
  for (const name of names) if (!available.has(name)) throw source.missing(name, requiredBy);
  for (const name of names) {
    if (!into.has(name)) into.set(name, await source.ensure(name));
  }
}

async function readJson(path: string, name: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as unknown;
  } catch (error) {
    throw new ModelFilesNotFoundError(`${name} is not valid JSON (${(error as Error).message})`);
  }
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** A cached file of the snapshot, or undefined when it is absent (or a dangling symlink). */
export async function cachedFile(paths: RepoCachePaths, commit: string, name: string): Promise<SnapshotFile | undefined> {
  const path = pointerPath(paths, commit, name);
  const info = await statOrUndefined(path);
  return info?.isFile() ? { name, path, size: info.size, downloaded: false } : undefined;
}

/** Makes `name` present in snapshots/<commit>/, downloading its blob if needed. */
export async function fetchIntoSnapshot(settings: HubSettings, paths: RepoCachePaths, commit: string, name: string): Promise<SnapshotFile> {
  const cached = await cachedFile(paths, commit, name);
  if (cached !== undefined) return cached;
  const meta = await fetchFileMetadata(settings.client, paths.id, commit, name, paths.repoType);
  const { downloaded } = await ensureBlob(settings, { paths, id: paths.id, commit, file: name, meta });
  const useSymlinks = settings.useSymlinks ?? (await symlinksSupported(settings.cacheDir));
  const pointer = pointerPath(paths, commit, name);
  await linkBlobIntoSnapshot(blobPath(paths, meta.etag), pointer, { newBlob: downloaded, useSymlinks });
  return { name, path: pointer, size: meta.size, downloaded };
}

export function missingFromRepo(id: string, revision: string, endpoint: string, available: readonly string[]) {
  return (name: string, requiredBy: string | undefined): Error => {
    const listed = available.length > 12 ? `${available.slice(0, 12).join(", ")}, …` : available.join(", ");
    return new EntryNotFoundError(
      id,
      name,
      `File '${name}'${requiredBy ? ` (listed in ${requiredBy})` : ""} is not in '${id}' at revision '${revision}' on ${endpoint}. ` +
        `The repo has: ${listed || "no files"}.`,
    );
  };
}
