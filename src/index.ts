// Public API of audioclass. Names here are stable: tests and users rely on them (DESIGN.md).
export { AudioclassError, ConfigError, InvalidArgumentError } from "./errors.js";
export type { Tensor, TensorType, TensorDataMap } from "./tensor.js";
export { tensor, numel } from "./tensor.js";
