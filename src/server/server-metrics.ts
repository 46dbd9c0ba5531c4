/**
 * What GET /metrics reports: requests by route and status, their latency, errors by type, the
 * queue and the workers, and the process's memory. Route labels are the route patterns
 * ("/models/*"), never raw URLs, so a client cannot grow the number of series.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { residentBytes } from "../util/process-memory.js";
import { type Counter, type Histogram, MetricsRegistry } from "./metrics.js";

/** The pool as the metrics see it. */
export interface PoolStatus {
  readonly queueDepth: number;
  readonly maxQueue: number;
  readonly busyWorkers: number;
  readonly readyWorkers: number;
  readonly size: number;
  /** Process ids of the live inference workers. */
  readonly workerPids: number[];
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class ServerMetrics {
  private readonly registry = new MetricsRegistry();
  readonly requests: Counter;
  readonly latency: Histogram;
  readonly errors: Counter;
  private inFlight = 0;

  constructor(pool: PoolStatus) {
    const r = this.registry;
    this.requests = r.counter("audioclass_http_requests_total", "HTTP requests answered, by method, route and status (status \"aborted\": the client left first).", ["method", "route", "status"]);
    this.latency = r.histogram("audioclass_http_request_duration_seconds", "Time from a request's arrival to the end of its response, by route.", ["route"], LATENCY_BUCKETS);
    this.errors = r.counter("audioclass_errors_total", "Error responses by error type (the class name clients see in error.type).", ["type"]);
    r.gauge("audioclass_http_requests_in_flight", "Requests received and not yet answered.", () => this.inFlight);
    r.gauge("audioclass_queue_depth", "Inference requests waiting for a free worker.", () => pool.queueDepth);
    r.gauge("audioclass_queue_capacity", "Most inference requests that may wait (--max-queue); beyond it requests get 429.", () => pool.maxQueue);
    r.gauge("audioclass_workers", "Inference worker processes configured (--workers).", () => pool.size);
    r.gauge("audioclass_workers_ready", "Inference workers loaded and alive.", () => pool.readyWorkers);
    r.gauge("audioclass_workers_busy", "Inference workers running a request.", () => pool.busyWorkers);
    r.gauge("process_resident_memory_bytes", "Resident memory of the server process (its inference workers are separate processes).", () => process.memoryUsage.rss());
    r.gauge("audioclass_workers_resident_memory_bytes", "Resident memory of the inference worker processes together (Linux; 0 where it cannot be read).", () =>
      pool.workerPids.reduce((sum, pid) => sum + (residentBytes(pid) ?? 0), 0),
    );
  }

  /** Counts a request once its response is over, finished or abandoned. Call at onRequest. */
  track(request: FastifyRequest, reply: FastifyReply): void {
    const started = performance.now();
    this.inFlight++;
    reply.raw.once("close", () => {
      this.inFlight--;
      const route = request.routeOptions.url ?? "unmatched";
      const status = reply.raw.writableFinished ? String(reply.raw.statusCode) : "aborted";
      this.requests.inc({ method: request.method, route, status });
      this.latency.observe({ route }, (performance.now() - started) / 1000);
    });
  }

  render(): string {
    return this.registry.render();
  }
}
