// server/: the HTTP face of audioclass (`audioclass serve`), for embedding it in a program.
export { startServer, SERVER_DEFAULTS, type ServeOptions, type RunningServer } from "./start-server.js";
export type { ServerLimits } from "./routes/route-context.js";
export {
  AudioTooLongError,
  BodyTimeoutError,
  InferenceTimeoutError,
  PayloadTooLargeError,
  QueueFullError,
  RequestBodyError,
  RequestOptionError,
  RouteNotFoundError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
  WorkerCrashedError,
  ZeroShotUnavailableError,
} from "./errors.js";
export { statusOf } from "./error-status.js";
