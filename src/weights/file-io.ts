/**
 * Node file access for the weights layer: whole-file reads in a few large chunks, a positional
 * ByteSource for files too big for one buffer, and atomic writes (temp file in the same folder,
 * fsync, rename) so a crash never leaves a half-written checkpoint behind.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { type ByteSource, checkRange, MemoryByteSource } from "./byte-source.js";
import { WeightsChangedError, WeightsError, WeightsFormatError, WeightsNotFoundError, WeightsReadError, WeightsWriteError } from "./errors.js";
import { type FileIdentity, type FilePiece, type FileRange, identityOf, sameFileIdentity } from "./file-range.js";

/** Files above this are read tensor by tensor instead of into one buffer. */
export const DEFAULT_MAX_IN_MEMORY_BYTES = 2 ** 31;

const CHUNK = 64 * 1024 * 1024;

function readFailure(path: string, cause: unknown): WeightsError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return new WeightsNotFoundError(`${path} does not exist`, [path], { file: path }, { cause });
  return new WeightsReadError(`cannot read ${path}: ${(cause as Error).message}`, path, { cause });
}

/** The whole file in one freshly allocated buffer (byteOffset 0, so views of it are aligned). */
export async function readWholeFile(path: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (cause) {
    throw readFailure(path, cause);
  }
  try {
    const { size } = await handle.stat();
    // allocUnsafeSlow: not from the shared pool (offset 0) and not zero-filled (we overwrite it all).
    const buffer = Buffer.allocUnsafeSlow(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buffer, filled, Math.min(CHUNK, size - filled), filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === size ? buffer : buffer.subarray(0, filled);
  } catch (cause) {
    throw readFailure(path, cause);
  } finally {
    await handle.close();
  }
}

export function readWholeFileSync(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (cause) {
    throw readFailure(path, cause);
  }
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafeSlow(size);
    let filled = 0;
    while (filled < size) {
      const n = readSync(fd, buffer, filled, Math.min(CHUNK, size - filled), filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === size ? buffer : buffer.subarray(0, filled);
  } catch (cause) {
    throw readFailure(path, cause);
  } finally {
    closeSync(fd);
  }
}

/** Closes descriptors of FileByteSources that were dropped without close() (a safety net, not the plan). */
const unclosedFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed or invalid: nothing left to release.
  }
});

/** Bytes [offset, offset + length) of an open file, in a fresh (aligned) buffer. */
function readRange(fd: number, label: string, offset: number, length: number): Uint8Array {
  const out = Buffer.allocUnsafeSlow(length);
  let filled = 0;
  try {
    while (filled < length) {
      const n = readSync(fd, out, filled, Math.min(CHUNK, length - filled), offset + filled);
      if (n === 0) break;
      filled += n;
    }
  } catch (cause) {
    throw readFailure(label, cause);
  }
  if (filled < length) {
    throw new WeightsFormatError(`${label} ended after ${offset + filled} bytes while reading ${length} bytes at ${offset}; the file shrank while open — was it being rewritten?`, { file: label });
  }
  return out;
}

function changedError(label: string, what: string): WeightsChangedError {
  return new WeightsChangedError(`${label} ${what} after it was opened; its tensors no longer match the header that was read — load the model again`, label);
}

/**
 * Reads a recorded file range, opening the file again by path: refused with WeightsChangedError
 * when the file is gone or is no longer the version the range was taken from.
 */
export function readFileRange(range: FileRange, label: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(range.path, "r");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw changedError(label, "was removed");
    throw readFailure(label, cause);
  }
  try {
    if (!sameFileIdentity(identityOf(fstatSync(fd)), range.identity)) throw changedError(label, "was replaced or rewritten");
    return readRange(fd, label, range.offset, range.length);
  } finally {
    closeSync(fd);
  }
}

/**
 * A ByteSource reading on demand from an open file: each read allocates a fresh (aligned) buffer.
 * Used for checkpoints over the in-memory limit, for shards and for file-backed loading; call
 * close() when done.
 */
export class FileByteSource implements ByteSource {
  readonly byteLength: number;
  /** The opened file's identity, against which later reads by path are checked. */
  readonly identity: FileIdentity;
  private fd: number | undefined;
  private resolvedPath: string | undefined;

  constructor(readonly label: string) {
    try {
      this.fd = openSync(label, "r");
      this.identity = identityOf(fstatSync(this.fd));
      this.byteLength = this.identity.size;
      unclosedFiles.register(this, this.fd, this);
    } catch (cause) {
      if (this.fd !== undefined) closeSync(this.fd);
      throw readFailure(label, cause);
    }
  }

