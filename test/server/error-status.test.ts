import { test } from "node:test";
import assert from "node:assert/strict";
import { AudioDecodeError, AudioFormatError, AudioSourceError, UnsupportedAudioFormatError } from "../../src/audio/errors.js";
import { ConfigError, InvalidArgumentError } from "../../src/errors.js";
import { FeatureExtractorInputError } from "../../src/features/errors.js";
import { ModelConfigError } from "../../src/models/errors.js";
import { NonFiniteOutputError, PipelineInputError, PipelineOptionError } from "../../src/pipelines/errors.js";
import { MemoryLimitError, SessionRunError } from "../../src/runtime/errors.js";
import { errorBody, httpErrorOf, MappedError, statusOf } from "../../src/server/error-status.js";
import {
  AudioTooLongError,
  BodyTimeoutError,
  InferenceTimeoutError,
  PayloadTooLargeError,
  QueueFullError,
  RequestBodyError,
  RequestOptionError,
  UnsupportedMediaTypeError,
  WorkerCrashedError,
  ZeroShotUnavailableError,
} from "../../src/server/errors.js";
import { TokenizerInputError } from "../../src/text/errors.js";

test("error status: what a request carried is a 4xx, the server's own trouble a 429/503/500", () => {
  const cases: Array<[Error & { name: string }, number]> = [
    [new RequestOptionError("x"), 400],
    [new RequestBodyError("x"), 400],
    [new PipelineOptionError("x"), 400],
    [new TokenizerInputError("x"), 400],
    [new InvalidArgumentError("x"), 400],
    [new BodyTimeoutError("x"), 408],
    [new PayloadTooLargeError("x"), 413],
    [new AudioTooLongError("x", 700, 600), 413],
    [new MemoryLimitError("m", "x", { estimatedBytes: 2, limitBytes: 1 }), 413],
    [new UnsupportedMediaTypeError("x"), 415],
    // a subclass of AudioDecodeError, but a format we do not read rather than a broken file
    [new UnsupportedAudioFormatError("in", "MP4/M4A", "x"), 415],
    [new AudioDecodeError("in", "x"), 422],
    [new AudioFormatError("in", "x"), 422],
    [new AudioSourceError("in", "x"), 422],
    [new PipelineInputError("x"), 422],
    [new FeatureExtractorInputError("x"), 422],
    [new NonFiniteOutputError("x", 0), 422],
    [new QueueFullError("x", 2), 429],
    [new ZeroShotUnavailableError("x"), 503],
    [new InferenceTimeoutError("x"), 503],
    // the server's fault: a broken model folder, a failed run, a dead worker
    [new ModelConfigError("x"), 500],
    [new ConfigError("x"), 500],
    [new SessionRunError("m", "x"), 500],
    [new WorkerCrashedError("x"), 500],
  ];
  for (const [error, status] of cases) {
    assert.equal(statusOf(error as never), status, error.name);
    const http = httpErrorOf(error);
    assert.deepEqual([http.status, http.type, http.message, http.unexpected], [status, error.name, error.message, false], error.name);
  }
});

test("error status: 429 carries Retry-After; mapped worker errors keep their status; bugs are a generic 500", () => {
  assert.equal(httpErrorOf(new QueueFullError("busy", 3)).retryAfterSeconds, 3);
  assert.deepEqual(httpErrorOf(new MappedError("AudioDecodeError", "cannot decode", 422)), { status: 422, type: "AudioDecodeError", message: "cannot decode", unexpected: false });
  const bug = httpErrorOf(new TypeError("cannot read properties of undefined (reading 'x')"));
  assert.equal(bug.status, 500);
  assert.equal(bug.type, "InternalServerError");
  assert.equal(bug.unexpected, true);
  assert.doesNotMatch(bug.message, /undefined/, "a bug's own message is logged, not sent");
  // a framework's 4xx (e.g. Fastify's 415) becomes the matching typed error
  const framework = Object.assign(new Error("Unsupported Media Type"), { statusCode: 415, code: "FST_ERR_CTP_INVALID_MEDIA_TYPE" });
  assert.equal(httpErrorOf(framework).type, "UnsupportedMediaTypeError");
  assert.deepEqual(errorBody({ type: "T", message: "m" }), { error: { type: "T", message: "m" } });
});
