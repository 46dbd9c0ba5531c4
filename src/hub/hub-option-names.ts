/**
 * The options every hub entry point takes, and their names for rejecting unknown ones. Kept apart
 * from their resolution (hub-options.ts, Node's environment and token file) so that browser code
 * can check option names without reaching Node modules.
 */
import type { Env } from "./environment.js";
import type { FileSelector } from "./file-selection.js";
import type { ProgressStream } from "../util/progress.js";

export interface HubOptions {
  /** Branch, tag or commit sha. Default "main" (or the "@rev" in the reference). */
  revision?: string;
  /** Cache folder. Default $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub. */
  cacheDir?: string;
  /** Use only the cache, never the network (also forced by HF_HUB_OFFLINE=1). */
  localFilesOnly?: boolean;
  /** Hub URL. Default $HF_ENDPOINT, else https://huggingface.co. */
  endpoint?: string;
  /** Access token; `false` to send none. Default HF_TOKEN, then the token file. */
  token?: string | false;
  /** Which repo files to fetch: a list, or a function of the repo's file list. Default `selectModelFiles`. */
  files?: readonly string[] | FileSelector;
  /** Progress bars on stderr. Default true (HF_HUB_DISABLE_PROGRESS_BARS=1 turns them off). */
  progress?: boolean;
  /** Where progress and warnings go. Default process.stderr. */
  stderr?: ProgressStream;
  /** Idle timeout for metadata requests (ms). Default $HF_HUB_ETAG_TIMEOUT s, else 10 s. */
  metadataTimeoutMs?: number;
  /** Idle timeout while downloading (ms). Default $HF_HUB_DOWNLOAD_TIMEOUT s, else 10 s. */
  downloadTimeoutMs?: number;
  /** Retries of transient failures (drops, timeouts, 429, 5xx) per download, each resuming; metadata requests retry at most twice. Default 5. */
  retries?: number;
  /** First backoff delay between retries (ms), doubling each time. Default 1000. */
  retryDelayMs?: number;
  /** Symlinks from snapshots to blobs. Default: when the cache's file system supports them. */
  useSymlinks?: boolean;
  /** Give up waiting for another process's download after this long (ms). Default: wait while it is alive. */
  lockTimeoutMs?: number;
  signal?: AbortSignal;
  /** Environment to read HF_* variables from. Default process.env. */
  env?: Env;
  /**
   * Browsers: the Cache Storage cache model files are kept in (default "audioclass-models"), or
   * false to fetch them every time. Node keeps them in the Hugging Face cache and ignores this.
   */
  browserCache?: boolean | string;
}

/** Every HubOptions key, for rejecting unknown ones (the type check below keeps the list complete). */
export const HUB_OPTION_KEYS = [
  "revision", "cacheDir", "localFilesOnly", "endpoint", "token", "files", "progress", "stderr", "metadataTimeoutMs",
  "downloadTimeoutMs", "retries", "retryDelayMs", "useSymlinks", "lockTimeoutMs", "signal", "env", "browserCache",
] as const satisfies readonly (keyof HubOptions)[];
const HUB_KEYS_COMPLETE: Exclude<keyof HubOptions, (typeof HUB_OPTION_KEYS)[number]> extends never ? true : never = true;
void HUB_KEYS_COMPLETE;