  read(offset: number, length: number): Uint8Array {
    checkRange(this, offset, length, "a read");
    if (this.fd === undefined) throw new WeightsReadError(`${this.label} was closed; open the checkpoint again to read more tensors`, this.label);
    return readRange(this.fd, this.label, offset, length);
  }

  filePiece(offset: number, length: number): FilePiece {
    checkRange(this, offset, length, "a tensor");
    const range: FileRange = { path: this.realPath(), offset, length, identity: this.identity };
    const label = this.label;
    return { range, read: () => readFileRange(range, label) };
  }

  /** The opened file's path with symlinks resolved (HF cache snapshots link into blobs/). */
  private realPath(): string {
    if (this.resolvedPath !== undefined) return this.resolvedPath;
    let path: string;
    let identity: FileIdentity;
    try {
      path = realpathSync(this.label);
      identity = identityOf(statSync(path));
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") throw changedError(this.label, "was removed");
      throw readFailure(this.label, cause);
    }
    // The path must still name the file that is open, or the range would describe another file.
    if (!sameFileIdentity(identity, this.identity)) throw changedError(this.label, "was replaced or rewritten");
    this.resolvedPath = path;
    return path;
  }

  close(): void {
    if (this.fd === undefined) return;
    unclosedFiles.unregister(this);
    closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface OpenFileOptions {
  /** Files larger than this are read lazily through a file handle instead of into memory (default 2 GiB). */
  maxInMemoryBytes?: number;
  /**
   * Leave safetensors tensors in their file: nothing is read up front, and getTensor returns
   * FileBackedTensors (read on first access to `data`) whose file range ONNX Runtime can load
   * directly. For building inference sessions; other uses are better served by one bulk read.
   */
  fileBacked?: boolean;
}

/** Reads the file into memory, or opens it for lazy reads when it is larger than `maxInMemoryBytes`. */
export async function openByteSource(path: string, options: OpenFileOptions = {}): Promise<ByteSource> {
  const limit = options.maxInMemoryBytes ?? DEFAULT_MAX_IN_MEMORY_BYTES;
  const lazy = new FileByteSource(path);
  if (lazy.byteLength > limit) return lazy;
  lazy.close();
  return new MemoryByteSource(await readWholeFile(path), path);
}

/** Writes at most this much per write call (some platforms cap a single write near 2 GiB). */
const WRITE_CHUNK = 1024 * 1024 * 1024;

/**
 * Writes `parts` to a new temp file next to `path` and fsyncs it; `commitFile` then renames it
 * into place. Split in two so several files (shards + index) can be prepared before any is replaced.
 */
export async function writeTempFile(path: string, parts: readonly Uint8Array[]): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let handle;
  try {
    handle = await open(temp, "wx", 0o644);
    let position = 0;
    for (const part of parts) {
      for (let offset = 0; offset < part.byteLength; ) {
        const length = Math.min(WRITE_CHUNK, part.byteLength - offset);
        const { bytesWritten } = await handle.write(part, offset, length, position);
        offset += bytesWritten;
        position += bytesWritten;
      }
    }
    await handle.sync();
    await handle.close();
    return temp;
  } catch (cause) {
    if (handle) await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw new WeightsWriteError(`could not write ${path}: ${(cause as Error).message}; the previous file (if any) is unchanged`, { file: path }, { cause });
  }
}

/** Renames a temp file from `writeTempFile` over `path` and makes the rename durable. */
export async function commitFile(temp: string, path: string): Promise<void> {
  try {
    await rename(temp, path);
  } catch (cause) {
    await unlink(temp).catch(() => undefined);
    throw new WeightsWriteError(`could not move the new ${basename(path)} into place: ${(cause as Error).message}; the previous file (if any) is unchanged`, { file: path }, { cause });
  }
  await syncDirectory(dirname(path));
}

/** Discards temp files after a failure. */
export async function discardTempFiles(temps: readonly string[]): Promise<void> {
  await Promise.all(temps.map((t) => unlink(t).catch(() => undefined)));
}

/**
 * Writes `parts` to `path` atomically: a temp file in the same folder, fsync, rename over the
 * target, fsync the folder. On failure the temp file is removed and the old file (if any) is intact.
 */
export async function atomicWriteFile(path: string, parts: readonly Uint8Array[]): Promise<void> {
  await commitFile(await writeTempFile(path, parts), path);
}

/** Makes the rename durable; some file systems refuse to fsync a directory, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directory fsync is best-effort (not supported on every platform / file system).
  }
}
