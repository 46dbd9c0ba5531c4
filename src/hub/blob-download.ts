/**
 * Downloads one blob into blobs/<etag>, the way huggingface_hub does and a bit safer:
 *  - under a per-blob lock, so two processes never write the same partial file;
 *  - into blobs/<etag>.incomplete, resumed with an HTTP Range request after an interruption;
 *  - checked against the announced size and, when the etag is a content hash (sha256 for LFS
 *    files, git blob sha1 for small ones), against that hash — a mismatch leaves nothing behind.
 *    The hash is taken from the finished file on disk, so it covers exactly what will be used,
 *    however many resumes it took;
 *  - moved into place with an atomic rename, so blobs/<etag> is always complete.
 */
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat, statfs, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { createProgressBar, formatBytes } from "../util/progress.js";
import { blobPath, isFile, statOrUndefined, type RepoCachePaths } from "./cache-layout.js";
import { ContentHasher } from "./content-hash.js";
import { DiskFullError, DownloadInterruptedError, HubAbortError, HubResponseError, IntegrityError } from "./errors.js";
import { withFileLock } from "./file-lock.js";
import { openDownload, type FileMetadata } from "./hub-api.js";
import type { HubSettings } from "./hub-options.js";
import { consumeBody, headerValue, toHubError } from "./http-client.js";
import { withRetries } from "./retry.js";
import { displayUrl } from "./token.js";

export interface BlobTarget {
  paths: RepoCachePaths;
  id: string;
  commit: string;
  file: string;
  meta: FileMetadata;
}

/** Ensures blobs/<etag> exists and is verified. `downloaded` is false when it was already there. */
export async function ensureBlob(settings: HubSettings, target: BlobTarget): Promise<{ downloaded: boolean }> {
  const blob = blobPath(target.paths, target.meta.etag);
  if (await isFile(blob)) return { downloaded: false };
  const lockPath = join(target.paths.locksDir, `${target.meta.etag}.audioclass.lock`);
  const lockOptions = {
    timeoutMs: settings.lockTimeoutMs,
    signal: settings.signal,
    onWait: (holder: { pid: number; host: string } | undefined) =>
      settings.warn(`waiting for ${holder ? `process ${holder.pid} on ${holder.host}` : "another process"} downloading ${target.file} of ${target.id}...`),
  };
  return withFileLock(lockPath, lockOptions, async () => {
    if (await isFile(blob)) return { downloaded: false }; // the other process finished it
    await mkdir(target.paths.blobsDir, { recursive: true });
    await downloadVerified(settings, target, blob);
    return { downloaded: true };
  });
}

async function downloadVerified(settings: HubSettings, target: BlobTarget, blob: string): Promise<void> {
  const incomplete = `${blob}.incomplete`;
  const partial = (await statOrUndefined(incomplete))?.size ?? 0;
  await warnIfLowOnSpace(settings, target, partial);
  await withRetries(settings.client.retry, () => transfer(settings, target, incomplete));
  try {
    await verify(target, incomplete);
  } catch (error) {
    await rm(incomplete, { force: true });
    // A partial left by an earlier run may itself have been bad; start over once from zero.
    if (!(error instanceof IntegrityError) || partial === 0) throw error;
    settings.warn(`the resumed download of ${target.file} did not verify; downloading it again from the start`);
    await withRetries(settings.client.retry, () => transfer(settings, target, incomplete));
    try {
      await verify(target, incomplete);
    } catch (again) {
      await rm(incomplete, { force: true });
      throw again;
    }
  }
  await rename(incomplete, blob);
}

/** One attempt: append the missing bytes to the partial file (or restart it). */
async function transfer(settings: HubSettings, target: BlobTarget, incomplete: string): Promise<void> {
  const { meta, file, id } = target;
  let offset = (await statOrUndefined(incomplete))?.size ?? 0;
  if (offset > meta.size) {
    await rm(incomplete, { force: true });
    offset = 0;
  }
  if (offset === meta.size && offset > 0) return; // complete already; verify() decides

  // The file is opened before the request: once the response arrives, its body must be read
  // at once, or a connection dropped in between would take the buffered bytes with it.
  const handle = await open(incomplete, offset > 0 ? "r+" : "w");
  let outcome: { written: number; failure?: unknown; url: URL };
  try {
    outcome = await receive(settings, target, handle, offset, incomplete);
  } finally {
    await handle.close();
  }
  const { written, failure, url } = outcome;
  if (failure instanceof IntegrityError) {
    await rm(incomplete, { force: true });
    throw failure;
  }
  if (failure !== undefined) throw interruption(failure, target, written, url);
  if (written < meta.size) {
    throw new DownloadInterruptedError(
      file,
      written,
      meta.size,
      `Download of ${file} of ${id} ended early at ${formatBytes(written)} of ${formatBytes(meta.size)}; run the same call again to resume.`,
    );
  }
}

/**
 * Sends the (ranged) GET and streams the body into `handle`. Request-level failures throw;
 * failures while receiving are returned with the byte count reached, so they can be reported
 * as a resumable interruption.
 */
