// runtime/: the only layer that imports onnxruntime. Sessions, threads, the session cache.
export { Session, createSession, run } from "./session.js";
export type { SessionOptions, SessionSource, RunOptions, ValueMetadata, OptimizationLevel, LogLevel } from "./session.js";
export { getCachedSession, cachedSessionKeys, disposeCachedSession, disposeAllCachedSessions } from "./session-cache.js";
export { SessionCreateError, ModelFileChangedError, SessionFeedError, SessionRunError, SessionDisposedError, MemoryLimitError, UnknownModelDTypeError } from "./errors.js";
export { defaultMaxMemoryMB, maxMemoryBytes } from "./memory-limit.js";
export { MODEL_DTYPES, type ModelDType, type WeightPrecision, weightPrecisionOf } from "./model-dtype.js";
export { lowerWeightPrecision, precisionSessionOptions, DEFAULT_INT8_LEVELS, type ReducedPrecision, type WeightPrecisionOptions, type WeightPrecisionResult } from "./weight-precision-pass.js";
export { quantizeMatrixInt8, toFloat16, type Int8Matrix } from "./weight-quantization.js";
