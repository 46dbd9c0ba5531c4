/**
 * One BullMQ worker with a warm model: takes a queue's jobs, classifies each job's file, and
 * stores exactly one record per file.
 *
 * - A job whose file already has a result (it ran before, and its worker died or lost Redis
 *   before BullMQ heard it was done) is completed without classifying the file again.
 * - A file that fails for good (an AudioclassError from reading, decoding or classifying) gets a
 *   failure record and its job goes to BullMQ's failed set at once; other failures are retried
 *   with exponential backoff (the job's `attempts`), and recorded when the attempts run out.
 * - A job whose worker died (SIGKILL, a machine gone) is handed out again by BullMQ's stalled-job
 *   check once its lock expires (`lockDurationMs`); after more than `maxStalledCount` such deaths
 *   it fails (the file may be what kills workers) and gets a failure record.
 * - close(): no new jobs; running jobs finish within the grace period, and those still running
 *   then are handed back to the queue at once (not after their lock expires).
 */
import { type Job, UnrecoverableError, WaitingError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { JobFailedError } from "./errors.js";
import { errorOf, failureKind } from "./failure-policy.js";
import { type FileClassifier, type ModelLoadOptions, loadFileClassifier } from "./file-classifier.js";
import type { ClassifyJobData } from "./job-queue.js";
import { KEY_PREFIX, queueKeys } from "./queue-keys.js";
import { type QueueSettings, describeSettings, readSettings, settingsFingerprint } from "./queue-settings.js";
import { openRedis } from "./redis-connection.js";
import { ResultStore } from "./result-store.js";

export interface QueueWorkerOptions {
  url: string;
  queue: string;
  /** Jobs in progress at once (their reading and decoding overlap the model's runs). */
  concurrency: number;
  load: ModelLoadOptions;
  /** How long a job's lock lasts without renewal: how soon a dead worker's jobs come back (default 30 s). */
  lockDurationMs?: number;
  /** How often to look for jobs whose worker died (default 30 s). */
  stalledIntervalMs?: number;
  /** How many times a job may lose its worker before it fails (default 3). */
  maxStalledCount?: number;
  log: (message: string) => void;
  /** Each finished job's outcome (progress reports). */
  onOutcome?: (outcome: JobOutcome) => void;
}

export type JobOutcome = "stored" | "already-stored" | "failed" | "retrying";

export const WORKER_DEFAULTS = { lockDurationMs: 30_000, stalledIntervalMs: 30_000, maxStalledCount: 3 } as const;

/** Poll for the queue's settings this often while no file has been added yet. */
const SETTINGS_POLL_MS = 1_000;
/** The same BullMQ error message is logged at most this often (a Redis outage repeats it). */
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * BullMQ's "Missing key/lock for job X. moveToFinished" means another worker took the job over
 * (this one's lock lapsed: a Redis restart, a stalled event loop) and finished it first:
 * at-least-once at work, not a lost file. Say so.
 */
function explainBullError(message: string): string {
  const taken = /^Missing (?:key|lock) for job (\S+?)\.? (\w+)$/.exec(message);
  if (taken === null) return message;
  return `job ${taken[1]} was taken over by another worker while this one held it (its lock lapsed, e.g. during a Redis restart); ${taken[2]} skipped here, and the file still gets exactly one result`;
}

/** A job this worker is classifying, and how close() stops it. */
interface RunningJob {
  job: Job<ClassifyJobData>;
  token: string | undefined;
  /** Set once close() has moved the job back to the waiting list. */
  handedBack: boolean;
  /** Aborted with the hand-back: a long file stops between windows instead of running on. */
  stop: AbortController;
  /** Resolves when its classification has ended, whichever way. */
  settled: Promise<void>;
}

export class QueueWorker {
  private worker: Worker<ClassifyJobData, JobOutcome> | undefined;
  private classifier: FileClassifier | undefined;
  private readonly running = new Map<string, RunningJob>();
  private closing = false;
  /**
   * Jobs given back to the queue by close(). A set: a job handed back may be fetched again
   * before BullMQ's worker has stopped fetching, and is handed back again.
   */
  private readonly handedBack = new Set<string>();
  private readonly lastLogged = new Map<string, number>();

  private constructor(
    private readonly options: QueueWorkerOptions,
    private readonly redis: Redis,
    private readonly store: ResultStore,
  ) {}

  /**
   * Connects, waits for the queue's settings (a worker may start before the first `queue add`),
   * loads and warms the model, then starts taking jobs. `stopWaiting` aborts the wait.
   */
  static async start(options: QueueWorkerOptions, stopWaiting?: AbortSignal): Promise<QueueWorker | undefined> {
    const redis = await openRedis(options.url, { log: options.log });
    const keys = queueKeys(options.queue);
    const self = new QueueWorker(options, redis, new ResultStore(redis, keys));
    try {
      let settings = await readSettings(redis, options.queue, keys);
      if (settings === undefined) options.log(`queue ${options.queue} has no files yet; waiting for \`audioclass queue add --queue ${options.queue} …\``);
      while (settings === undefined) {
        if (stopWaiting?.aborted) {
          redis.disconnect();
          return undefined;
        }
        await new Promise((resolve) => setTimeout(resolve, SETTINGS_POLL_MS));
        settings = await readSettings(redis, options.queue, keys);
      }
      self.classifier = await loadFileClassifier(settings, options.load);
      options.log(`loaded the model for queue ${options.queue}: ${describeSettings(settings)}`);
      self.startWorker();
      return self;
    } catch (error) {
      redis.disconnect();
      throw error;
    }
  }

  private startWorker(): void {
    const { options } = this;
    const worker = new Worker<ClassifyJobData, JobOutcome>(options.queue, (job, token) => this.process(job, token), {
      connection: this.redis,
      prefix: KEY_PREFIX,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? WORKER_DEFAULTS.lockDurationMs,
      stalledInterval: options.stalledIntervalMs ?? WORKER_DEFAULTS.stalledIntervalMs,
      maxStalledCount: options.maxStalledCount ?? WORKER_DEFAULTS.maxStalledCount,
    });
    worker.on("error", (error) => this.logThrottled(`queue ${options.queue}: ${explainBullError(error.message)}`));
    // A job that failed without our processor's verdict still gets its record: one whose workers
    // kept dying (BullMQ fails it, with an UnrecoverableError, when a worker next fetches it).
    // Failures our processor recorded already are not replaced.
    worker.on("failed", (job, error) => {
      if (job === undefined) return;
      void this.recordIfFailedForGood(job, error).catch((e: unknown) => this.logThrottled(`could not record the failure of ${job.data.file}: ${String(e)}`));
    });
    this.worker = worker;
  }

  private async process(job: Job<ClassifyJobData>, token: string | undefined): Promise<JobOutcome> {
    // Fetched as close() began: give it straight back rather than start on a model being disposed.
    if (this.closing) return this.handBack({ job, token, handedBack: false });
    const entry: RunningJob = { job, token, handedBack: false, stop: new AbortController(), settled: Promise.resolve() };
    const work = this.classifyInto(entry);
    entry.settled = work.then(() => {}, () => {});
    this.running.set(job.id!, entry);
    try {
      const outcome = await work.catch(async (error: unknown) => {
        // A failure while shutting down may be the shutdown's doing: the next worker decides.
        if (this.closing && !entry.handedBack && !(error instanceof UnrecoverableError)) return this.handBack(entry);
        throw error;
      });
      // close() gave this job back to the queue: BullMQ must not complete a job it no longer holds.
      if (entry.handedBack) throw new WaitingError();
      this.options.onOutcome?.(outcome);
      return outcome;
    } finally {
      this.running.delete(job.id!);
    }
  }

  /** Moves a job this worker holds back to the waiting list (once), and tells BullMQ so. */
  private async handBack(entry: Pick<RunningJob, "job" | "token" | "handedBack">): Promise<never> {
    await this.returnToQueue(entry);
    throw new WaitingError();
  }

  private async returnToQueue(entry: Pick<RunningJob, "job" | "token" | "handedBack">): Promise<void> {
    if (entry.handedBack) return;
    entry.handedBack = true;
    await entry.job.moveToWait(entry.token).then(
      () => void this.handedBack.add(entry.job.id!),
      () => {}, // its lock was lost already: BullMQ's stalled check hands it out again
    );
  }

  private async classifyInto({ job, stop }: RunningJob): Promise<JobOutcome> {
    const { file, settings } = job.data;
    if (await this.store.hasResult(file)) return "already-stored";
    try {
      const classifier = await this.classifierFor(settings);
      const bytes = job.data.bytes === undefined ? undefined : new Uint8Array(Buffer.from(job.data.bytes, "base64"));
      await this.store.storeResult(await classifier.classify(file, { signal: stop.signal, ...(bytes !== undefined && { bytes }) }));
      return "stored";
    } catch (error) {
      // Handed back, or shutting down: the next worker tries it afresh; this is no failure of the file.
      if (stop.signal.aborted || this.closing) throw error;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const permanent = failureKind(error) === "permanent";
      const reason = errorOf(error);
      // Bytes are named in the pipeline's messages by their size: say which item they were.
      if (job.data.bytes !== undefined && !reason.message.includes(file)) reason.message = `${file}: ${reason.message}`;
      if (permanent || lastAttempt) {
        await this.store.storeFailure({ file, error: reason });
        this.options.onOutcome?.("failed");
      } else {
        this.options.onOutcome?.("retrying");
      }
      if (permanent) throw new UnrecoverableError(reason.message);
      throw error;
    }
  }

  /** The classifier for a job's settings: the one loaded, unless the queue was remade with others. */
  private async classifierFor(settings: QueueSettings): Promise<FileClassifier> {
    const current = this.classifier!;
    if (settingsFingerprint(current.settings) === settingsFingerprint(settings)) return current;
    this.options.log(`queue ${this.options.queue} now holds jobs for other settings; loading ${describeSettings(settings)}`);
    const next = await loadFileClassifier(settings, this.options.load);
    this.classifier = next;
    void current.dispose();
    return next;
  }

  private async recordIfFailedForGood(job: Job<ClassifyJobData>, error: Error): Promise<void> {
    if ((await job.getState()) !== "failed") return; // it will be retried
    const reason = new JobFailedError(`${job.data.file}: ${error.message} (its worker stopped ${job.stalledCounter} time(s) while classifying it; the file may crash the model)`);
    if (await this.store.storeFailure({ file: job.data.file, error: errorOf(reason) }, { replace: false })) this.options.onOutcome?.("failed");
  }

  private logThrottled(message: string): void {
    const now = Date.now();
    if (now - (this.lastLogged.get(message) ?? -Infinity) < ERROR_LOG_INTERVAL_MS) return;
    this.lastLogged.set(message, now);
    this.options.log(message);
  }

  /** Jobs being classified right now. */
  get activeJobs(): number {
    return this.running.size;
  }

  /**
   * Stops taking jobs and lets running ones finish for up to `graceMs`; any still running then
   * go back to the queue's waiting list at once. Resolves when the worker's connections are closed.
   */
  async close(graceMs: number): Promise<{ handedBack: number }> {
    if (this.closing) return { handedBack: 0 };
    this.closing = true;
    if (this.worker !== undefined) {
      const finished = this.worker.close();
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), graceMs)));
      const outcome = await Promise.race([finished.then(() => "closed" as const), graceOver]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        const entries = [...this.running.values()];
        for (const entry of entries) {
          entry.stop.abort(new Error(`${entry.job.data.file}: handed back to the queue by a worker shutting down`));
          await this.returnToQueue(entry);
        }
        await this.worker.close(true);
      }
    }
    // The model is not disposed under a run in flight: wait for every job to stop (an aborted
    // one stops after a clip's run, or the window being scored).
    await Promise.all([...this.running.values()].map((e) => e.settled));
    await this.classifier?.dispose();
    this.redis.disconnect();
    return { handedBack: this.handedBack.size };
  }
}
