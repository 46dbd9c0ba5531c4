/**
 * Results in Redis, one per file: a hash of file → record for files classified, and one of
 * file → `{ file, error }` for files that failed for good.
 *
 * "Exactly one stored result per file" holds by construction: a record is a hash field named by
 * the file, so storing it again (a job run twice after a worker died, or after a Redis restart)
 * overwrites it; storing a result deletes any failure of the same file in the same script, and a
 * failure is not stored over a result. A job can run more than once (at-least-once delivery);
 * its file cannot end with two records.
 *
 * Each stored result also counts towards a per-interval counter (Redis's clock, so workers on
 * machines whose clocks disagree still count together), from which `queue status` derives the
 * rate and ETA.
 */
import type { Redis } from "ioredis";
import type { QueueKeys } from "./queue-keys.js";

/** A file's record: what `audioclass classify` writes for it. */
export type StoredRecord =
  | { file: string; predictions: Array<{ label: string; score: number }> }
  | { file: string; segments: Array<{ start: number; end: number; predictions: Array<{ label: string; score: number }> }> }
  | { file: string; events: Array<{ label: string; start: number; end: number; score: number }> }
  | { file: string; error: { type: string; message: string } };

export const RATE_BUCKET_SECONDS = 5;
/** Buckets kept: two minutes of history. */
const RATE_BUCKETS_KEPT = 24;

// KEYS: results, failed, rate. ARGV: file, record, bucket seconds, buckets kept.
const STORE_RESULT = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[1])
local now = redis.call('TIME')
local bucket = math.floor(tonumber(now[1]) / tonumber(ARGV[3]))
if redis.call('HINCRBY', KEYS[3], bucket, 1) == 1 then
  for _, field in ipairs(redis.call('HKEYS', KEYS[3])) do
    if tonumber(field) < bucket - tonumber(ARGV[4]) then redis.call('HDEL', KEYS[3], field) end
  end
end
return 1`;

// KEYS: results, failed. ARGV: file, record, "1" to replace an earlier failure. A result
// already stored wins over a late failure.
const STORE_FAILURE = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if ARGV[3] ~= '1' and redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1`;

type ScriptClient = Redis & {
  audioclassStoreResult(results: string, failed: string, rate: string, file: string, record: string, bucketSeconds: number, kept: number): Promise<number>;
  audioclassStoreFailure(results: string, failed: string, file: string, record: string, replace: string): Promise<number>;
};

function scripts(redis: Redis): ScriptClient {
  const client = redis as ScriptClient;
  if (typeof client.audioclassStoreResult !== "function") {
    redis.defineCommand("audioclassStoreResult", { numberOfKeys: 3, lua: STORE_RESULT });
    redis.defineCommand("audioclassStoreFailure", { numberOfKeys: 2, lua: STORE_FAILURE });
  }
  return client;
}

export class ResultStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: QueueKeys,
  ) {}

  /** Stores a file's result (replacing any earlier one, and any failure). */
  async storeResult(record: StoredRecord): Promise<void> {
    const { results, failed, rate } = this.keys;
    await scripts(this.redis).audioclassStoreResult(results, failed, rate, record.file, JSON.stringify(record), RATE_BUCKET_SECONDS, RATE_BUCKETS_KEPT);
  }

  /**
   * Stores a file's failure unless it already has a result (or, with `replace: false`, any
   * record); says whether it was stored.
   */
  async storeFailure(record: { file: string; error: { type: string; message: string } }, { replace = true } = {}): Promise<boolean> {
    const { results, failed } = this.keys;
    return (await scripts(this.redis).audioclassStoreFailure(results, failed, record.file, JSON.stringify(record), replace ? "1" : "0")) === 1;
  }

  async hasResult(file: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.results, file)) === 1;
  }

  /** For each file, whether it has a record (a result or a failure): one round trip. */
  async recorded(files: readonly string[]): Promise<boolean[]> {
    if (files.length === 0) return [];
    const replies = await this.redis.pipeline().hmget(this.keys.results, ...files).hmget(this.keys.failed, ...files).exec();
    const [done, failed] = (replies ?? []).map(([error, value]) => {
      if (error) throw error;
      return value as Array<string | null>;
    });
    return files.map((_, i) => done![i] !== null || failed![i] !== null);
  }

  async counts(): Promise<{ done: number; failed: number }> {
    const [done, failed] = await Promise.all([this.redis.hlen(this.keys.results), this.redis.hlen(this.keys.failed)]);
    return { done, failed };
  }

  /** Every stored record (results, failures, or both), in no particular order, a batch at a time. */
  async *records(which: "all" | "results" | "failed" = "all"): AsyncGenerator<StoredRecord> {
    const hashes = which === "all" ? [this.keys.results, this.keys.failed] : which === "results" ? [this.keys.results] : [this.keys.failed];
    for (const hash of hashes) {
      let cursor = "0";
      do {
        const [next, flat] = await this.redis.hscan(hash, cursor, "COUNT", 1000);
        cursor = next;
        for (let i = 1; i < flat.length; i += 2) yield JSON.parse(flat[i]!) as StoredRecord;
      } while (cursor !== "0");
    }
  }

  /**
   * Results stored per second over the last minute (by Redis's clock), or undefined when none
   * were stored in that time.
   */
  async ratePerSecond(): Promise<number | undefined> {
    const [[seconds], counts] = await Promise.all([this.redis.time(), this.redis.hgetall(this.keys.rate)]);
    const now = Number(seconds);
    const windowStart = now - 60;
    let total = 0;
    let first = Infinity;
    for (const [field, count] of Object.entries(counts)) {
      const start = Number(field) * RATE_BUCKET_SECONDS;
      if (start + RATE_BUCKET_SECONDS <= windowStart) continue;
      total += Number(count);
      first = Math.min(first, start);
    }
    if (total === 0) return undefined;
    const span = Math.max(1, now - Math.max(windowStart, first));
    return total / span;
  }

  /** Forgets the failures (so `queue add` enqueues those files again). */
  async deleteFailures(): Promise<number> {
    const count = await this.redis.hlen(this.keys.failed);
    await this.redis.del(this.keys.failed);
    return count;
  }

  /** Forgets everything stored for the queue: results, failures, settings and counters. */
  async deleteAll(): Promise<void> {
    await this.redis.del(this.keys.results, this.keys.failed, this.keys.settings, this.keys.rate);
  }
}
