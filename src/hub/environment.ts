/**
 * The environment variables huggingface_hub reads, read the same way, so that a user's existing
 * setup (mirror, cache location, offline switch, timeouts) applies to us unchanged.
 */
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

export const DEFAULT_ENDPOINT = "https://huggingface.co";
export const DEFAULT_REVISION = "main";
/** huggingface_hub's DEFAULT_ETAG_TIMEOUT / DEFAULT_DOWNLOAD_TIMEOUT, in seconds. */
const DEFAULT_TIMEOUT_SECONDS = 10;

export type Env = Readonly<Record<string, string | undefined>>;

/** The values huggingface_hub's `constants.py` derives from the environment. */
export interface HubEnvironment {
  endpoint: string;
  hfHome: string;
  cacheDir: string;
  tokenPath: string;
  offline: boolean;
  etagTimeoutMs: number;
  downloadTimeoutMs: number;
  disableProgressBars: boolean;
  disableImplicitToken: boolean;
}

/** huggingface_hub's ENV_VARS_TRUE_VALUES. */
export function isTruthyEnv(value: string | undefined): boolean {
  return value !== undefined && ["1", "ON", "YES", "TRUE"].includes(value.trim().toUpperCase());
}

function expandHome(path: string, env: Env): string {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (path === "~") return home;
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(home, path.slice(2));
  return path;
}

function absolutePath(path: string, env: Env): string {
  const expanded = expandHome(path, env);
  return isAbsolute(expanded) ? expanded : resolve(expanded);
}

function secondsToMs(value: string | undefined, fallbackSeconds: number): number {
  const seconds = value === undefined || value.trim() === "" ? NaN : Number(value);
  return Math.round((Number.isFinite(seconds) && seconds > 0 ? seconds : fallbackSeconds) * 1000);
}

export function hubEnvironment(env: Env = process.env): HubEnvironment {
  const cacheHome = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : join(expandHome("~", env), ".cache");
  const hfHome = absolutePath(env.HF_HOME || join(cacheHome, "huggingface"), env);
  // HUGGINGFACE_HUB_CACHE is the legacy name huggingface_hub still honours.
  const cacheDir = absolutePath(env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || join(hfHome, "hub"), env);
  const endpoint = (env.HF_ENDPOINT || DEFAULT_ENDPOINT).trim().replace(/\/+$/, "");
  return {
    endpoint,
    hfHome,
    cacheDir,
    tokenPath: absolutePath(env.HF_TOKEN_PATH || join(hfHome, "token"), env),
    // TRANSFORMERS_OFFLINE is honoured by huggingface_hub as an alias.
    offline: isTruthyEnv(env.HF_HUB_OFFLINE) || isTruthyEnv(env.TRANSFORMERS_OFFLINE),
    etagTimeoutMs: secondsToMs(env.HF_HUB_ETAG_TIMEOUT, DEFAULT_TIMEOUT_SECONDS),
    downloadTimeoutMs: secondsToMs(env.HF_HUB_DOWNLOAD_TIMEOUT, DEFAULT_TIMEOUT_SECONDS),
    disableProgressBars: isTruthyEnv(env.HF_HUB_DISABLE_PROGRESS_BARS),
    disableImplicitToken: isTruthyEnv(env.HF_HUB_DISABLE_IMPLICIT_TOKEN),
  };
}

/** Resolves a user-supplied cache folder the way the environment's would be (tilde, relative). */
export function resolveCacheDir(cacheDir: string | undefined, env: Env = process.env): string {
  return cacheDir === undefined ? hubEnvironment(env).cacheDir : absolutePath(cacheDir, env);
}

/**
 * audioclass's own cache folder (things derived from models, e.g. converted weights; never the
 * Hugging Face cache): $AUDIOCLASS_CACHE, else $XDG_CACHE_HOME/audioclass, else ~/.cache/audioclass.
 */
export function audioclassCacheDir(env: Env = process.env): string {
  if (env.AUDIOCLASS_CACHE) return absolutePath(env.AUDIOCLASS_CACHE, env);
  const cacheHome = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : join(expandHome("~", env), ".cache");
  return absolutePath(join(cacheHome, "audioclass"), env);
}
