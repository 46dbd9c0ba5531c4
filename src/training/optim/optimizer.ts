/**
 * What every optimizer offers the trainer and the checkpoint writer: a learning rate the scheduler
 * sets, one update per call, and a state that saves and restores bit for bit.
 */
import type { GradientOptions, GradientSource } from "./named-arrays.js";

/** One group of parameters sharing a weight decay (the Trainer's "decay" and "no decay" groups). */
export interface ParameterGroupState {
  readonly weightDecay: number;
  readonly params: readonly string[];
}

/**
 * A serialisable optimizer state. `tensors` holds the per-parameter buffers under
 * "<buffer>.<parameter>" (e.g. "exp_avg.classifier.weight"); `scalars` the per-parameter numbers
 * (e.g. { step: 12 }). From `stateDict()` the tensors are the optimizer's live buffers, not copies:
 * write them out before the next step, or copy them.
 */
export interface OptimizerStateDict {
  readonly type: string;
  readonly hyperparameters: Readonly<Record<string, number | boolean | readonly number[]>>;
  readonly groups: readonly ParameterGroupState[];
  readonly scalars: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly tensors: ReadonlyMap<string, Float32Array>;
}

export interface Optimizer {
  /** The learning rate of the next step (an LR scheduler writes it). */
  lr: number;
  /** Parameter names in the order they were given. */
  readonly parameterNames: readonly string[];
  /** Updates every parameter in place from its gradient. */
  step(grads: GradientSource, options?: GradientOptions): void;
  stateDict(): OptimizerStateDict;
  /** Restores a state from `stateDict()` (copied into the optimizer's own buffers). */
  loadStateDict(state: OptimizerStateDict): void;
}