async function receive(settings: HubSettings, target: BlobTarget, handle: FileHandle, offset: number, incomplete: string): Promise<{ written: number; failure?: unknown; url: URL }> {
  const { meta, file, id } = target;
  const res = await openDownload(settings.client, meta.location, offset, { id, commit: target.commit, file });
  const shown = displayUrl(res.url);
  if (res.status === 416) {
    res.body.destroy();
    await rm(incomplete, { force: true });
    throw new DownloadInterruptedError(file, 0, meta.size, `${shown} refused to resume ${file} at byte ${offset}; restarting from zero.`);
  }
  const encoding = headerValue(res.headers, "content-encoding");
  if (encoding !== undefined && encoding !== "identity") {
    res.body.destroy();
    throw new HubResponseError(shown, `${shown} sent ${file} compressed (${encoding}) although identity was requested; a proxy may be rewriting responses.`);
  }
  // A 200 (or a range we did not ask for) means the server ignored Range: start over, do not append.
  const start = res.status === 206 && rangeMatches(headerValue(res.headers, "content-range"), offset) ? offset : 0;
  const bar = createProgressBar({ label: file, total: meta.size, unit: "bytes", initial: start, quiet: !settings.progress, stream: settings.stderr, env: settings.env });
  let written = start;
  let prepared = false;
  const prepare = async () => {
    if (!prepared) await handle.truncate(start);
    prepared = true;
  };
  try {
    await consumeBody(res.body, async (bytes) => {
      await prepare();
      if (written + bytes.length > meta.size) throw tooLong(target, written + bytes.length);
      await handle.write(bytes, 0, bytes.length, written);
      written += bytes.length;
      bar.increment(bytes.length);
    });
    await prepare();
    await handle.datasync();
  } catch (failure) {
    bar.fail();
    return { written, failure, url: res.url };
  }
  if (written < meta.size) bar.fail();
  else bar.finish();
  return { written, url: res.url };
}

function tooLong(target: BlobTarget, received: number): IntegrityError {
  const { file, id, meta } = target;
  return new IntegrityError(file, `${meta.size} bytes`, `more than ${received - 1} bytes`, `${file} of ${id}: the server sent more than the ${meta.size} bytes the hub announced; nothing was kept.`);
}

function rangeMatches(contentRange: string | undefined, offset: number): boolean {
  const match = /^bytes (\d+)-/.exec(contentRange ?? "");
  return match !== null && Number(match[1]) === offset;
}

async function hashFilePrefix(path: string, length: number, hasher: ContentHasher): Promise<void> {
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) hasher.update(chunk as Buffer);
}

function interruption(error: unknown, target: BlobTarget, written: number, url: URL): Error {
  if (error instanceof HubAbortError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOSPC" || code === "EDQUOT") {
    return new DiskFullError(
      target.paths.blobsDir,
      `No space left while writing ${target.file} of ${target.id} into ${target.paths.blobsDir} (${formatBytes(target.meta.size)} needed). ` +
        `Free some space (\`audioclass cache ls\` / \`cache rm\`) or set HF_HUB_CACHE to a bigger disk; the partial file is kept and will resume.`,
      { cause: error },
    );
  }
  const cause = toHubError(error, url);
  return new DownloadInterruptedError(
    target.file,
    written,
    target.meta.size,
    `Download of ${target.file} of ${target.id} was interrupted at ${formatBytes(written)} of ${formatBytes(target.meta.size)}: ${cause.message} ` +
      `The partial file is kept; the next call resumes it.`,
    { cause },
  );
}

/** Size, then content hash when the etag is one. */
async function verify(target: BlobTarget, incomplete: string): Promise<void> {
  const { meta, file, id } = target;
  const size = (await stat(incomplete)).size;
  if (size !== meta.size) {
    throw new IntegrityError(file, `${meta.size} bytes`, `${size} bytes`, `${file} of ${id}: received ${size} bytes but the hub announced ${meta.size}; nothing was kept. Retry; if it persists, the server or a proxy is corrupting the file.`);
  }
  const hasher = ContentHasher.forEtag(meta.etag, meta.size);
  if (hasher === undefined) return; // opaque etag (some mirrors): the size check is all we have
  await hashFilePrefix(incomplete, size, hasher);
  const actual = hasher.digest();
  if (actual !== meta.etag) {
    const what = hasher.kind === "sha256" ? "sha256" : "git blob sha1";
    throw new IntegrityError(
      file,
      meta.etag,
      actual,
      `${file} of ${id} is corrupt: its ${what} is ${actual} but the hub announced ${meta.etag}; nothing was kept. ` +
        `Retry; if it persists, the server or a proxy is corrupting the file.`,
    );
  }
}

async function warnIfLowOnSpace(settings: HubSettings, target: BlobTarget, alreadyHave: number): Promise<void> {
  try {
    const fs = await statfs(target.paths.blobsDir);
    const free = Number(fs.bavail) * Number(fs.bsize);
    const needed = target.meta.size - alreadyHave;
    if (free < needed) {
      settings.warn(`only ${formatBytes(free)} free in ${target.paths.blobsDir} but ${target.file} needs ${formatBytes(needed)}; the download will likely fail`);
    }
  } catch {
    // statfs is unsupported on some file systems: not knowing is fine
  }
}
