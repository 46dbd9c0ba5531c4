/**
 * Reading a request's audio within the server's limits: at most `maxBytes` (an announced
 * Content-Length above it is refused before reading), and all of it before the request's
 * deadline — a client that dribbles bytes gets BodyTimeoutError instead of holding a connection
 * and a growing buffer. Raw bodies and multipart uploads (the field "file") go through here.
 */
import type { Readable } from "node:stream";
import type { FastifyRequest } from "fastify";
import { AudioclassError } from "../errors.js";
import { BodyTimeoutError, PayloadTooLargeError, RequestBodyError } from "./errors.js";

export interface BodyLimits {
  maxBytes: number;
  /** Date.now() by which the whole body must have arrived. */
  deadline: number;
  /** The configured timeout, for messages. */
  timeoutSeconds: number;
}

/** Multipart framing and fields on top of the file itself. */
const MULTIPART_OVERHEAD_BYTES = 1 << 20;
const MAX_FIELD_BYTES = 64 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e6 ? 3 : 1)} MB`;
}

function tooLarge(limits: BodyLimits, what: string, bytes?: number): PayloadTooLargeError {
  const size = bytes === undefined ? "more than that" : megabytes(bytes);
  return new PayloadTooLargeError(`${what} is ${size}; this server takes at most ${megabytes(limits.maxBytes)} per request (--max-body-mb)`);
}

function timedOut(limits: BodyLimits, what: string, received: number): BodyTimeoutError {
  return new BodyTimeoutError(`${what} did not arrive within ${limits.timeoutSeconds} s (--request-timeout); ${received} bytes came`);
}

/** Refuses a body whose Content-Length already says it is too large (before reading any of it). */
export function checkDeclaredLength(request: FastifyRequest, limits: BodyLimits, overhead = 0): void {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limits.maxBytes + overhead) throw tooLarge(limits, "the request body", declared);
}

/** All of a stream's bytes, within the limits. On failure the stream is left paused (the caller closes the connection). */
export function readStreamWithin(stream: Readable, limits: BodyLimits, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (outcome: { body: Buffer } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      if ("body" in outcome) return resolve(outcome.body);
      stream.on("error", () => {}); // late errors of an abandoned stream are expected
      stream.pause();
      reject(outcome.error);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limits.maxBytes) finish({ error: tooLarge(limits, what) });
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish({ body: Buffer.concat(chunks, received) });
    const onError = (error: Error): void => finish({ error: error instanceof AudioclassError ? error : new RequestBodyError(`${what} could not be read: ${error.message}`, { cause: error }) });
    const onClose = (): void => finish({ error: new RequestBodyError(`the connection closed before ${what} was complete (${received} bytes came)`) });
    const timer = setTimeout(() => finish({ error: timedOut(limits, what, received) }), Math.max(0, limits.deadline - Date.now()));
    stream.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

/** `promise`, or BodyTimeoutError at the deadline (the promise's own later failure is ignored). */
function beforeDeadline<T>(promise: Promise<T>, limits: BodyLimits, what: string): Promise<T> {
  promise.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(limits, what, 0)), Math.max(0, limits.deadline - Date.now()));
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The multipart parser's errors: its limits are 413, anything else means the body is malformed. */
function multipartError(error: unknown, limits: BodyLimits): Error {
  if (error instanceof AudioclassError) return error;
  if ((error as { statusCode?: unknown } | null)?.statusCode === 413) return tooLarge(limits, "the multipart body");
  const message = error instanceof Error ? error.message : String(error);
  return new RequestBodyError(`the multipart/form-data body is malformed (${message}); send the audio as the field "file", e.g. curl -F file=@clip.wav`, { cause: error });
}

export interface MultipartAudio {
  file: Buffer;
  /** The other fields, by name (a repeated field keeps its last value). */
  fields: Record<string, string>;
}

/** Reads a multipart/form-data body: the audio from the field "file", and every other (text) field. */
export async function readMultipartAudio(request: FastifyRequest, limits: BodyLimits): Promise<MultipartAudio> {
  checkDeclaredLength(request, limits, MULTIPART_OVERHEAD_BYTES);
  const fields: Record<string, string> = {};
  let file: Buffer | undefined;
  const parts = request.parts({ limits: { files: 1, fields: 32, parts: 33, fieldSize: MAX_FIELD_BYTES, fileSize: limits.maxBytes + 1, headerPairs: 100 } });
  const iterator = parts[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await beforeDeadline(iterator.next(), limits, "the multipart body");
      if (next.done === true) break;
      const part = next.value;
      if (part.type === "file") {
        if (part.fieldname !== "file") throw new RequestBodyError(`unexpected file field ${JSON.stringify(part.fieldname)}: send the audio as the field "file"`);
        file = await readStreamWithin(part.file, limits, 'the field "file"');
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    throw multipartError(error, limits);
  }
  if (file === undefined) throw new RequestBodyError('the multipart body has no field "file": send the audio as the field "file", e.g. curl -F file=@clip.wav');
  return { file, fields };
}
