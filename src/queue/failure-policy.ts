/**
 * Which failures of a job are worth retrying. A file that cannot be decoded, is not audio, is
 * missing, or that the model refuses (an AudioclassError from reading, decoding or classifying)
 * will fail the same way every time: it goes to the failed set at once, with its typed error. A
 * failure that may pass — a server answering 503, a dropped download, an overloaded file
 * server, or anything that is not one of our typed errors (a crash in ONNX Runtime, running out
 * of file handles) — is retried with backoff, and recorded as failed only when the attempts run
 * out.
 */
import { AudioSourceError } from "../audio/index.js";
import { AudioclassError } from "../errors.js";

export type FailureKind = "permanent" | "transient";

/** HTTP statuses that say "later", not "never". */
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/** errno codes of a file system that is busy or away for a moment (NFS, a full process table). */
const TRANSIENT_ERRNO = new Set(["EAGAIN", "EBUSY", "EIO", "EMFILE", "ENFILE", "ESTALE", "ETIMEDOUT", "ECONNRESET", "ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

function errnoOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && TRANSIENT_ERRNO.has(code)) return code;
  }
  return undefined;
}

export function failureKind(error: unknown): FailureKind {
  if (!(error instanceof AudioclassError)) return "transient";
  if (error instanceof AudioSourceError) {
    if (error.status !== undefined) return RETRYABLE_STATUSES.has(error.status) ? "transient" : "permanent";
    if (errnoOf(error) !== undefined) return "transient";
    // A download that failed without an HTTP answer (fetch failed, transfer cut) may pass.
    if (/^https?:\/\//i.test(error.input) && error.cause !== undefined) return "transient";
  }
  return "permanent";
}

/** A failure as the record `classify` writes: the error's class name and message. */
export function errorOf(error: unknown): { type: string; message: string } {
  if (error instanceof Error) return { type: error.name, message: error.message };
  return { type: "Error", message: String(error) };
}
