// runtime/: the only layer that imports onnxruntime. Sessions, threads, the session cache.
// This is Node's entry to the layer: it registers onnxruntime-node as the inference backend.
// (The browser entry, src/browser.ts, imports the layer's files directly and registers onnxruntime-web.)
import { registeredInferenceBackend, useInferenceBackend } from "./backend.js";
import { nodeInferenceBackend } from "./node-backend.js";

if (registeredInferenceBackend() === undefined) useInferenceBackend(nodeInferenceBackend);

export { Session, createSession, run } from "./session.js";
export type { SessionOptions, SessionSource, RunOptions, ValueMetadata, OptimizationLevel, LogLevel } from "./session.js";
export { getCachedSession, cachedSessionKeys, disposeCachedSession, disposeAllCachedSessions } from "./session-cache.js";
export { type InferenceBackend, useInferenceBackend, inferenceBackend } from "./backend.js";
export { nodeInferenceBackend } from "./node-backend.js";
export { DEVICES, type Device, checkDevice } from "./device.js";
export { SessionCreateError, UnknownDeviceError, DeviceUnavailableError, NoInferenceBackendError, ModelFileChangedError, SessionFeedError, SessionRunError, SessionDisposedError, MemoryLimitError, UnknownModelDTypeError } from "./errors.js";
export { defaultMaxMemoryMB, maxMemoryBytes } from "./memory-limit.js";
export { MODEL_DTYPES, type ModelDType, type WeightPrecision, weightPrecisionOf } from "./model-dtype.js";
export { lowerWeightPrecision, precisionSessionOptions, DEFAULT_INT8_LEVELS, type ReducedPrecision, type WeightPrecisionOptions, type WeightPrecisionResult } from "./weight-precision-pass.js";
export { quantizeMatrixInt8, toFloat16, type Int8Matrix } from "./weight-quantization.js";
