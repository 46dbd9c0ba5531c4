/**
 * Options shared by every hub entry point, and their resolution against the environment into the
 * settings one download run uses.
 */
import { createRequire } from "node:module";
import { hubEnvironment, resolveCacheDir, type Env } from "./environment.js";
import type { HubClient } from "./hub-api.js";
import { resolveToken } from "./token.js";
import type { ProgressStream } from "../util/progress.js";

export { type HubOptions, HUB_OPTION_KEYS } from "./hub-option-names.js";
import type { HubOptions } from "./hub-option-names.js";

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
