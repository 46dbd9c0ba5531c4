/**
 * startServer(options): resolves the models (downloading them once, here, not in every worker),
 * starts the worker pool, builds the app and listens. close() is the graceful shutdown: stop
 * accepting connections, let the requests in flight finish (up to the grace period), then end
 * the workers.
 */
import { availableParallelism } from "node:os";
import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { describeValue, InvalidArgumentError } from "../errors.js";
import { type HubOptions, resolveModel } from "../hub/index.js";
import "../models/node-platform.js"; // Node's model loaders: this face imports pipeline files, not an entry
import { bundledDefaultModel } from "../pipelines/pipeline.js";
import { PipelineOptionError } from "../pipelines/errors.js";
import { buildApp } from "./app.js";
import type { ServerLimits } from "./routes/route-context.js";
import { WorkerPool } from "./worker-pool.js";

export const SERVER_DEFAULTS = {
  host: "127.0.0.1",
  port: 8080,
  maxBodyBytes: 50_000_000,
  maxAudioSeconds: 600,
  requestTimeoutMs: 60_000,
  maxQueue: 64,
  shutdownGraceMs: 30_000,
} as const;

export interface ServeOptions extends Partial<ServerLimits> {
  /** Audio-classification model (default: the bundled models/default). */
  model?: string;
  /** CLAP model for POST /zero-shot (default: none, the route answers 503). */
  zeroShotModel?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Inference worker processes (default 1). */
  workers?: number;
  /** Intra-op threads per worker (default: cores / workers, at least 1). */
  threads?: number;
  maxMemoryMB?: number;
  /** Requests that may wait for a worker before new ones get 429. */
  maxQueue?: number;
  /** How long close() waits for requests in flight. */
  shutdownGraceMs?: number;
  /** Where models come from (revision applies to `model` only), and download progress goes. */
  hub?: HubOptions;
  logger?: FastifyServerOptions["logger"];
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly pool: WorkerPool;
  /** Graceful shutdown; safe to call more than once. */
  close(): Promise<void>;
}

function positive(value: number | undefined, name: string, fallback: number, { integer = false, allowZero = false } = {}): number {
  if (value === undefined) return fallback;
  const ok = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!ok) throw new InvalidArgumentError(`${name} must be a ${integer ? "whole " : ""}number ${allowZero ? "≥ 0" : "> 0"}, got ${describeValue(value)}`);
  return value;
}

export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const workers = positive(options.workers, "workers", 1, { integer: true });
  const threads = positive(options.threads, "threads", Math.max(1, Math.floor(availableParallelism() / workers)), { integer: true });
  const limits: ServerLimits = {
    maxBodyBytes: positive(options.maxBodyBytes, "maxBodyBytes", SERVER_DEFAULTS.maxBodyBytes, { integer: true }),
    maxAudioSeconds: positive(options.maxAudioSeconds, "maxAudioSeconds", SERVER_DEFAULTS.maxAudioSeconds),
    requestTimeoutMs: positive(options.requestTimeoutMs, "requestTimeoutMs", SERVER_DEFAULTS.requestTimeoutMs),
  };
  const maxQueue = positive(options.maxQueue, "maxQueue", SERVER_DEFAULTS.maxQueue, { integer: true, allowZero: true });
  const shutdownGraceMs = positive(options.shutdownGraceMs, "shutdownGraceMs", SERVER_DEFAULTS.shutdownGraceMs, { allowZero: true });

  const modelRef = options.model ?? bundledDefaultModel();
  if (modelRef === undefined) throw new PipelineOptionError("no model given and this installation has no bundled default model (models/default): pass a model folder or hub id");
  const hub = options.hub ?? {};
  const classifierDir = (await resolveModel(modelRef, hub)).dir;
  const { revision: _modelRevision, ...zeroShotHub } = hub;
  const zeroShotDir = options.zeroShotModel === undefined ? undefined : (await resolveModel(options.zeroShotModel, zeroShotHub)).dir;

  let log = (message: string): void => void process.stderr.write(`audioclass serve: ${message}\n`);
  const pool = await WorkerPool.start({
    workers,
    log: (message) => log(message),
    maxQueue,
    setup: {
      classifierDir,
      ...(zeroShotDir !== undefined && { zeroShotDir }),
      threads,
      ...(options.maxMemoryMB !== undefined && { maxMemoryMB: options.maxMemoryMB }),
      maxAudioSeconds: limits.maxAudioSeconds,
    },
    ...(hub.env !== undefined && { env: hub.env as NodeJS.ProcessEnv }),
  });
  let closing = false;
  try {
    const app = await buildApp({ pool, limits, isClosing: () => closing, ...(options.logger !== undefined && { logger: options.logger }) });
    log = (message) => app.log.warn(message);
    await app.listen({ host: options.host ?? SERVER_DEFAULTS.host, port: options.port ?? SERVER_DEFAULTS.port });
    const address = app.server.address();
    const port = typeof address === "object" && address !== null ? address.port : (options.port ?? SERVER_DEFAULTS.port);
    const host = options.host ?? SERVER_DEFAULTS.host;
    let closed: Promise<void> | undefined;
    return {
      url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
      port,
      app,
      pool,
      close: () => {
        closing = true;
        closed ??= shutDown(app, pool, shutdownGraceMs);
        return closed;
      },
    };
  } catch (error) {
    await pool.close({ graceMs: 0 });
    throw error;
  }
}

/** Stops listening, waits for the requests in flight (at most graceMs), then ends the workers. */
async function shutDown(app: FastifyInstance, pool: WorkerPool, graceMs: number): Promise<void> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), graceMs)));
  const outcome = await Promise.race([app.close().then(() => "closed" as const), graceOver]);
  clearTimeout(timer);
  if (outcome === "timeout") app.server.closeAllConnections();
  await pool.close({ graceMs: Math.max(0, graceMs - (Date.now() - started)) });
}
