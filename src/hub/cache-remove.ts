/**
 * `audioclass cache rm <id>`: deletes one model repo from the cache, and nothing else. The folder
 * is computed from a validated id (never from user text), must sit directly in the cache folder,
 * and is first renamed aside atomically, so a concurrent reader never sees half a snapshot; the
 * recursive delete never follows symlinks, so nothing outside the cache can be touched.
 */
import { randomBytes } from "node:crypto";
import { lstat, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { isMissing, repoCachePaths } from "./cache-layout.js";
import { resolveCacheDir, type Env } from "./environment.js";
import { CacheOperationError, InvalidModelRefError } from "./errors.js";
import { assertValidRepoId } from "./model-ref.js";

export interface RemoveCachedModelOptions {
  cacheDir?: string;
  env?: Env;
  /** Remove even while another process holds a download lock on this repo. */
  force?: boolean;
}

export interface RemovedModel {
  id: string;
  path: string;
  /** Bytes of regular files deleted (symlinks and hard-link duplicates not counted). */
  freedBytes: number;
}

/** A download lock younger than this is taken as live (ours refresh every 15 s). */
const LIVE_LOCK_MS = 60_000;

export async function removeCachedModel(id: string, options: RemoveCachedModelOptions = {}): Promise<RemovedModel> {
  if (typeof id === "string" && id.includes("@")) {
    throw new InvalidModelRefError(`cache rm removes a whole model, every revision; pass the id without "@${id.split("@")[1]}" (got ${JSON.stringify(id)}).`);
  }
  assertValidRepoId(id);
  const cacheDir = resolveCacheDir(options.cacheDir, options.env);
  const paths = repoCachePaths(cacheDir, id);
  // Belt and braces: the folder is a direct child of the cache, named models--….
  if (resolve(dirname(paths.repoDir)) !== resolve(cacheDir) || !basename(paths.repoDir).startsWith("models--")) {
    throw new CacheOperationError(`Refusing to remove ${paths.repoDir}: it is not a model folder directly inside the cache ${cacheDir}.`);
  }
  let info;
  try {
    info = await lstat(paths.repoDir);
  } catch (error) {
    if (!isMissing(error)) throw error;
    throw new CacheOperationError(`'${id}' is not in the cache at ${cacheDir}; \`audioclass cache ls\` lists the cached models.`);
  }
  if (info.isSymbolicLink()) {
    // Someone linked the repo folder from elsewhere: drop the link, leave its target alone.
    await unlink(paths.repoDir);
    await rm(paths.locksDir, { recursive: true, force: true });
    return { id, path: paths.repoDir, freedBytes: 0 };
  }
  if (!info.isDirectory()) {
    throw new CacheOperationError(`${paths.repoDir} is not a folder; remove it by hand if it is not needed.`);
  }
  if (!options.force) await assertNoLiveDownload(paths.locksDir, id);
  const freedBytes = await regularFileBytes(paths.repoDir);
  const aside = join(cacheDir, `.removing-${basename(paths.repoDir)}-${process.pid}-${randomBytes(4).toString("hex")}`);
  await rename(paths.repoDir, aside);
  await rm(aside, { recursive: true, force: true });
  await rm(paths.locksDir, { recursive: true, force: true });
  return { id, path: paths.repoDir, freedBytes };
}

async function assertNoLiveDownload(locksDir: string, id: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(locksDir);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const name of names.filter((n) => n.endsWith(".audioclass.lock"))) {
    const path = join(locksDir, name);
    try {
      const [info, text] = await Promise.all([stat(path), readFile(path, "utf8")]);
      const holder = JSON.parse(text) as { pid?: number; host?: string };
      const deadHere = holder.host === hostname() && typeof holder.pid === "number" && !alive(holder.pid);
      if (!deadHere && Date.now() - info.mtimeMs < LIVE_LOCK_MS) {
        throw new CacheOperationError(
          `'${id}' is being downloaded right now (process ${holder.pid ?? "?"} on ${holder.host ?? "?"}, lock ${path}); ` +
            `wait for it to finish, or pass force to remove it anyway.`,
        );
      }
    } catch (error) {
      if (error instanceof CacheOperationError) throw error;
      // unreadable or vanished lock: not a live download
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function regularFileBytes(root: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const info = await lstat(full);
        const key = `${info.dev}:${info.ino}`;
        if (!seen.has(key)) {
          seen.add(key);
          total += info.size;
        }
      }
    }
  }
  await walk(root);
  return total;
}
