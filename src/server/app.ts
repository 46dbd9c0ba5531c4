/**
 * The Fastify application: routes, the request deadline, metrics, and one error handler that
 * turns every failure into `{ error: { type, message } }` with its status (error-status.ts).
 *
 * Each group of routes reads only the bodies it understands (its own content-type parsers, in
 * its own plugin scope): the audio routes take audio/*, application/octet-stream and multipart;
 * the Hugging Face route takes JSON or anything as raw bytes.
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { RequestOptionError, RouteNotFoundError } from "./errors.js";
import { errorBody, httpErrorOf, MappedError } from "./error-status.js";
import { type SchemaError, validationMessage } from "./request-options.js";
import { audioRoutes } from "./routes/audio-routes.js";
import { hfInferenceRoutes } from "./routes/hf-inference.js";
import type { InferencePool, ServerLimits } from "./routes/route-context.js";
import { statusRoutes } from "./routes/status-routes.js";
import { tryPageRoute } from "./routes/try-page.js";
import { ServerMetrics } from "./server-metrics.js";

export interface AppOptions {
  pool: InferencePool;
  limits: ServerLimits;
  /** Fastify's (pino) logger: false for none, or { level }. */
  logger?: FastifyServerOptions["logger"];
  /** True once shutdown has begun. */
  isClosing?: () => boolean;
}

/** A schema validation failure as a RequestOptionError naming the parameter and the valid ones. */
function validationError(error: FastifyError & { validationContext?: string }, schema: unknown): RequestOptionError {
  const what = error.validationContext === "querystring" ? "query parameter" : `${error.validationContext ?? "request"} field`;
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  return new RequestOptionError(validationMessage((error.validation ?? []) as SchemaError[], what, { properties }));
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { pool, limits } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    // one line per request would drown what matters; errors are logged by the error handler
    logController: new LogController({ disableRequestLogging: true }),
    // report unknown parameters instead of silently dropping them (Fastify's default)
    ajv: { customOptions: { removeAdditional: false } },
    // Node's own backstop for requests that never complete; our deadline answers first
    requestTimeout: limits.requestTimeoutMs + 10_000,
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });
  const metrics = new ServerMetrics(pool);

  app.decorateRequest("deadline", 0);
  app.addHook("onRequest", async (request, reply) => {
    request.deadline = Date.now() + limits.requestTimeoutMs;
    metrics.track(request, reply);
  });
  // While shutting down, answers end their connection: a kept-alive one would hold close() until it idles out.
  app.addHook("onSend", async (_request, reply) => {
    if (options.isClosing?.() === true) reply.header("connection", "close");
  });

  app.setErrorHandler((raw: FastifyError, request, reply) => {
    const error = raw.validation !== undefined ? validationError(raw, request.routeOptions.schema?.[raw.validationContext as "querystring"]) : raw;
    const http = httpErrorOf(error);
    metrics.errors.inc({ type: http.type });
    if (http.unexpected) {
      const stack = error instanceof MappedError ? error.remoteStack : error.stack;
      request.log.error({ err: error, stack, url: request.url }, "unexpected error while handling a request");
    } else if (http.status >= 500) {
      request.log.warn({ type: http.type, message: http.message, url: request.url }, "request failed on the server's side");
    }
    // A body we stopped reading (too large, too slow, refused) must not be read to its end.
    if (!request.raw.complete) reply.header("connection", "close");
    if (http.retryAfterSeconds !== undefined) reply.header("retry-after", String(http.retryAfterSeconds));
    return reply.code(http.status).send(errorBody(http));
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new RouteNotFoundError(`no route ${request.method} ${request.url.split("?")[0]}; this server has POST /classify, POST /zero-shot, POST /models/<name>, GET /health, GET /metrics and GET /`);
    metrics.errors.inc({ type: error.name });
    if (!request.raw.complete) reply.header("connection", "close");
    return reply.code(404).send(errorBody({ type: error.name, message: error.message }));
  });

  const context = { pool, limits };
  await app.register(audioRoutes, context);
  await app.register(hfInferenceRoutes, context);
  await app.register(statusRoutes, { ...context, metrics });
  await app.register(tryPageRoute, context);
  return app;
}
