/**
 * A pool of inference worker processes, each holding warm pipelines, with a bounded queue in front.
 * Processes, not threads (util/module-process.ts): a worker past its deadline must be stoppable
 * mid-run, and a native crash must take down only its worker.
 *
 * - A request goes to an idle worker, or waits in the queue; when the queue is full it is refused
 *   at once (QueueFullError → 429 with a Retry-After estimated from recent run times), so a
 *   burst never grows memory without bound.
 * - Each request has a deadline: past it, a queued request leaves the queue, and a running one is
 *   answered with InferenceTimeoutError while its worker is killed and replaced (a long
 *   session.run cannot be interrupted, only discarded).
 * - A worker that dies fails only its own request (WorkerCrashedError) and is replaced.
 * - close() lets queued and running requests finish (up to a grace period), then ends the workers.
 */
import type { ChildProcess } from "node:child_process";
import { startModuleProcess } from "../util/module-process.js";
import { MappedError } from "./error-status.js";
import { InferenceTimeoutError, QueueFullError, ServiceUnavailableError, WorkerCrashedError } from "./errors.js";
import type { InferenceRequest, InferenceResult, ModelsInfo, TaskFailure, WorkerMessage, WorkerSetup } from "./inference-task.js";

export interface WorkerPoolOptions {
  workers: number;
  setup: WorkerSetup;
  /** Requests that may wait for a worker (0: only as many as there are idle workers). */
  maxQueue: number;
  /** Environment of the worker processes (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Where the pool reports what an operator should know (a worker died and was replaced). */
  log?: (message: string) => void;
}

export interface RunOptions {
  /** From now until the request is answered with InferenceTimeoutError. */
  timeoutMs: number;
  /** Aborted when the client has gone: a request still queued is dropped. */
  signal?: AbortSignal;
  /** The configured timeout (--request-timeout), for messages; default timeoutMs. */
  limitMs?: number;
}

interface Job {
  id: number;
  request: InferenceRequest;
  limitMs: number;
  timer: NodeJS.Timeout;
  slot?: Slot;
  settle(outcome: { result: InferenceResult } | { error: Error }): void;
}

interface Slot {
  index: number;
  worker: ChildProcess;
  ready: boolean;
  gone: boolean;
  job: Job | undefined;
  startedAt: number | undefined;
  /** Settles when the worker has loaded its pipelines (or failed to). */
  loaded: Promise<void>;
}

const RESPAWN_DELAY_MS = 1000;
const MAX_RESPAWN_DELAY_MS = 30_000;

function createWorker(setup: WorkerSetup, env: NodeJS.ProcessEnv | undefined): ChildProcess {
  const worker = startModuleProcess(import.meta.url, "./inference-worker", { ...(env !== undefined && { env }) });
  worker.send(setup);
  return worker;
}

/** Kills a worker (at once: it may be deep in a session.run) and waits until it is gone. */
function kill(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    worker.once("exit", () => resolve());
    worker.kill("SIGKILL");
  });
}

function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
}

