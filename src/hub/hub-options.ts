/**
 * Options shared by every hub entry point, and their resolution against the environment into the
 * settings one download run uses.
 */
import { createRequire } from "node:module";
import { hubEnvironment, resolveCacheDir, type Env } from "./environment.js";
import type { HubClient } from "./hub-api.js";
import { resolveToken } from "./token.js";
import type { ProgressStream } from "../util/progress.js";
import type { FileSelector } from "./file-selection.js";

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
}

/** Every HubOptions key, for rejecting unknown ones (the type check below keeps the list complete). */
export const HUB_OPTION_KEYS = [
  "revision", "cacheDir", "localFilesOnly", "endpoint", "token", "files", "progress", "stderr", "metadataTimeoutMs",
  "downloadTimeoutMs", "retries", "retryDelayMs", "useSymlinks", "lockTimeoutMs", "signal", "env",
] as const satisfies readonly (keyof HubOptions)[];
const HUB_KEYS_COMPLETE: Exclude<keyof HubOptions, (typeof HUB_OPTION_KEYS)[number]> extends never ? true : never = true;
void HUB_KEYS_COMPLETE;

/** Everything one run needs, with defaults applied. */
export interface HubSettings {
  endpoint: string;
  cacheDir: string;
  offline: boolean;
  /** True when HF_HUB_OFFLINE (not the option) forced offline mode: changes the advice given. */
  offlineFromEnv: boolean;
  client: HubClient;
  progress: boolean;
  stderr: ProgressStream;
  env: Env;
  useSymlinks: boolean | undefined;
  lockTimeoutMs: number | undefined;
  signal: AbortSignal | undefined;
  /** One line to stderr, prefixed, never containing the token. */
  warn(message: string): void;
}

const DEFAULT_RETRIES = 5;
const DEFAULT_RETRY_DELAY_MS = 1000;

export function resolveHubSettings(options: HubOptions = {}): HubSettings {
  const env = options.env ?? process.env;
  const hubEnv = hubEnvironment(env);
  const endpoint = (options.endpoint ?? hubEnv.endpoint).trim().replace(/\/+$/, "");
  const token = resolveToken(options.token, env, hubEnv);
  const stderr = options.stderr ?? process.stderr;
  const signal = options.signal;
  return {
    endpoint,
    cacheDir: resolveCacheDir(options.cacheDir, env),
    offline: hubEnv.offline || options.localFilesOnly === true,
    offlineFromEnv: hubEnv.offline,
    client: {
      endpoint,
      token,
      userAgent: userAgent(),
      metadataTimeoutMs: options.metadataTimeoutMs ?? hubEnv.etagTimeoutMs,
      downloadTimeoutMs: options.downloadTimeoutMs ?? hubEnv.downloadTimeoutMs,
      retry: { retries: options.retries ?? DEFAULT_RETRIES, baseDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS, signal },
      signal,
    },
    progress: (options.progress ?? true) && !hubEnv.disableProgressBars,
    stderr,
    env,
    useSymlinks: options.useSymlinks,
    lockTimeoutMs: options.lockTimeoutMs,
    signal,
    warn(message: string) {
      stderr.write(`audioclass: ${token === undefined ? message : message.split(token).join("***")}\n`);
    },
  };
}

let cachedUserAgent: string | undefined;

function userAgent(): string {
  if (cachedUserAgent === undefined) {
    let version = "unknown";
    try {
      // src/hub and dist/hub are both two levels below the package root.
      version = (createRequire(import.meta.url)("../../package.json") as { version?: string }).version ?? version;
    } catch {
      // bundled or relocated: the version is only informational
    }
    cachedUserAgent = `audioclass/${version}; node/${process.versions.node}`;
  }
  return cachedUserAgent;
}
