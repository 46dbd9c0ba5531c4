/**
 * A cross-process lock made of a file created with O_EXCL, so two processes downloading the same
 * blob never write the same partial file. Python's filelock uses flock(), which Node cannot do
 * without a native addon, so our lock files carry their own name (and Python's empty lock files
 * are never mistaken for ours).
 *
 * A holder refreshes the file's mtime while it works; a lock is stale when its holder process is
 * gone (same host) or its mtime stopped moving (crashed, frozen or on another host).
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, stat, unlink, utimes } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { HubAbortError, LockTimeoutError } from "./errors.js";

export interface LockOptions {
  /** A lock whose mtime is older than this is considered abandoned. Default 60 s. */
  staleMs?: number;
  /** Give up waiting after this long (LockTimeoutError). Default: wait while the holder is alive. */
  timeoutMs?: number;
  /** Called once when we start waiting for another holder. */
  onWait?: (holder: LockHolder | undefined) => void;
  signal?: AbortSignal;
}

export interface LockHolder {
  pid: number;
  host: string;
  nonce: string;
  since: string;
}

export interface FileLock {
  readonly path: string;
  release(): Promise<void>;
}

const DEFAULT_STALE_MS = 60_000;
const MAX_POLL_MS = 500;

export async function acquireFileLock(path: string, options: LockOptions = {}): Promise<FileLock> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const started = Date.now();
  let pollMs = 25;
  let announced = false;
  await mkdir(dirname(path), { recursive: true });
  for (;;) {
    if (options.signal?.aborted) throw new HubAbortError(`Cancelled while waiting for the lock ${path}.`, { cause: options.signal.reason });
    const lock = await tryCreate(path, staleMs);
    if (lock !== undefined) return lock;
    const holder = await readHolder(path);
    if (await isStale(path, holder, staleMs)) {
      await breakStaleLock(path, holder);
      continue;
    }
    if (!announced) {
      announced = true;
      options.onWait?.(holder);
    }
    if (options.timeoutMs !== undefined && Date.now() - started > options.timeoutMs) {
      const who = holder ? `process ${holder.pid} on ${holder.host}` : "another process";
      throw new LockTimeoutError(
        path,
        `Gave up after ${Math.round(options.timeoutMs / 1000)} s waiting for ${who} holding ${path}. ` +
          `If no other download is running, delete that file and retry.`,
      );
    }
    await sleep(pollMs);
    pollMs = Math.min(MAX_POLL_MS, pollMs * 2);
  }
}

export async function withFileLock<T>(path: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireFileLock(path, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

async function tryCreate(path: string, staleMs: number): Promise<FileLock | undefined> {
  let handle;
  try {
    handle = await open(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw error;
  }
  const holder: LockHolder = { pid: process.pid, host: hostname(), nonce: randomBytes(8).toString("hex"), since: new Date().toISOString() };
  try {
    await handle.writeFile(JSON.stringify(holder));
  } finally {
    await handle.close();
  }
  // The heartbeat keeps the lock fresh for waiters; unref'd so it never keeps the process alive.
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, Math.max(1000, Math.floor(staleMs / 4)));
  heartbeat.unref();
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // Only remove the file if it is still ours (a waiter may have judged us stale and taken over).
      const current = await readHolder(path);
      if (current?.nonce === holder.nonce) await unlink(path).catch(() => undefined);
    },
  };
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.nonce === "string") {
      return { pid: parsed.pid, host: parsed.host, nonce: parsed.nonce, since: String(parsed.since) };
    }
  } catch {
    // missing, or created but not yet written: judged by age alone
  }
  return undefined;
}

async function isStale(path: string, holder: LockHolder | undefined, staleMs: number): Promise<boolean> {
  if (holder !== undefined && holder.host === hostname() && !processAlive(holder.pid)) return true;
  try {
    return Date.now() - (await stat(path)).mtimeMs > staleMs;
  } catch {
    return false; // released meanwhile: the next attempt will take it
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Moves the stale lock aside (only one breaker's rename can succeed), then makes sure what was
 * moved is the lock judged stale; if a fresh lock was taken in between, it is put back.
 */
async function breakStaleLock(path: string, judged: LockHolder | undefined): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else broke or released it
  }
  const moved = await readHolder(aside);
  if (judged !== undefined && moved !== undefined && moved.nonce !== judged.nonce) {
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
