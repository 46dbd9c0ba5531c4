/**
 * What the cache holds, for `audioclass cache ls`: every model repo (ours or Python's), its
 * snapshots with the refs pointing at them, size on disk and last modification — the same facts
 * `huggingface-cli scan-cache` reports. Unreadable entries become warnings, never failures.
 */
import { lstat, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { isDirectory, isMissing, repoIdFromFolderName } from "./cache-layout.js";
import { resolveCacheDir, type Env } from "./environment.js";
import { isCommitHash } from "./model-ref.js";

export interface CachedRevision {
  commit: string;
  /** Branches/tags whose ref points at this commit, e.g. ["main"]. */
  refs: string[];
  /** Files in the snapshot (dangling links excluded). */
  fileCount: number;
  /** Bytes of those files (shared blobs counted in each revision). */
  size: number;
  lastModified: Date;
  path: string;
}

export interface CachedModel {
  id: string;
  /** models--org--name folder. */
  path: string;
  /** Bytes on disk for the whole repo folder (blobs, partial downloads, copies), hard links counted once. */
  size: number;
  lastModified: Date;
  lastAccessed: Date;
  revisions: CachedRevision[];
}

export interface CacheListing {
  cacheDir: string;
  models: CachedModel[];
  totalSize: number;
  /** Entries that could not be read, with why. */
  warnings: string[];
}

export interface ListCacheOptions {
  cacheDir?: string;
  env?: Env;
}

export async function listCachedModels(options: ListCacheOptions = {}): Promise<CacheListing> {
  const cacheDir = resolveCacheDir(options.cacheDir, options.env);
  const listing: CacheListing = { cacheDir, models: [], totalSize: 0, warnings: [] };
  let entries;
  try {
    entries = await readdir(cacheDir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return listing;
    throw error;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const id = repoIdFromFolderName(entry.name);
    if (id === undefined) continue; // .locks, datasets--…, spaces--…, stray files
    const path = join(cacheDir, entry.name);
    if (!entry.isDirectory()) {
      listing.warnings.push(`${path} is not a folder; skipped.`);
      continue;
    }
    try {
      const model = await scanRepo(id, path, listing.warnings);
      listing.models.push(model);
      listing.totalSize += model.size;
    } catch (error) {
      listing.warnings.push(`${path} could not be read (${(error as Error).message}); skipped.`);
    }
  }
  return listing;
}

async function scanRepo(id: string, path: string, warnings: string[]): Promise<CachedModel> {
  const usage = await diskUsage(path);
  const refs = await readRefs(join(path, "refs"));
  const revisions: CachedRevision[] = [];
  const snapshotsDir = join(path, "snapshots");
  if (!(await isDirectory(snapshotsDir))) warnings.push(`${path} has no snapshots folder (an interrupted download?).`);
  else {
    for (const commit of (await readdir(snapshotsDir)).sort()) {
      const dir = join(snapshotsDir, commit);
      if (!isCommitHash(commit) || !(await isDirectory(dir))) {
        warnings.push(`${dir} is not a snapshot folder; skipped.`);
        continue;
      }
      const files = await snapshotStats(dir);
      revisions.push({
        commit,
        refs: [...refs.entries()].filter(([, sha]) => sha === commit).map(([name]) => name).sort(),
        fileCount: files.count,
        size: files.size,
        lastModified: new Date(files.lastModified || (await stat(dir)).mtimeMs),
        path: dir,
      });
    }
  }
  return { id, path, size: usage.size, lastModified: new Date(usage.lastModified), lastAccessed: new Date(usage.lastAccessed), revisions };
}

/** refs/<name> files (recursively, for "refs/pr/1") → commit sha. */
async function readRefs(refsDir: string, prefix = ""): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(join(refsDir, prefix), { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return out;
    throw error;
  }
  for (const entry of entries) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [k, v] of await readRefs(refsDir, name)) out.set(k, v);
    else if (entry.isFile()) {
      const sha = (await readFile(join(refsDir, name), "utf8")).trim();
      if (isCommitHash(sha)) out.set(name, sha);
    }
  }
  return out;
}

/** Files reachable in a snapshot, following its symlinks to the blobs. */
async function snapshotStats(dir: string): Promise<{ count: number; size: number; lastModified: number }> {
  const totals = { count: 0, size: 0, lastModified: 0 };
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = await snapshotStats(full);
      totals.count += sub.count;
      totals.size += sub.size;
      totals.lastModified = Math.max(totals.lastModified, sub.lastModified);
      continue;
    }
    try {
      const info = await stat(full);
      if (!info.isFile()) continue;
      totals.count++;
      totals.size += info.size;
      totals.lastModified = Math.max(totals.lastModified, info.mtimeMs);
    } catch {
      // dangling link: the blob is gone, the file is not really cached
    }
  }
  return totals;
}

/** Size of every regular file under `root` (symlinks not followed, hard links once), newest times. */
async function diskUsage(root: string): Promise<{ size: number; lastModified: number; lastAccessed: number }> {
  const seen = new Set<string>();
  const totals = { size: 0, lastModified: 0, lastAccessed: 0 };
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.isFile()) {
        const info = await lstat(full);
        const key = `${info.dev}:${info.ino}`;
        if (seen.has(key)) continue;
        seen.add(key);
        totals.size += info.size;
        totals.lastModified = Math.max(totals.lastModified, info.mtimeMs);
        totals.lastAccessed = Math.max(totals.lastAccessed, info.atimeMs);
      }
    }
  }
  await walk(root);
  if (totals.lastModified === 0) {
    const info = await stat(root);
    totals.lastModified = info.mtimeMs;
    totals.lastAccessed = info.atimeMs;
  }
  return totals;
}
