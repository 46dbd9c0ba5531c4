/**
 * Getting the encoded bytes of an audio input: a file path, a file: URL, an http(s) URL (global
 * fetch), or bytes already in memory. Node modules are imported only when a path needs them, so
 * the layer also works in browsers.
 */
import { InvalidArgumentError, describeValue } from "../errors.js";
import { AudioSourceError, messageOf } from "./errors.js";
import { describeBytes } from "./bytes.js";

/** Anything readAudio accepts: a path, an http(s) or file: URL, or the encoded bytes. */
export type ReadAudioInput = string | URL | Uint8Array | ArrayBuffer | Blob;

export interface AudioSource {
  readonly bytes: Uint8Array;
  /** How messages name the input: the path, the URL, or a description of the bytes. */
  readonly name: string;
}

export async function readAudioSource(input: ReadAudioInput, signal?: AbortSignal): Promise<AudioSource> {
  if (typeof input === "string") {
    if (/^https?:\/\//i.test(input)) return download(parseUrl(input), signal);
    if (/^file:\/\//i.test(input)) return readFromDisk(await filePath(parseUrl(input)));
    if (input === "") throw new InvalidArgumentError("readAudio needs a file path, URL or bytes; got an empty string");
    return readFromDisk(input);
  }
  if (input instanceof URL) {
    if (input.protocol === "http:" || input.protocol === "https:") return download(input, signal);
    if (input.protocol === "file:") return readFromDisk(await filePath(input));
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
  const { fileURLToPath } = await import("node:url");
  try {
    return fileURLToPath(url);
  } catch (cause) {
    throw new InvalidArgumentError(`readAudio cannot read ${url.href}: ${messageOf(cause)}`, { cause });
  }
}

async function readFromDisk(path: string): Promise<AudioSource> {
  const { readFile } = await import("node:fs/promises");
  try {
    const buffer = await readFile(path);
    return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), name: path };
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file"
      : code === "EISDIR" ? "it is a directory, not an audio file"
      : code === "EACCES" || code === "EPERM" ? "permission denied"
      : messageOf(cause);
    throw new AudioSourceError(path, `cannot read audio file ${path}: ${why}`, { cause });
  }
}

async function download(url: URL, signal?: AbortSignal): Promise<AudioSource> {
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
  try {
    return { bytes: new Uint8Array(await response.arrayBuffer()), name };
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    throw new AudioSourceError(name, `cannot download ${name}: the transfer failed (${messageOf(cause)})`, { cause });
  }
}
