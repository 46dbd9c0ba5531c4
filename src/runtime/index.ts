// runtime/: the only layer that imports onnxruntime. Sessions, threads, the session cache.
export { Session, createSession, run } from "./session.js";
export type { SessionOptions, SessionSource, RunOptions, ValueMetadata, OptimizationLevel, LogLevel } from "./session.js";
export { getCachedSession, cachedSessionKeys, disposeCachedSession, disposeAllCachedSessions } from "./session-cache.js";
export { SessionCreateError, ModelFileChangedError, SessionFeedError, SessionRunError, SessionDisposedError, MemoryLimitError } from "./errors.js";
export { defaultMaxMemoryMB, maxMemoryBytes } from "./memory-limit.js";
