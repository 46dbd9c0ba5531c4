import { AudioclassError } from "../errors.js";

/** ONNX Runtime refused to load a model; the message names the model and carries ORT's reason. */
export class SessionCreateError extends AudioclassError {
  readonly modelName: string;

  constructor(modelName: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? "SESSION_CREATE", message, options);
    this.modelName = modelName;
  }
}

/**
 * A file ONNX Runtime was to read weights from in place (a checkpoint) disappeared or changed
 * while the session was being created: what ORT read may not match the graph, so nothing is kept.
 */
export class ModelFileChangedError extends SessionCreateError {
  readonly file: string;

  constructor(modelName: string, file: string, message: string, options?: { cause?: unknown }) {
    super(modelName, message, { ...options, code: "MODEL_FILE_CHANGED" });
    this.file = file;
  }
}

/** Feeds do not match the session's inputs (missing, unknown, wrong type or rank). */
export class SessionFeedError extends AudioclassError {
  readonly modelName: string;

  constructor(modelName: string, message: string) {
    super("SESSION_FEED", message);
    this.modelName = modelName;
  }
}

/** ONNX Runtime failed while running a model, or returned something we cannot represent. */
export class SessionRunError extends AudioclassError {
  readonly modelName: string;

  constructor(modelName: string, message: string, options?: { cause?: unknown }) {
    super("SESSION_RUN", message, options);
    this.modelName = modelName;
  }
}

/** The session was disposed and cannot run any more. */
export class SessionDisposedError extends AudioclassError {
  constructor(modelName: string) {
    super("SESSION_DISPOSED", `session for model "${modelName}" has been disposed; create a new one with createSession()`);
  }
}

/**
 * A run would need more memory than the limit: refused before it starts, so the process is not
 * killed by the system or left swapping. The message says what was asked and how to proceed.
 */
export class MemoryLimitError extends AudioclassError {
  readonly modelName: string;
  /** Estimated bytes of intermediate tensors the run needs. */
  readonly estimatedBytes: number;
  readonly limitBytes: number;

  constructor(modelName: string, message: string, sizes: { estimatedBytes: number; limitBytes: number }) {
    super("MEMORY_LIMIT", message);
    this.modelName = modelName;
    this.estimatedBytes = sizes.estimatedBytes;
    this.limitBytes = sizes.limitBytes;
  }
}

/** A `dtype` that is not one of the names audioclass understands; the message lists them. */
export class UnknownModelDTypeError extends AudioclassError {
  readonly dtype: unknown;
  readonly validDTypes: readonly string[];

  constructor(dtype: unknown, validDTypes: readonly string[], message: string) {
    super("UNKNOWN_DTYPE", message);
    this.dtype = dtype;
    this.validDTypes = validDTypes;
  }
}

/** A `device` option that names no device audioclass knows. */
export class UnknownDeviceError extends AudioclassError {
  readonly device: string;

  constructor(message: string, device: string) {
    super("UNKNOWN_DEVICE", message);
    this.device = device;
  }
}

/** A known device this platform cannot use (WebGPU in Node, or in a browser without it). */
export class DeviceUnavailableError extends AudioclassError {
  readonly device: string;

  constructor(device: string, message: string) {
    super("DEVICE_UNAVAILABLE", message);
    this.device = device;
  }
}

/** No inference backend is registered (the entry point that wires one was not imported). */
export class NoInferenceBackendError extends AudioclassError {
  constructor(message: string) {
    super("NO_INFERENCE_BACKEND", message);
  }
}
