/**
 * `audioclass serve`: the HTTP server (src/server) from the command line. Runs until SIGTERM or
 * SIGINT, then shuts down gracefully: no new connections, requests in flight finish (up to
 * --shutdown-timeout), workers end; a second signal stops at once.
 */
import { InvalidArgumentError } from "../../errors.js";
import { SERVER_DEFAULTS, startServer } from "../../server/start-server.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { MODEL_OPTION_HELP, MODEL_OPTION_SPEC, modelLoadOptions } from "../model-options.js";
import { choiceOption, integerOption, numberOption, parseCommand, stringOption } from "../parse-options.js";

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

export const serveUsage = `Usage: audioclass serve [options]

Serves audio classification over HTTP. Inference runs in worker processes, each holding the
model's sessions warm (one past its deadline is killed and replaced); requests wait in a bounded queue (429 with Retry-After when it is full).

Endpoints:
  POST /classify        audio as the body (Content-Type audio/* or application/octet-stream) or as
                        the multipart field "file"; query top_k, function_to_apply, window, hop,
                        threshold → [{ label, score }], or with window/hop { segments, events }
  POST /zero-shot       the same with candidate_labels=a,b,c (needs --zero-shot-model)
  POST /models/<name>   the Hugging Face Inference API's shape: raw bytes, or JSON
                        { "inputs": "<base64>", "parameters": { "top_k": 3 } }
  GET  /health, GET /metrics (Prometheus), GET / (a page to try it)

Options:
${MODEL_OPTION_HELP}
  --zero-shot-model M   CLAP model folder or hub id for POST /zero-shot (default: none)
  --host H              address to listen on (default ${SERVER_DEFAULTS.host}; 0.0.0.0 for every interface)
  --port N              port (default ${SERVER_DEFAULTS.port}; 0 picks a free one)
  --workers N           inference worker processes (default 1); each uses cores / N threads
                        unless --threads says otherwise
  --max-body-mb N       largest request body in MB (default ${SERVER_DEFAULTS.maxBodyBytes / 1e6})
  --max-audio-seconds S longest audio per request once decoded (default ${SERVER_DEFAULTS.maxAudioSeconds})
  --request-timeout S   seconds from a request's arrival to its answer, body upload included
                        (default ${SERVER_DEFAULTS.requestTimeoutMs / 1000})
  --max-queue N         requests that may wait for a worker (default ${SERVER_DEFAULTS.maxQueue})
  --shutdown-timeout S  on SIGTERM/SIGINT, how long requests in flight may take to finish
                        (default ${SERVER_DEFAULTS.shutdownGraceMs / 1000})
  --log-level L         ${LOG_LEVELS.join(", ")} (default info; JSON lines on stdout)
`;

function positiveNumber(values: Record<string, unknown>, name: string): number | undefined {
  const n = numberOption(values as never, name);
  if (n !== undefined && !(n > 0)) throw new UsageError(`--${name} must be a positive number, got ${n}`);
  return n;
}

export async function serveCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...MODEL_OPTION_SPEC,
    "zero-shot-model": { type: "string" },
    host: { type: "string" },
    port: { type: "string", short: "p" },
    workers: { type: "string", short: "w" },
    "max-body-mb": { type: "string" },
    "max-audio-seconds": { type: "string" },
    "request-timeout": { type: "string" },
    "max-queue": { type: "string" },
    "shutdown-timeout": { type: "string" },
    "log-level": { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`serve takes no files; unexpected argument ${JSON.stringify(positionals[0])}`);
  const port = integerOption(values, "port", { min: 0 });
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const maxBodyMB = positiveNumber(values, "max-body-mb");
  const requestTimeout = positiveNumber(values, "request-timeout");
  const shutdownTimeout = numberOption(values, "shutdown-timeout");
  if (shutdownTimeout !== undefined && shutdownTimeout < 0) throw new UsageError(`--shutdown-timeout must be ≥ 0 seconds, got ${shutdownTimeout}`);
  const logLevel = choiceOption(values, "log-level", LOG_LEVELS) ?? "info";
  const { threads, maxMemoryMB, ...hub } = modelLoadOptions(values, io);

  const server = await startServer({
    ...(stringOption(values, "model") !== undefined && { model: stringOption(values, "model") }),
    ...(stringOption(values, "zero-shot-model") !== undefined && { zeroShotModel: stringOption(values, "zero-shot-model") }),
    ...(stringOption(values, "host") !== undefined && { host: stringOption(values, "host") }),
    ...(port !== undefined && { port }),
    ...(integerOption(values, "workers") !== undefined && { workers: integerOption(values, "workers") }),
    ...(threads !== undefined && { threads }),
    ...(maxMemoryMB !== undefined && { maxMemoryMB }),
    ...(maxBodyMB !== undefined && { maxBodyBytes: Math.round(maxBodyMB * 1e6) }),
    ...(positiveNumber(values, "max-audio-seconds") !== undefined && { maxAudioSeconds: positiveNumber(values, "max-audio-seconds") }),
    ...(requestTimeout !== undefined && { requestTimeoutMs: requestTimeout * 1000 }),
    ...(integerOption(values, "max-queue", { min: 0 }) !== undefined && { maxQueue: integerOption(values, "max-queue", { min: 0 }) }),
    ...(shutdownTimeout !== undefined && { shutdownGraceMs: shutdownTimeout * 1000 }),
    hub,
    logger: logLevel === "silent" ? false : { level: logLevel },
  }).catch((error: unknown) => {
    if (error instanceof Error && (error as { code?: string }).code === "EADDRINUSE") {
      throw new InvalidArgumentError(`cannot listen on ${stringOption(values, "host") ?? SERVER_DEFAULTS.host}:${port ?? SERVER_DEFAULTS.port}: the address is in use; pick another --port`);
    }
    throw error;
  });

  const { pool } = server;
  const perWorker = pool.threadsPerWorker;
  io.stderr(`audioclass serve: listening on ${server.url} (${pool.size} worker${pool.size === 1 ? "" : "s"} × ${perWorker} thread${perWorker === 1 ? "" : "s"}; ${pool.models.classify.labels.length} labels${pool.models.zeroShot === undefined ? "" : "; zero-shot on"})\n`);

  // A stray rejection must not take the server down with it: log it and keep serving.
  const onRejection = (reason: unknown): void => server.app.log.error({ err: reason }, "unhandled promise rejection");
  process.on("unhandledRejection", onRejection);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  const inFlight = pool.busyWorkers + pool.queueDepth;
  io.stderr(`audioclass serve: ${signal}: shutting down; finishing ${inFlight} request${inFlight === 1 ? "" : "s"} in flight (send it again to stop at once)\n`);
  const force = (): void => {
    io.stderr(`audioclass serve: stopping now\n`);
    process.exit(1);
  };
  process.once("SIGTERM", force);
  process.once("SIGINT", force);
  await server.close();
  process.off("unhandledRejection", onRejection);
  process.off("SIGTERM", force);
  process.off("SIGINT", force);
  io.stderr("audioclass serve: stopped\n");
  return 0;
}
