// runtime/: the only layer that imports onnxruntime. Sessions, threads, the session cache.
export { Session, createSession, run } from "./session.js";
export type { SessionOptions, RunOptions, ValueMetadata, OptimizationLevel, LogLevel } from "./session.js";
export { getCachedSession, cachedSessionKeys, disposeCachedSession, disposeAllCachedSessions } from "./session-cache.js";
export { SessionCreateError, SessionFeedError, SessionRunError, SessionDisposedError } from "./errors.js";
