/**
 * Which HTTP status each error gets, and the `{ error: { type, message } }` body clients see.
 *
 * What the client sent is a 4xx: options 400, audio that cannot be decoded or used 422, a format
 * we do not read 415, too much (body, duration, memory) 413. What the server cannot do right now
 * is a 429 or 503. Every other AudioclassError (a broken model folder, a failed session) is the
 * server's fault: 500, with its class name and message; anything else is a bug: 500 with a
 * generic message, and the caller logs the stack.
 */
import { AudioDecodeError, AudioSourceError, AudioTooLargeError, UnsupportedAudioFormatError } from "../audio/errors.js";
import { DspArgumentError } from "../dsp/errors.js";
import { AudioclassError, InvalidArgumentError } from "../errors.js";
import { FeatureExtractorInputError } from "../features/errors.js";
import { ModelInputError } from "../models/errors.js";
import { NonFiniteOutputError, PipelineInputError, PipelineOptionError } from "../pipelines/errors.js";
import { MemoryLimitError } from "../runtime/errors.js";
import {
  AudioTooLongError,
  BodyTimeoutError,
  PayloadTooLargeError,
  QueueFullError,
  RequestBodyError,
  RequestOptionError,
  RouteNotFoundError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
} from "./errors.js";

type ErrorClass = abstract new (...args: never[]) => Error;

/** Most specific first: a subclass must come before its parent. */
const STATUS_BY_CLASS: ReadonlyArray<readonly [ErrorClass, number]> = [
  // the server's own
  [RequestOptionError, 400],
  [RequestBodyError, 400],
  [RouteNotFoundError, 404],
  [BodyTimeoutError, 408],
  [PayloadTooLargeError, 413],
  [AudioTooLongError, 413],
  [UnsupportedMediaTypeError, 415],
  [QueueFullError, 429],
  [ServiceUnavailableError, 503],
  // the library's, for what a request carried
  [PipelineOptionError, 400],
  [UnsupportedAudioFormatError, 415],
  [AudioTooLargeError, 413],
  [AudioDecodeError, 422],
  [AudioSourceError, 422],
  [PipelineInputError, 422],
  [FeatureExtractorInputError, 422],
  [DspArgumentError, 422],
  [ModelInputError, 422],
  [NonFiniteOutputError, 422],
  // a run that would need more memory than allowed: the audio is too much for the model
  [MemoryLimitError, 413],
  // e.g. a candidate label the tokenizer refuses
  [InvalidArgumentError, 400],
];

/** The HTTP status of an error thrown by audioclass (500 for those that are the server's fault). */
export function statusOf(error: AudioclassError): number {
  for (const [cls, status] of STATUS_BY_CLASS) if (error instanceof cls) return status;
  return 500;
}

/** An error mapped where it happened (in a worker process): class name, message and status travel as data. */
export class MappedError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
    /** Whether it was a bug rather than an AudioclassError (the worker sends its stack too). */
    readonly unexpected = false,
    readonly remoteStack?: string,
  ) {
    super(message);
    this.name = type;
  }
}

export interface HttpError {
  status: number;
  type: string;
  message: string;
  /** Seconds for the Retry-After header (429). */
  retryAfterSeconds?: number;
  /** A bug, not a typed error: the caller logs it. */
  unexpected: boolean;
}

/** The typed error a framework error (with a 4xx statusCode, e.g. Fastify's or the multipart parser's) stands for. */
function frameworkErrorType(status: number): string {
  switch (status) {
    case 404:
      return RouteNotFoundError.name;
    case 408:
      return BodyTimeoutError.name;
    case 413:
      return PayloadTooLargeError.name;
    case 415:
      return UnsupportedMediaTypeError.name;
    default:
      return RequestBodyError.name;
  }
}

/** Fastify's messages are terse ("Unsupported Media Type"); say what would work. */
function frameworkMessage(status: number, message: string): string {
  if (status === 415) return `${message}: send the audio file's bytes with Content-Type audio/* (e.g. audio/wav) or application/octet-stream, or as the field "file" of a multipart/form-data body`;
  return message;
}

export function httpErrorOf(error: unknown): HttpError {
  if (error instanceof MappedError) return { status: error.status, type: error.type, message: error.message, unexpected: error.unexpected };
  if (error instanceof AudioclassError) {
    const status = statusOf(error);
    return {
      status,
      type: error.name,
      message: error.message,
      ...(error instanceof QueueFullError && { retryAfterSeconds: error.retryAfterSeconds }),
      unexpected: false,
    };
  }
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 500) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: statusCode, type: frameworkErrorType(statusCode), message: frameworkMessage(statusCode, message), unexpected: false };
  }
  return { status: 500, type: "InternalServerError", message: "the server failed unexpectedly while handling this request; the error has been logged", unexpected: true };
}

/** The JSON body of an error response. */
export function errorBody(error: Pick<HttpError, "type" | "message">): { error: { type: string; message: string } } {
  return { error: { type: error.type, message: error.message } };
}
