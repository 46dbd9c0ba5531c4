/**
 * Errors of the hub layer. Each names the model id / file / URL involved and says what would
 * work. None of them ever carries the token: messages are built from ids, display URLs (no
 * query string, no credentials) and server text passed through `redactSecrets`.
 */
import { AudioclassError } from "../errors.js";

/** The root of every error thrown by `hub/`: catch this to handle any resolution failure. */
export class HubError extends AudioclassError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A model reference, repo id, revision or file name is malformed. */
export class InvalidModelRefError extends HubError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("HUB_INVALID_REF", message, options);
  }
}

/** A reference looks like a path but no such folder exists. */
export class ModelFolderNotFoundError extends HubError {
  readonly path: string;
  constructor(path: string, message: string) {
    super("HUB_FOLDER_NOT_FOUND", message);
    this.path = path;
  }
}

/** The hub says the repository does not exist (or is private and the token cannot read it). */
export class RepositoryNotFoundError extends HubError {
  readonly id: string;
  readonly endpoint: string;
  constructor(id: string, endpoint: string, message: string) {
    super("HUB_REPO_NOT_FOUND", message);
    this.id = id;
    this.endpoint = endpoint;
  }
}

/** The repository exists but the branch, tag or commit does not. */
export class RevisionNotFoundError extends HubError {
  readonly id: string;
  readonly revision: string;
  constructor(id: string, revision: string, message: string) {
    super("HUB_REVISION_NOT_FOUND", message);
    this.id = id;
    this.revision = revision;
  }
}

/** A file is not in the repository at that revision. */
export class EntryNotFoundError extends HubError {
  readonly id: string;
  readonly file: string;
  constructor(id: string, file: string, message: string) {
    super("HUB_FILE_NOT_FOUND", message);
    this.id = id;
    this.file = file;
  }
}

/** The repository is gated: a token with accepted conditions is required. */
export class GatedRepoError extends HubError {
  readonly id: string;
  constructor(id: string, message: string) {
    super("HUB_GATED", message);
    this.id = id;
  }
}

/** 401/403 that is not about gating: missing, invalid or under-privileged token. */
export class HubAuthError extends HubError {
  readonly status: number;
  constructor(status: number, message: string) {
    super("HUB_AUTH", message);
    this.status = status;
  }
}

/** Any other unexpected HTTP status. `retryable` is true for 429 and 5xx. */
export class HubHttpError extends HubError {
  readonly status: number;
  readonly url: string;
  readonly retryable: boolean;
  /** Seconds the server asked us to wait (Retry-After), if any. */
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, url: string, message: string, retryAfterSeconds?: number) {
    super("HUB_HTTP", message);
    this.status = status;
    this.url = url;
    this.retryable = status === 429 || status >= 500;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The server could not be reached or the connection failed mid-way. */
export class HubConnectionError extends HubError {
  readonly url: string;
  readonly retryable: boolean;
  constructor(url: string, message: string, options: { cause?: unknown; retryable: boolean; code?: string }) {
    super(options.code ?? "HUB_CONNECTION", message, { cause: options.cause });
    this.url = url;
    this.retryable = options.retryable;
  }
}

/** The server did not answer (or stopped sending) within the timeout. */
export class HubTimeoutError extends HubConnectionError {
  readonly timeoutMs: number;
  constructor(url: string, timeoutMs: number, message: string) {
    super(url, message, { retryable: true, code: "HUB_TIMEOUT" });
    this.timeoutMs = timeoutMs;
  }
}

/** The server answered without the headers a hub must send (commit, etag, size) or with bad values. */
export class HubResponseError extends HubError {
  readonly url: string;
  constructor(url: string, message: string) {
    super("HUB_BAD_RESPONSE", message);
    this.url = url;
  }
}

/** A download stopped before the end; the partial file is kept so the next call resumes it. */
export class DownloadInterruptedError extends HubError {
  readonly file: string;
  readonly receivedBytes: number;
  readonly expectedBytes: number;
  constructor(file: string, receivedBytes: number, expectedBytes: number, message: string, options?: { cause?: unknown }) {
    super("HUB_DOWNLOAD_INTERRUPTED", message, options);
    this.file = file;
    this.receivedBytes = receivedBytes;
    this.expectedBytes = expectedBytes;
  }
}

/** The cache's disk filled up mid-download; the partial file is kept for resuming. */
export class DiskFullError extends HubError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super("HUB_DISK_FULL", message, options);
    this.path = path;
  }
}

/** Downloaded bytes do not match the size or hash the hub announced; nothing was kept. */
export class IntegrityError extends HubError {
  readonly file: string;
  readonly expected: string;
  readonly actual: string;
  constructor(file: string, expected: string, actual: string, message: string) {
    super("HUB_INTEGRITY", message);
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A file name from the server (or the caller) would escape the cache folder. */
export class UnsafeFileNameError extends HubError {
  readonly fileName: string;
  constructor(fileName: string, message: string) {
    super("HUB_UNSAFE_FILE_NAME", message);
    this.fileName = fileName;
  }
}

/** Offline (HF_HUB_OFFLINE / localFilesOnly) or unreachable, and the cache lacks what is needed. */
export class NotCachedError extends HubError {
  readonly id: string;
  readonly revision: string;
  /** The missing file, when a snapshot exists but is incomplete. */
  readonly file: string | undefined;
  constructor(id: string, revision: string, file: string | undefined, message: string, options?: { cause?: unknown }) {
    super("HUB_NOT_CACHED", message, options);
    this.id = id;
    this.revision = revision;
    this.file = file;
  }
}

/** The repository (or cached snapshot) has no usable model files (config, weights). */
export class ModelFilesNotFoundError extends HubError {
  constructor(message: string) {
    super("HUB_NO_MODEL_FILES", message);
  }
}

/** Waiting for another process's download lock took longer than allowed. */
export class LockTimeoutError extends HubError {
  readonly lockPath: string;
  constructor(lockPath: string, message: string) {
    super("HUB_LOCK_TIMEOUT", message);
    this.lockPath = lockPath;
  }
}

/** A cache maintenance operation (cache rm) cannot be carried out. */
export class CacheOperationError extends HubError {
  constructor(message: string) {
    super("HUB_CACHE", message);
  }
}

/** The operation was cancelled through the caller's AbortSignal. */
export class HubAbortError extends HubError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("HUB_ABORTED", message, options);
  }
}
