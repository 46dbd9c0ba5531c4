/**
 * Errors of the HTTP server: what a request did wrong (or what the server cannot do for it right
 * now). Each is an AudioclassError, so clients see `{ error: { type, message } }` with the class
 * name, like every other error audioclass reports; error-status.ts gives each its HTTP status.
 */
import { AudioclassError } from "../errors.js";

/** The request's body is missing, malformed (e.g. garbage multipart) or was cut off. */
export class RequestBodyError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("REQUEST_BODY", message, options);
  }
}

/** A query parameter or form field is unknown or has a value the server cannot use. */
export class RequestOptionError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("REQUEST_OPTION", message, options);
  }
}

/** The body is larger than the server accepts (--max-body-mb). */
export class PayloadTooLargeError extends AudioclassError {
  constructor(message: string) {
    super("PAYLOAD_TOO_LARGE", message);
  }
}

/** The decoded audio lasts longer than the server classifies in one request (--max-audio-seconds). */
export class AudioTooLongError extends AudioclassError {
  constructor(
    message: string,
    readonly seconds: number,
    readonly limitSeconds: number,
  ) {
    super("AUDIO_TOO_LONG", message);
  }
}

/** The body's Content-Type is not one the route reads. */
export class UnsupportedMediaTypeError extends AudioclassError {
  constructor(message: string) {
    super("UNSUPPORTED_MEDIA_TYPE", message);
  }
}

/** The client did not send the whole body before the request's deadline (--request-timeout). */
export class BodyTimeoutError extends AudioclassError {
  constructor(message: string) {
    super("BODY_TIMEOUT", message);
  }
}

/** No such route. */
export class RouteNotFoundError extends AudioclassError {
  constructor(message: string) {
    super("ROUTE_NOT_FOUND", message);
  }
}

/** Every worker is busy and the queue is full (--max-queue): try again after Retry-After. */
export class QueueFullError extends AudioclassError {
  constructor(
    message: string,
    /** Seconds after which a retry has a fair chance. */
    readonly retryAfterSeconds: number,
  ) {
    super("QUEUE_FULL", message);
  }
}

/** The server cannot serve this request now or at all: closing, no worker alive, a task it is not configured for. */
export class ServiceUnavailableError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("SERVICE_UNAVAILABLE", message, options);
  }
}

/** `POST /zero-shot` on a server started without --zero-shot-model. */
export class ZeroShotUnavailableError extends ServiceUnavailableError {}

/** The request waited and ran longer than --request-timeout allows. */
export class InferenceTimeoutError extends ServiceUnavailableError {}

/** A worker process died while running the request (it has been replaced). */
export class WorkerCrashedError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("WORKER_CRASHED", message, options);
  }
}
