/**
 * A handle on one named queue: its Redis connection, the BullMQ queue holding its jobs, and the
 * store of its results. What `queue add/status/results/drain/clean` work through.
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { errorOf } from "./failure-policy.js";
import { JobFailedError } from "./errors.js";
import { type QueueKeys, KEY_PREFIX, checkQueueName, queueKeys } from "./queue-keys.js";
import type { QueueSettings } from "./queue-settings.js";
import { openRedis, type OpenRedisOptions } from "./redis-connection.js";
import { ResultStore } from "./result-store.js";

/**
 * What every job carries: the file (absolute path or URL, or the name of bytes sent with the
 * job) and the settings to classify it with.
 */
export interface ClassifyJobData {
  file: string;
  /** The audio, base64, when it was enqueued as bytes (enqueue-bytes.ts). */
  bytes?: string;
  settings: QueueSettings;
}

export class JobQueue {
  readonly keys: QueueKeys;
  readonly store: ResultStore;

  private constructor(
    readonly name: string,
    readonly url: string,
    readonly redis: Redis,
    readonly bull: Queue<ClassifyJobData>,
  ) {
    this.keys = queueKeys(name);
    this.store = new ResultStore(redis, this.keys);
  }

  /** Connects (failing at once with RedisUnreachableError if Redis is not there). */
  static async open(url: string, name: string, options: OpenRedisOptions = {}): Promise<JobQueue> {
    checkQueueName(name);
    const redis = await openRedis(url, options);
    const bull = new Queue<ClassifyJobData>(name, { connection: redis, prefix: KEY_PREFIX });
    bull.on("error", () => {}); // connection trouble is reported once by openRedis's client
    return new JobQueue(name, url, redis, bull);
  }

  /** The Redis key of a job's hash (BullMQ's layout), to ask whether it exists without loading it. */
  jobKey(jobId: string): string {
    return `${KEY_PREFIX}:${this.name}:${jobId}`;
  }

  /**
   * Gives every job BullMQ has failed a failure record if it has none (nor a result): a job can
   * fail outside any processor's hands — its worker died more often than allowed — and the
   * worker that noticed may itself have gone before recording it.
   */
  async recordBullFailures(): Promise<number> {
    let recorded = 0;
    const page = 500;
    const total = await this.bull.getFailedCount();
    for (let start = 0; start < total; start += page) {
      const jobs = await this.bull.getFailed(start, start + page - 1);
      const files = jobs.map((j) => (j.data as ClassifyJobData | undefined)?.file).filter((f): f is string => typeof f === "string");
      const known = await this.store.recorded(files);
      for (const [i, file] of files.entries()) {
        if (known[i]) continue;
        const job = jobs.find((j) => (j.data as ClassifyJobData).file === file)!;
        const error = errorOf(new JobFailedError(`${file}: ${job.failedReason || "the job failed"} (after ${job.attemptsMade} attempts)`));
        if (await this.store.storeFailure({ file, error }, { replace: false })) recorded++;
      }
    }
    return recorded;
  }

  async close(): Promise<void> {
    await this.bull.close();
    this.redis.disconnect();
  }
}