function failureError(failure: TaskFailure): MappedError {
  return new MappedError(failure.type, failure.message, failure.status, failure.unexpected, failure.stack);
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closing = false;
  private meanRunMs = 100;
  private respawnDelayMs = RESPAWN_DELAY_MS;
  private idleWaiters: Array<() => void> = [];
  private modelsInfo: ModelsInfo | undefined;

  private constructor(private readonly options: WorkerPoolOptions) {}

  /** Starts every worker and waits until all have loaded their pipelines; the first load failure is thrown. */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    for (let i = 0; i < options.workers; i++) pool.spawn(i);
    try {
      await Promise.all(pool.slots.map((s) => s.loaded));
    } catch (error) {
      pool.closing = true; // no replacement may start after this
      await pool.terminateAll();
      throw error;
    }
    return pool;
  }

  /** What the workers loaded (labels, rates), as the first one reported it. */
  get models(): ModelsInfo {
    return this.modelsInfo!;
  }

  get size(): number {
    return this.options.workers;
  }

  /** Intra-op threads of each worker's sessions. */
  get threadsPerWorker(): number {
    return this.options.setup.threads;
  }

  get readyWorkers(): number {
    return this.slots.filter((s) => s.ready).length;
  }

  get busyWorkers(): number {
    return this.slots.filter((s) => s.job !== undefined).length;
  }

  /** Process ids of the workers alive now (for their memory in /metrics). */
  get workerPids(): number[] {
    return this.slots.flatMap((s) => (s.gone || s.worker.pid === undefined ? [] : [s.worker.pid]));
  }

  /** Requests waiting for a worker. */
  get queueDepth(): number {
    return this.queue.length;
  }

  get maxQueue(): number {
    return this.options.maxQueue;
  }

  /** Runs a request on the next free worker. Throws QueueFullError at once when it cannot even wait. */
  run(request: InferenceRequest, { timeoutMs, signal, limitMs = timeoutMs }: RunOptions): Promise<InferenceResult> {
    if (this.closing) throw new ServiceUnavailableError("the server is shutting down and takes no new requests");
    if (signal?.aborted === true) throw new ServiceUnavailableError("the client went away before a worker was free");
    if (this.queue.length >= this.options.maxQueue && !this.slots.some((s) => s.ready && s.job === undefined)) {
      const retryAfter = this.retryAfterSeconds();
      throw new QueueFullError(
        `all ${this.options.workers} workers are busy and ${this.queue.length} requests are already waiting (--max-queue ${this.options.maxQueue}); retry in ${retryAfter} s`,
        retryAfter,
      );
    }
    return new Promise<InferenceResult>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.queue.indexOf(job);
        if (at < 0) return; // running: let it finish, the worker is not stuck
        this.queue.splice(at, 1);
        job.settle({ error: new ServiceUnavailableError("the client went away before a worker was free") });
        this.dispatch();
      };
      const job: Job = {
        id: this.nextId++,
        request,
        limitMs,
        timer: setTimeout(() => this.timeOut(job), timeoutMs),
        settle: (outcome) => {
          clearTimeout(job.timer);
          signal?.removeEventListener("abort", onAbort);
          if ("result" in outcome) resolve(outcome.result);
          else reject(outcome.error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /**
   * Stops taking requests, lets the queued and running ones finish (at most `graceMs`), then
   * ends the worker threads. Requests still unanswered at the deadline get ServiceUnavailableError.
   */
  async close({ graceMs }: { graceMs: number }): Promise<void> {
    this.closing = true;
    if (this.queue.length > 0 || this.busyWorkers > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    const unfinished = [...this.queue.splice(0), ...this.slots.flatMap((s) => (s.job === undefined ? [] : [s.job]))];
    for (const job of unfinished) job.settle({ error: new ServiceUnavailableError("the server shut down before this request was finished") });
    await this.terminateAll();
  }

  private spawn(index: number): Slot {
    let settleLoad!: { resolve: () => void; reject: (error: Error) => void };
    const loaded = new Promise<void>((resolve, reject) => (settleLoad = { resolve, reject }));
    loaded.catch(() => {}); // a replacement's failure is logged, not thrown
    const slot: Slot = { index, worker: createWorker(this.options.setup, this.options.env), ready: false, gone: false, job: undefined, startedAt: undefined, loaded };
    this.slots[index] = slot;
    slot.worker.on("message", (message: WorkerMessage) => {
      if (message.type === "ready") {
        slot.ready = true;
        this.modelsInfo ??= message.models;
        this.respawnDelayMs = RESPAWN_DELAY_MS;
        settleLoad.resolve();
        this.dispatch();
      } else if (message.type === "load-failed") {
        const error = failureError(message.error);
        settleLoad.reject(new ServiceUnavailableError(`an inference worker could not load the model: ${error.type}: ${error.message}`, { cause: error }));
        this.onWorkerGone(slot, error);
      } else {
        this.onResult(slot, message.id, message.type === "result" ? { result: message.result } : { error: failureError(message.error) });
      }
    });
    slot.worker.on("error", (error) => {
      settleLoad.reject(new ServiceUnavailableError(`an inference worker failed while starting: ${error.message}`, { cause: error }));
      this.onWorkerGone(slot, error);
    });
    slot.worker.on("exit", (code, signal) => {
      const how = exitDescription(code, signal);
      settleLoad.reject(new ServiceUnavailableError(`an inference worker ${how} while starting`));
      this.onWorkerGone(slot, new Error(how));
    });
    return slot;
  }

  private onResult(slot: Slot, id: number, outcome: { result: InferenceResult } | { error: Error }): void {
    const job = slot.job;
    if (job === undefined || job.id !== id) return;
    slot.job = undefined;
    if (slot.startedAt !== undefined) this.meanRunMs = 0.8 * this.meanRunMs + 0.2 * (performance.now() - slot.startedAt);
    job.settle(outcome);
    this.dispatch();
  }

  /** A worker died or failed to load: fail its request, and replace it unless it was discarded on purpose. */
  private onWorkerGone(slot: Slot, error: Error): void {
    if (slot.gone) return;
    slot.gone = true;
    slot.ready = false;
    const job = slot.job;
    slot.job = undefined;
    if (job !== undefined) job.settle({ error: new WorkerCrashedError(`the inference worker running this request died (${error.message}); it has been replaced, retry the request`, { cause: error }) });
    if (this.closing || this.slots[slot.index] !== slot || this.modelsInfo === undefined) return; // closing, replaced, or still starting up
    this.options.log?.(`inference worker ${slot.index} died (${error.message}); starting a new one in ${this.respawnDelayMs} ms`);
    const delay = this.respawnDelayMs;
    this.respawnDelayMs = Math.min(MAX_RESPAWN_DELAY_MS, this.respawnDelayMs * 2);
    setTimeout(() => {
      if (!this.closing && this.slots[slot.index] === slot) this.spawn(slot.index);
    }, delay).unref();
    void kill(slot.worker);
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (!slot.ready || slot.job !== undefined) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.startedAt = performance.now();
      job.slot = slot;
      // A worker that died a moment ago fails to receive: its exit event fails the job.
      slot.worker.send({ id: job.id, request: job.request }, (error) => {
        if (error !== null) this.onWorkerGone(slot, error);
      });
    }
    if (this.queue.length === 0 && this.busyWorkers === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private timeOut(job: Job): void {
    const seconds = String(Math.round(job.limitMs) / 1000);
    const at = this.queue.indexOf(job);
    if (at >= 0) {
      this.queue.splice(at, 1);
      job.settle({ error: new InferenceTimeoutError(`no worker became free within ${seconds} s (--request-timeout); the server is overloaded, retry later`) });
      this.dispatch();
      return;
    }
    const slot = job.slot;
    if (slot === undefined || slot.job !== job) return;
    job.settle({ error: new InferenceTimeoutError(`the request did not finish within ${seconds} s (--request-timeout): send shorter audio, or fewer windows (a larger hop)`) });
    // The worker may be deep in session.run: kill it and start a fresh one in its place.
    slot.job = undefined;
    slot.gone = true;
    slot.ready = false;
    this.options.log?.(`inference worker ${slot.index} exceeded the request timeout; replacing it`);
    void kill(slot.worker);
    if (!this.closing) this.spawn(slot.index);
    this.dispatch();
  }

  private retryAfterSeconds(): number {
    const waiting = this.queue.length + this.busyWorkers;
    return Math.max(1, Math.ceil((this.meanRunMs / 1000) * waiting / Math.max(1, this.readyWorkers)));
  }

  private async terminateAll(): Promise<void> {
    for (const slot of this.slots) {
      slot.gone = true;
      slot.ready = false;
    }
    await Promise.all(this.slots.map((s) => kill(s.worker)));
  }
}
