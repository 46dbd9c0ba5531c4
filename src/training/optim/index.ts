// training/optim: optimizers (AdamW, SGD), LR schedules, gradient clipping and accumulation,
// all on Float32Arrays updated in place.
export { OptimizerError, InvalidHyperparameterError, GradientMismatchError, NonFiniteGradientError, OptimizerStateError } from "./errors.js";
export type { NamedArrays, GradientSource, GradientValue, GradientOptions } from "./named-arrays.js";
export type { Optimizer, OptimizerStateDict, ParameterGroupState } from "./optimizer.js";
export { decayParameterNames, isDecayParameter, type DecayParameterOptions } from "./decay-parameters.js";
export type { DecaySelection } from "./parameter-groups.js";
export { AdamW, type AdamWOptions } from "./adamw.js";
export { SGD, type SGDOptions } from "./sgd.js";
export { clipGradNorm, clipCoefficient, gradNorm, type ClipGradNormOptions } from "./clip-grad-norm.js";
export { GradientAccumulator, type GradientAccumulatorOptions } from "./gradient-accumulator.js";
export {
  LrScheduler,
  scheduleMultiplier,
  warmupSteps,
  SCHEDULE_TYPES,
  type ScheduleType,
  type ScheduleOptions,
  type LrSchedulerState,
  type LrTarget,
} from "./lr-schedule.js";
