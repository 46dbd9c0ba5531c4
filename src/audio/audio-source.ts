/**
 * Getting the encoded bytes of an audio input: a file path, a file: URL, an http(s) URL (global
 * fetch), or bytes already in memory. Node modules are imported only when a path needs them, so
 * the layer also works in browsers.
 */
import { InvalidArgumentError, describeValue } from "../errors.js";
import { AudioSourceError, messageOf } from "./errors.js";
import { describeBytes } from "./bytes.js";
import { nodeBuiltin } from "../util/node-builtin.js";

/** Anything readAudio accepts: a path, an http(s) or file: URL, or the encoded bytes. */
export type ReadAudioInput = string | URL | Uint8Array | ArrayBuffer | Blob;

export interface AudioSource {
  readonly bytes: Uint8Array;
  /** How messages name the input: the path, the URL, or a description of the bytes. */
  readonly name: string;
}

/**
 * How much of one input is read, and how long a quiet stream is waited for. Files of known size
 * are checked before reading; FIFOs, devices (/dev/zero) and downloads are cut off at maxBytes,
 * and a FIFO or device that stays silent for idleTimeoutMs (no writer, a stalled producer) is
 * given up on instead of blocking forever.
 */
export interface SourceLimits {
  /** Default: 2 GiB − 1 byte, the most Node reads into one buffer. */
  readonly maxBytes?: number;
  /** Default: 30 s. */
  readonly idleTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

export const DEFAULT_MAX_INPUT_BYTES = 2 ** 31 - 1;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

interface Limits {
  maxBytes: number;
  idleTimeoutMs: number;
  signal: AbortSignal | undefined;
}

function checkLimits(limits: SourceLimits): Limits {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const idleTimeoutMs = limits.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  if (!(Number.isInteger(maxBytes) && maxBytes > 0 && maxBytes <= DEFAULT_MAX_INPUT_BYTES)) {
    throw new InvalidArgumentError(`maxBytes must be a whole number of bytes from 1 to ${DEFAULT_MAX_INPUT_BYTES}, got ${describeValue(maxBytes)}`);
  }
  if (!(idleTimeoutMs > 0)) throw new InvalidArgumentError(`idleTimeoutMs must be a positive number of milliseconds, got ${describeValue(idleTimeoutMs)}`);
  return { maxBytes, idleTimeoutMs, signal: limits.signal };
}

export async function readAudioSource(input: ReadAudioInput, sourceLimits: SourceLimits = {}): Promise<AudioSource> {
  const limits = checkLimits(sourceLimits);
  if (typeof input === "string") {
    if (/^https?:\/\//i.test(input)) return download(parseUrl(input), limits);
    if (/^file:\/\//i.test(input)) return readFromDisk(await filePath(parseUrl(input)), limits);
    if (input === "") throw new InvalidArgumentError("readAudio needs a file path, URL or bytes; got an empty string");
    return readFromDisk(input, limits);
  }
  if (input instanceof URL) {
    if (input.protocol === "http:" || input.protocol === "https:") return download(input, limits);
    if (input.protocol === "file:") return readFromDisk(await filePath(input), limits);
    throw new InvalidArgumentError(`readAudio reads http:, https: and file: URLs, not ${input.protocol} (${input.href})`);
  }
  if (input instanceof Uint8Array) return { bytes: input, name: describeBytes(input) };
  if (input instanceof ArrayBuffer) {
    const bytes = new Uint8Array(input);
    return { bytes, name: describeBytes(bytes) };
  }
  if (typeof Blob !== "undefined" && input instanceof Blob) {
    const bytes = new Uint8Array(await input.arrayBuffer());
    const fileName = (input as Blob & { name?: unknown }).name;
    return { bytes, name: typeof fileName === "string" && fileName ? fileName : `the ${bytes.length}-byte Blob` };
  }
  throw new InvalidArgumentError(
    `readAudio takes a file path, an http(s) URL, a URL object, a Uint8Array/Buffer, an ArrayBuffer or a Blob; got ${describeValue(input)}`,
  );
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch (cause) {
    throw new InvalidArgumentError(`readAudio got ${JSON.stringify(text)}, which is not a valid URL`, { cause });
  }
}

async function filePath(url: URL): Promise<string> {
  const { fileURLToPath } = await nodeBuiltin<typeof import("node:url")>("url", `reading ${url.href}`);
  try {
    return fileURLToPath(url);
  } catch (cause) {
    throw new InvalidArgumentError(`readAudio cannot read ${url.href}: ${messageOf(cause)}`, { cause });
  }
}

/** `size`: the input's size when known (else it went on past the limit while being read). */
function tooLarge(name: string, maxBytes: number, size?: { bytes: number; announced?: boolean }): AudioSourceError {
  const limit = `the ${formatSize(maxBytes)} audioclass reads from one input`;
  const what =
    size === undefined ? `it goes on past ${limit}`
    : size.announced ? `the server announces ${formatSize(size.bytes)}, more than ${limit}`
    : `it is ${formatSize(size.bytes)}, more than ${limit}`;
  return new AudioSourceError(name, `cannot read ${name}: ${what}; split the recording, or raise the limit (maxMemoryMB, --max-memory MB) if this machine has the memory`);
}

function formatSize(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function unreadable(path: string, cause: unknown): AudioSourceError {
  const code = (cause as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT" ? "no such file"
    : code === "EISDIR" ? "it is a directory, not an audio file"
    : code === "EACCES" || code === "EPERM" ? "permission denied"
    : messageOf(cause);
  return new AudioSourceError(path, `cannot read audio file ${path}: ${why}`, { cause });
}

async function readFromDisk(path: string, limits: Limits): Promise<AudioSource> {
  const { open, constants } = await nodeBuiltin<typeof import("node:fs/promises")>("fs/promises", `reading the file ${JSON.stringify(path)}`);
  let handle;
  try {
    // Non-blocking, so that opening a FIFO nobody writes to returns at once instead of parking
    // a thread of the pool for good; regular files are unaffected.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    throw unreadable(path, cause);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw unreadable(path, Object.assign(new Error("EISDIR"), { code: "EISDIR" }));
    if (info.isFile()) {
      if (info.size > limits.maxBytes) throw tooLarge(path, limits.maxBytes, { bytes: info.size });
      const buffer = await handle.readFile();
      return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), name: path };
    }
    return { bytes: await readSpecialFile(handle, path, info.isFIFO(), limits), name: path };
  } catch (cause) {
    throw cause instanceof AudioSourceError ? cause : unreadable(path, cause);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A FIFO, character device or socket: read until end of stream, at most maxBytes, giving up
 * after idleTimeoutMs without data. A FIFO without a writer reads as end-of-stream at once in
 * non-blocking mode, so until a writer has shown up (data, or EAGAIN) an empty read means "wait".
 */
async function readSpecialFile(handle: import("node:fs/promises").FileHandle, path: string, isFifo: boolean, limits: Limits): Promise<Uint8Array> {
  const chunks = new ByteChunks(path, limits.maxBytes);
  let writerSeen = !isFifo;
  let lastData = Date.now();
  const buffer = new Uint8Array(1 << 20);
  for (;;) {
    if (limits.signal?.aborted) throw limits.signal.reason;
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== "EAGAIN") throw unreadable(path, cause);
      writerSeen = true;
      bytesRead = -1;
    }
    if (bytesRead > 0) {
      chunks.push(buffer.subarray(0, bytesRead));
      lastData = Date.now();
      writerSeen = true;
      continue;
    }
    if (bytesRead === 0 && writerSeen) return chunks.concat();
    if (Date.now() - lastData > limits.idleTimeoutMs) {
      const what = isFifo && !writerSeen ? "no program opened it for writing" : "no data arrived";
      throw new AudioSourceError(path, `cannot read ${path}: ${what} for ${(limits.idleTimeoutMs / 1000).toFixed(1)} s; is the program that feeds it running?`);
    }
    await sleep(20);
  }
}

/** Collects chunks up to a byte limit (copying each, since read buffers are reused). */
class ByteChunks {
  private readonly parts: Uint8Array[] = [];
  private total = 0;

  constructor(
    private readonly name: string,
    private readonly maxBytes: number,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.total + chunk.length > this.maxBytes) throw tooLarge(this.name, this.maxBytes);
    this.parts.push(chunk.slice());
    this.total += chunk.length;
  }

  concat(): Uint8Array {
    const out = new Uint8Array(this.total);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/**
 * Reads a whole stream (standard input, a socket) with the same limits as a FIFO: at most
 * maxBytes, and an error when no data arrives for idleTimeoutMs.
 */
export async function readStreamBytes(stream: AsyncIterable<Uint8Array | string>, name: string, sourceLimits: SourceLimits = {}): Promise<Uint8Array> {
  const limits = checkLimits(sourceLimits);
  const chunks = new ByteChunks(name, limits.maxBytes);
  const iterator = stream[Symbol.asyncIterator]();
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AudioSourceError(name, `cannot read ${name}: no data arrived for ${(limits.idleTimeoutMs / 1000).toFixed(1)} s; is the program that feeds it running?`)),
        limits.idleTimeoutMs,
      );
    });
    try {
      const next = await Promise.race([iterator.next(), idle]);
      if (next.done) return chunks.concat();
      chunks.push(typeof next.value === "string" ? new TextEncoder().encode(next.value) : next.value);
    } catch (error) {
      // Not awaited: a stream that went silent never settles its pending read.
      iterator.return?.().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

async function download(url: URL, limits: Limits): Promise<AudioSource> {
  const signal = limits.signal;
  const name = url.href;
  let response: Response;
  try {
    response = await fetch(url, signal === undefined ? {} : { signal });
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    const detail = (cause as { cause?: unknown }).cause;
    throw new AudioSourceError(name, `cannot download ${name}: ${messageOf(cause)}${detail ? ` (${messageOf(detail)})` : ""}`, { cause });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new AudioSourceError(
      name,
      `cannot download ${name}: the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
      { status: response.status },
    );
  }
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(name, limits.maxBytes, { bytes: declared, announced: true });
  }
  if (response.body === null) return { bytes: new Uint8Array(0), name };
  try {
    return { bytes: await readStreamBytes(response.body as unknown as AsyncIterable<Uint8Array>, name, limits), name };
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    if (cause instanceof AudioSourceError) throw cause;
    throw new AudioSourceError(name, `cannot download ${name}: the transfer failed (${messageOf(cause)})`, { cause });
  }
}
