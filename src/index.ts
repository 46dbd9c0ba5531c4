// Public API of audioclass. Names here are stable: tests and users rely on them (DESIGN.md).
import "./models/node-platform.js";
export { AudioclassError, ConfigError, InvalidArgumentError } from "./errors.js";
export type { Tensor, TensorType, TensorDataMap } from "./tensor.js";
export { tensor, numel } from "./tensor.js";
export * from "./audio/index.js";
export * from "./dsp/index.js";
export * from "./features/index.js";
export * from "./weights/index.js";
export * from "./hub/index.js";
export * from "./models/index.js";
export * from "./pipelines/index.js";
export * from "./text/index.js";
export * from "./training/index.js";
export { MemoryLimitError, SessionCreateError, SessionRunError, SessionFeedError, defaultMaxMemoryMB } from "./runtime/index.js";
