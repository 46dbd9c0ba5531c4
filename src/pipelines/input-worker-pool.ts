/**
 * Python's `num_workers`: inputs are decoded, resampled and (clip by clip) turned into features
 * in worker threads, while the main thread runs the model — its one session shared by all
 * clips. Results do not depend on the number of workers: the main thread forms the same batches
 * from the same prepared clips.
 */
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../util/module-worker.js";
import { AudioclassError } from "../errors.js";
import type { FeatureExtractor } from "../features/index.js";
import type { InputWorkerInit, InputWorkerReply } from "./input-worker.js";
import type { PreparedClip, PrepareOptions } from "./prepared-clip.js";

/** An error raised in a worker, with its class name, code and message kept. */
export class WorkerInputError extends AudioclassError {
  constructor(name: string, code: string | undefined, message: string) {
    super(code ?? "WORKER_INPUT", message);
    this.name = name;
  }
}

interface Pending {
  resolve: (clip: PreparedClip) => void;
  reject: (error: Error) => void;
}

function spawnWorker(init: InputWorkerInit): Worker {
  return startModuleWorker(import.meta.url, "./input-worker", { workerData: init });
}

export class InputWorkerPool {
  private readonly workers: Worker[];
  private readonly load: number[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(count: number, extractor: FeatureExtractor, prepare: PrepareOptions) {
    const init: InputWorkerInit = { extractorConfig: { ...extractor.config, feature_extractor_type: extractor.featureExtractorType }, prepare };
    this.workers = Array.from({ length: count }, () => spawnWorker(init));
    this.load = this.workers.map(() => 0);
    this.workers.forEach((worker, w) => {
      worker.on("message", (reply: InputWorkerReply) => this.settle(w, reply));
      worker.on("error", (error) => this.failAll(error));
      worker.unref();
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Prepares one input on the least busy worker. */
  prepare(input: string | Uint8Array): Promise<PreparedClip> {
    if (this.closed) return Promise.reject(new AudioclassError("WORKERS_CLOSED", "the input workers have been closed"));
    const w = this.load.indexOf(Math.min(...this.load));
    const id = this.nextId++;
    this.load[w]!++;
    return new Promise<PreparedClip>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[w]!.ref();
      this.workers[w]!.postMessage({ id, input });
    });
  }

  private settle(worker: number, reply: InputWorkerReply): void {
    this.load[worker]!--;
    if (this.load[worker] === 0) this.workers[worker]!.unref();
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if ("error" in reply) pending.reject(new WorkerInputError(reply.error.name, reply.error.code, reply.error.message));
    else pending.resolve(reply.clip);
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
