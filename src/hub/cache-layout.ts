/**
 * The Hugging Face cache layout, exactly as huggingface_hub writes it, so Python and we share
 * one cache:
 *
 *   <cacheDir>/models--{org}--{name}/blobs/<etag>
 *                                   /refs/<revision>            (holds the commit sha)
 *                                   /snapshots/<sha>/<file>     (relative symlink to ../../blobs/<etag>)
 *   <cacheDir>/.locks/models--{org}--{name}/...
 *
 * Dataset repos have the same layout under datasets--{org}--{name}.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isCommitHash } from "./model-ref.js";
import { safeJoin } from "./safe-file-name.js";

const REPO_PREFIX = "models--";

/** What a hub repo holds; datasets live under datasets--{org}--{name} and /datasets/ URLs. */
export type RepoType = "model" | "dataset";
/** huggingface_hub's REPO_ID_SEPARATOR: "/" in ids becomes "--" in folder names. */
const SEPARATOR = "--";

export function repoFolderName(id: string, repoType: RepoType = "model"): string {
  return `${repoType}s${SEPARATOR}` + id.split("/").join(SEPARATOR);
}

/** "models--org--name" → "org/name"; undefined for folders that are not model repos. */
export function repoIdFromFolderName(folder: string): string | undefined {
  if (!folder.startsWith(REPO_PREFIX) || folder.length === REPO_PREFIX.length) return undefined;
  return folder.slice(REPO_PREFIX.length).split(SEPARATOR).join("/");
}

export interface RepoCachePaths {
  cacheDir: string;
  id: string;
  repoType: RepoType;
  repoDir: string;
  blobsDir: string;
  refsDir: string;
  snapshotsDir: string;
  /** Where our lock files live (huggingface_hub's .locks folder for this repo). */
  locksDir: string;
}

export function repoCachePaths(cacheDir: string, id: string, repoType: RepoType = "model"): RepoCachePaths {
  const folder = repoFolderName(id, repoType);
  const repoDir = join(cacheDir, folder);
  return {
    cacheDir,
    id,
    repoType,
    repoDir,
    blobsDir: join(repoDir, "blobs"),
    refsDir: join(repoDir, "refs"),
    snapshotsDir: join(repoDir, "snapshots"),
    locksDir: join(cacheDir, ".locks", folder),
  };
}

export function blobPath(paths: RepoCachePaths, etag: string): string {
  return join(paths.blobsDir, etag);
}

export function snapshotDir(paths: RepoCachePaths, commit: string): string {
  return join(paths.snapshotsDir, commit);
}

/** snapshots/<commit>/<file>, refusing names that would escape the snapshot folder. */
export function pointerPath(paths: RepoCachePaths, commit: string, file: string): string {
  return safeJoin(snapshotDir(paths, commit), file, `the repo ${paths.id}`);
}

/** The commit a branch/tag points to in the cache, from refs/<revision>; undefined if unknown. */
export async function readRef(paths: RepoCachePaths, revision: string): Promise<string | undefined> {
  try {
    // Python writes the sha without a newline; hand-edited refs may have one.
    const commit = (await readFile(safeJoin(paths.refsDir, revision, `the refs of ${paths.id}`), "utf8")).trim();
    return isCommitHash(commit) ? commit : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Writes refs/<revision> atomically (temp file + rename) when it differs from `commit`. */
export async function writeRef(paths: RepoCachePaths, revision: string, commit: string): Promise<void> {
  if (revision === commit) return; // huggingface_hub stores no ref for a commit sha
  if ((await readRef(paths, revision)) === commit) return;
  const refPath = safeJoin(paths.refsDir, revision, `the refs of ${paths.id}`);
  await writeFileAtomic(refPath, commit);
}

export async function writeFileAtomic(path: string, contents: string): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await writeFile(tmp, contents);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** The commit for `revision` (itself when it is a sha), if a snapshot folder for it exists. */
export async function findCachedCommit(paths: RepoCachePaths, revision: string): Promise<string | undefined> {
  const commit = isCommitHash(revision) ? revision : await readRef(paths, revision);
  if (commit === undefined) return undefined;
  return (await isDirectory(snapshotDir(paths, commit))) ? commit : undefined;
}

/**
 * Repo-relative names ("onnx/model.onnx") of the readable files in a snapshot folder. Broken
 * symlinks (blob deleted) are left out: the file is not really there.
 */
export async function listSnapshotFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(folder: string, prefix: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const name = prefix + entry.name;
      const full = join(folder, entry.name);
      if (entry.isDirectory()) {
        await walk(full, name + "/");
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        const info = await statOrUndefined(full);
        if (info?.isFile()) out.push(name);
      }
    }
  }
  await walk(dir, "");
  return out.sort();
}

export async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === "ELOOP") return undefined;
    throw error;
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await statOrUndefined(path))?.isDirectory() ?? false;
}

export async function isFile(path: string): Promise<boolean> {
  return (await statOrUndefined(path))?.isFile() ?? false;
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
