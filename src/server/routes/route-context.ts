/**
 * What the routes share: the pool they send work to, the limits, and the two steps every audio
 * route takes — the request's body limits (from its deadline), and handing a request to the pool
 * with the time it has left.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { InferenceRequest, InferenceResult, ModelsInfo } from "../inference-task.js";
import type { BodyLimits } from "../request-body.js";
import type { PoolStatus } from "../server-metrics.js";
import type { RunOptions } from "../worker-pool.js";

/** The worker pool as the routes use it. */
export interface InferencePool extends PoolStatus {
  readonly models: ModelsInfo;
  run(request: InferenceRequest, options: RunOptions): Promise<InferenceResult>;
}

export interface ServerLimits {
  /** Largest body (audio bytes; a JSON body may carry them as base64, a third more). */
  maxBodyBytes: number;
  /** Longest decoded audio (checked by the workers). */
  maxAudioSeconds: number;
  /** From a request's arrival to its answer: receiving the body, waiting for a worker, running. */
  requestTimeoutMs: number;
}

export interface RouteContext {
  pool: InferencePool;
  limits: ServerLimits;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Date.now() by which the request must be answered (arrival + --request-timeout). */
    deadline: number;
  }
}

export function bodyLimitsOf(request: FastifyRequest, limits: ServerLimits, maxBytes = limits.maxBodyBytes): BodyLimits {
  return { maxBytes, deadline: request.deadline, timeoutSeconds: limits.requestTimeoutMs / 1000 };
}

/** Runs a request on the pool within what is left of its deadline; a client that leaves drops it from the queue. */
export function infer(context: RouteContext, request: FastifyRequest, reply: FastifyReply, inference: InferenceRequest): Promise<InferenceResult> {
  const controller = new AbortController();
  reply.raw.once("close", () => controller.abort());
  return context.pool.run(inference, { timeoutMs: Math.max(1, request.deadline - Date.now()), limitMs: context.limits.requestTimeoutMs, signal: controller.signal });
}
