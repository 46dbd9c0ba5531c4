/**
 * `queue add`: one job per file, added a chunk at a time (BullMQ's addBulk: one round trip per
 * chunk, not per file), so a million paths stream through in bounded memory.
 *
 * Adding is idempotent. A file's job id is a hash of its path or URL, so a file already waiting,
 * running or failed is not added again; a file that already has a stored result (its job removed
 * on completion) is skipped by looking the chunk up in the result store first. A job that
 * completes between that look-up and the add would run again — and then find its result stored
 * and not classify the file a second time (queue-worker.ts).
 */
import type { QueueSettings } from "./queue-settings.js";
import { lockSettings } from "./queue-settings.js";
import type { JobQueue } from "./job-queue.js";
import { JOB_NAME, jobIdOf } from "./queue-keys.js";

export interface EnqueueOptions {
  /** Files per addBulk call (default 1000). */
  chunkSize?: number;
  /** Tries per job, the first included (default 5); retries wait 1 s, 2 s, 4 s, … */
  attempts?: number;
  /** The first retry's wait (default 1000 ms); it doubles each time. */
  backoffMs?: number;
  /** Called after each chunk with the counts so far. */
  onProgress?: (counts: EnqueueCounts) => void;
}

export interface EnqueueCounts {
  /** New jobs. */
  added: number;
  /** Files with a job already (waiting, running, retrying or failed in BullMQ), or named twice. */
  alreadyQueued: number;
  /** Files that already have a stored result or failure. */
  alreadyDone: number;
}

export const ENQUEUE_DEFAULTS = { chunkSize: 1000, attempts: 5, backoffMs: 1000 } as const;

export async function enqueueFiles(queue: JobQueue, settings: QueueSettings, files: AsyncIterable<string> | Iterable<string>, options: EnqueueOptions = {}): Promise<EnqueueCounts> {
  return enqueueInputs(queue, settings, mapInputs(files, (file) => ({ file })), options);
}

async function* mapInputs<T>(items: AsyncIterable<T> | Iterable<T>, toInput: (item: T) => QueuedInput): AsyncGenerator<QueuedInput> {
  for await (const item of items) yield toInput(item);
}

/** What a job is about: a file (path or URL), or bytes sent with the job under a name. */
export interface QueuedInput {
  file: string;
  /** The audio itself, base64 (enqueue-bytes.ts). */
  bytes?: string;
}

/** Adds jobs a chunk at a time: the one path behind enqueueFiles and enqueueBytes. */
export async function enqueueInputs(queue: JobQueue, settings: QueueSettings, inputs: AsyncIterable<QueuedInput>, options: EnqueueOptions = {}): Promise<EnqueueCounts> {
  const chunkSize = options.chunkSize ?? ENQUEUE_DEFAULTS.chunkSize;
  await lockSettings(queue.redis, queue.name, queue.keys, settings);
  const counts: EnqueueCounts = { added: 0, alreadyQueued: 0, alreadyDone: 0 };
  let chunk: QueuedInput[] = [];
  const flush = async (): Promise<void> => {
    await addChunk(queue, settings, chunk, counts, options);
    chunk = [];
    options.onProgress?.({ ...counts });
  };
  for await (const input of inputs) {
    chunk.push(input);
    if (chunk.length >= chunkSize) await flush();
  }
  if (chunk.length > 0) await flush();
  return counts;
}

async function addChunk(queue: JobQueue, settings: QueueSettings, inputs: readonly QueuedInput[], counts: EnqueueCounts, options: EnqueueOptions): Promise<void> {
  const byFile = new Map(inputs.map((input) => [input.file, input]));
  const unique = [...byFile.keys()];
  counts.alreadyQueued += inputs.length - unique.length;
  const recorded = await queue.store.recorded(unique);
  const pending = unique.filter((_, i) => !recorded[i]);
  counts.alreadyDone += unique.length - pending.length;
  if (pending.length === 0) return;

  const ids = pending.map(jobIdOf);
  const exists = await queue.redis.pipeline(ids.map((id) => ["exists", queue.jobKey(id)])).exec();
  const fresh = pending.filter((_, i) => exists?.[i]?.[1] !== 1);
  counts.alreadyQueued += pending.length - fresh.length;
  if (fresh.length === 0) return;

  const attempts = options.attempts ?? ENQUEUE_DEFAULTS.attempts;
  const delay = options.backoffMs ?? ENQUEUE_DEFAULTS.backoffMs;
  await queue.bull.addBulk(
    fresh.map((file) => ({
      name: JOB_NAME,
      data: { ...byFile.get(file)!, settings },
      opts: {
        jobId: jobIdOf(file),
        attempts,
        backoff: { type: "exponential", delay },
        // The result lives in the result store; a completed job would only hold memory.
        removeOnComplete: true,
        // Failed jobs stay, so adding the file again does not retry it behind the user's back.
        removeOnFail: false,
      },
    })),
  );
  counts.added += fresh.length;
}
