/**
 * GET /health (200 while at least one worker can take requests, else 503; with what is loaded
 * and the limits) and GET /metrics (Prometheus text).
 */
import type { FastifyInstance } from "fastify";
import { PROMETHEUS_CONTENT_TYPE } from "../metrics.js";
import type { ServerMetrics } from "../server-metrics.js";
import type { RouteContext } from "./route-context.js";

export async function statusRoutes(app: FastifyInstance, context: RouteContext & { metrics: ServerMetrics }): Promise<void> {
  const { pool, limits, metrics } = context;

  app.get("/health", async (_request, reply) => {
    const ready = pool.readyWorkers;
    const status = ready === 0 ? "unavailable" : ready < pool.size ? "degraded" : "ok";
    const { classify, zeroShot } = pool.models;
    reply.code(ready === 0 ? 503 : 200);
    return {
      status,
      workers: { configured: pool.size, ready, busy: pool.busyWorkers },
      queue: { depth: pool.queueDepth, capacity: pool.maxQueue },
      models: {
        classify: { dir: classify.dir, labels: classify.labels, samplingRate: classify.samplingRate, inputSeconds: classify.inputSeconds ?? null },
        zeroShot: zeroShot === undefined ? null : { dir: zeroShot.dir, samplingRate: zeroShot.samplingRate, inputSeconds: zeroShot.inputSeconds ?? null },
      },
      limits: { maxBodyBytes: limits.maxBodyBytes, maxAudioSeconds: limits.maxAudioSeconds, requestTimeoutSeconds: limits.requestTimeoutMs / 1000 },
    };
  });

  app.get("/metrics", async (_request, reply) => {
    reply.type(PROMETHEUS_CONTENT_TYPE);
    return metrics.render();
  });
}
