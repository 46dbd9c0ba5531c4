/**
 * Downloads (or finds in the cache) the files of a hub model at a revision, in huggingface_hub's
 * cache layout. The library function behind `audioclass download <id> [--revision R]`, and the
 * hub half of `resolveModel`.
 *
 * Order, as huggingface_hub's snapshot_download: offline → cache only; a full commit sha already
 * cached → no network; otherwise ask the hub for the revision's commit and file list, fetch what
 * is missing, then point refs/<revision> at the commit. If the hub cannot be asked (network down,
 * auth failure) a complete cached snapshot of the revision is used, with a warning.
 */
import { findCachedCommit, listSnapshotFiles, repoCachePaths, snapshotDir, writeRef, type RepoCachePaths, type RepoType } from "./cache-layout.js";
import { DEFAULT_REVISION } from "./environment.js";
import { HubAbortError, InvalidModelRefError, ModelFilesNotFoundError, NotCachedError, RevisionNotFoundError, UnsafeFileNameError } from "./errors.js";
import { toFileSelector, type FileSelector } from "./file-selection.js";
import { fetchRepoInfo } from "./hub-api.js";
import { resolveHubSettings, type HubOptions, type HubSettings } from "./hub-options.js";
import { assertValidRevision, formatModelRef, isCommitHash, parseModelRef } from "./model-ref.js";
import { cachedFile, fetchIntoSnapshot, gatherFiles, missingFromRepo, type SnapshotFile } from "./snapshot-files.js";

export interface DownloadResult {
  id: string;
  /** The revision asked for ("main" by default). */
  revision: string;
  /** The commit sha it resolved to. */
  commit: string;
  /** snapshots/<commit>/ in the cache: pass this to anything that reads a model folder. */
  dir: string;
  files: SnapshotFile[];
  /** True when the hub was not contacted (offline, or a cached commit sha). */
  offline: boolean;
}

/** `ref` is "org/name" or "org/name@revision"; `options.revision` may give the revision instead. */
export async function downloadModel(ref: string, options: HubOptions = {}): Promise<DownloadResult> {
  const { id, revision } = hubRefWithRevision(ref, options.revision);
  return downloadSnapshot(resolveHubSettings(options), id, revision, toFileSelector(options.files));
}

export function hubRefWithRevision(ref: string, revisionOption: string | undefined): { id: string; revision: string } {
  const parsed = parseModelRef(ref);
  if (revisionOption !== undefined) assertValidRevision(revisionOption, parsed.id);
  if (parsed.revision !== undefined && revisionOption !== undefined && parsed.revision !== revisionOption) {
    throw new InvalidModelRefError(
      `Two revisions given for ${parsed.id}: "${parsed.revision}" in ${JSON.stringify(ref)} and "${revisionOption}" in the options; keep one.`,
    );
  }
  return { id: parsed.id, revision: parsed.revision ?? revisionOption ?? DEFAULT_REVISION };
}

export async function downloadSnapshot(settings: HubSettings, id: string, revision: string, selector: FileSelector, repoType: RepoType = "model"): Promise<DownloadResult> {
  const paths = repoCachePaths(settings.cacheDir, id, repoType);
  if (settings.offline) return fromCache(settings, paths, revision, selector);
  if (isCommitHash(revision)) {
    try {
      return await fromCache(settings, paths, revision, selector);
    } catch (error) {
      if (!(error instanceof NotCachedError)) throw error;
    }
  }
  let info;
  try {
    info = await fetchRepoInfo(settings.client, id, revision, repoType);
  } catch (error) {
    if (!mayFallBackToCache(error)) throw error;
    let cached: DownloadResult;
    try {
      cached = await fromCache(settings, paths, revision, selector);
    } catch (cacheError) {
      if (cacheError instanceof NotCachedError) throw error; // the hub's reason matters more
      throw cacheError;
    }
    settings.warn(`${(error as Error).message} Using the cached snapshot ${cached.commit.slice(0, 12)} of ${formatModelRef(id, revision)} instead.`);
    return cached;
  }
  const commit = info.sha;
  const files = await gatherFiles(
    {
      available: info.siblings,
      origin: `the file list of ${id} on ${settings.endpoint}`,
      ensure: (name) => fetchIntoSnapshot(settings, paths, commit, name),
      selectionFailed: (error) =>
        new ModelFilesNotFoundError(
          `'${id}' at revision '${revision}' on ${settings.endpoint}: ${error.message}. ` +
            `Check the id, or choose the files yourself with the \`files\` option.`,
        ),
      missing: missingFromRepo(id, revision, settings.endpoint, info.siblings),
    },
    selector,
  );
  await writeRef(paths, revision, commit);
  return { id, revision, commit, dir: snapshotDir(paths, commit), files, offline: false };
}

/** Everything but a wrong revision, a bad name or a cancel is worth answering from the cache. */
function mayFallBackToCache(error: unknown): boolean {
  return !(error instanceof RevisionNotFoundError || error instanceof UnsafeFileNameError || error instanceof HubAbortError || error instanceof InvalidModelRefError);
}

async function fromCache(settings: HubSettings, paths: RepoCachePaths, revision: string, selector: FileSelector): Promise<DownloadResult> {
  const { id } = paths;
  const hint = offlineHint(settings, id, revision, paths.repoType);
  const commit = await findCachedCommit(paths, revision);
  if (commit === undefined) {
    throw new NotCachedError(id, revision, undefined, `'${formatModelRef(id, revision)}' is not in the cache at ${settings.cacheDir}. ${hint}`);
  }
  const dir = snapshotDir(paths, commit);
  const available = await listSnapshotFiles(dir);
  const files = await gatherFiles(
    {
      available,
      origin: `the cached snapshot ${dir}`,
      async ensure(name) {
        const file = await cachedFile(paths, commit, name);
        if (file === undefined) throw missingFromCache(id, revision, dir, name, undefined, hint);
        return file;
      },
      selectionFailed: (error) =>
        new NotCachedError(id, revision, undefined, `The cached snapshot of '${formatModelRef(id, revision)}' (${dir}) is incomplete: ${error.message}. ${hint}`),
      missing: (name, requiredBy) => missingFromCache(id, revision, dir, name, requiredBy, hint),
    },
    selector,
  );
  return { id, revision, commit, dir, files, offline: true };
}

function missingFromCache(id: string, revision: string, dir: string, name: string, requiredBy: string | undefined, hint: string): NotCachedError {
  const why = requiredBy === undefined ? "" : ` (listed in ${requiredBy})`;
  return new NotCachedError(id, revision, name, `${name}${why} of '${formatModelRef(id, revision)}' is not in the cached snapshot ${dir}. ${hint}`);
}

function offlineHint(settings: HubSettings, id: string, revision: string, repoType: RepoType): string {
  const command =
    repoType === "dataset"
      ? `the same command (it downloads hf://datasets/${id}${revision === DEFAULT_REVISION ? "" : `@${revision}`})`
      : `\`audioclass download ${id}${revision === DEFAULT_REVISION ? "" : ` --revision ${revision}`}\``;
  if (settings.offlineFromEnv) {
    return `Offline mode is on (HF_HUB_OFFLINE), so nothing can be downloaded: run ${command} with HF_HUB_OFFLINE unset, or pass a local folder.`;
  }
  if (settings.offline) {
    return `localFilesOnly is set, so nothing can be downloaded: call again without it, or run ${command} first.`;
  }
  return `Run ${command} while online.`;
}
