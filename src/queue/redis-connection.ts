/**
 * Connecting to Redis. A wrong URL or a Redis that is not running fails at once with a
 * RedisUnreachableError saying how to start one; once connected, a client rides out Redis
 * restarts (ioredis reconnects with backoff and holds commands until it is back), and says so
 * once per outage rather than once per retry.
 */
import { Redis } from "ioredis";
import { QueueOptionError, RedisUnreachableError } from "./errors.js";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** How long the first contact may take before the URL is called unreachable. */
const PROBE_TIMEOUT_MS = 5_000;
/** Reconnection backoff: 100 ms doubling to 5 s, for as long as it takes. */
const MAX_RECONNECT_DELAY_MS = 5_000;

/** The URL with its password replaced, fit for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.href;
  } catch {
    return url;
  }
}

function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueOptionError(`--redis ${JSON.stringify(redactedUrl(url))} is not a URL; give one like redis://127.0.0.1:6379 (or rediss://user:password@host:6380/0 with TLS)`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new QueueOptionError(`--redis ${JSON.stringify(redactedUrl(url))} must start with redis:// (or rediss:// for TLS), e.g. redis://127.0.0.1:6379`);
  }
}

function whyUnreachable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ECONNREFUSED") return "nothing is listening there (connection refused)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host name does not resolve";
  if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(message)) return `Redis refused the credentials (${message}); put them in the URL: redis://user:password@host:6379`;
  return message;
}

/** Says once that the connection was lost and once that it is back, whatever happens in between. */
function reportOutages(client: Redis, url: string, log: (message: string) => void): void {
  let down = false;
  client.on("error", (error: Error) => {
    if (down) return;
    down = true;
    log(`lost the connection to Redis at ${redactedUrl(url)} (${whyUnreachable(error)}); reconnecting`);
  });
  client.on("ready", () => {
    if (!down) return;
    down = false;
    log(`reconnected to Redis at ${redactedUrl(url)}`);
  });
}

export interface OpenRedisOptions {
  /** Where reconnection notices go (default: nowhere). */
  log?: (message: string) => void;
}

/**
 * A client for `url` once Redis has answered a PING. Commands issued while Redis is away wait
 * for it to come back instead of failing (BullMQ needs `maxRetriesPerRequest: null`).
 */
export async function openRedis(url: string, options: OpenRedisOptions = {}): Promise<Redis> {
  checkRedisUrl(url);
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: PROBE_TIMEOUT_MS, enableOfflineQueue: true });
  let lastError: unknown;
  probe.on("error", (error: unknown) => (lastError = error));
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS)));
    try {
      await Promise.race([probe.connect().then(() => probe.ping()), timeout]);
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    const cause = lastError ?? error;
    throw new RedisUnreachableError(
      url,
      `Redis unreachable at ${redactedUrl(url)}: ${whyUnreachable(cause)}. Start one with \`redis-server --port 6379 --appendonly yes\` ` +
        `(Debian: apt-get install redis-server), or pass --redis redis://HOST:PORT of a running one`,
      { cause },
    );
  } finally {
    probe.disconnect();
  }
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * 2 ** times, MAX_RECONNECT_DELAY_MS),
    // After a restart Redis answers LOADING while it replays its append-only file; wait for it.
    enableReadyCheck: true,
  });
  reportOutages(client, url, options.log ?? (() => {}));
  return client;
}

/**
 * What the Redis server is set up to lose: eviction under memory pressure (BullMQ needs
 * `maxmemory-policy noeviction`), or everything on a restart (no append-only file). Empty when
 * it is set up as the README asks; unknown fields (a managed Redis hiding INFO) say nothing.
 */
export async function redisSetupWarnings(client: Redis): Promise<string[]> {
  const info = await client.info("all").catch(() => "");
  const field = (name: string): string | undefined => new RegExp(`^${name}:(.*)$`, "m").exec(info)?.[1]?.trim();
  const warnings: string[] = [];
  const policy = field("maxmemory_policy");
  if (policy !== undefined && policy !== "noeviction") {
    warnings.push(`Redis evicts keys under memory pressure (maxmemory-policy ${policy}), so jobs and results can vanish; set maxmemory-policy noeviction`);
  }
  if (field("aof_enabled") === "0") {
    warnings.push("Redis has no append-only file (appendonly no): a Redis restart loses whatever changed since its last snapshot; set appendonly yes");
  }
  return warnings;
}
