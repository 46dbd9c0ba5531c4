/**
 * Errors of the optimizer layer (optimizers, schedules, clipping, accumulation). Each names the
 * offending parameter or option and says what would work.
 */
import { AudioclassError } from "../../errors.js";

/** Base of every error src/training/optim throws on purpose. */
export class OptimizerError extends AudioclassError {}

/** A hyperparameter (lr, betas, eps, weight decay, schedule length, max norm…) is out of range. */
export class InvalidHyperparameterError extends OptimizerError {
  constructor(
    message: string,
    /** The option's name as the caller spelled it, e.g. "betas[1]". */
    readonly option: string,
  ) {
    super("OPTIM_HYPERPARAMETER", message);
  }
}

/** Gradients do not match the parameters: one is missing, unknown, or has the wrong length. */
export class GradientMismatchError extends OptimizerError {
  constructor(
    message: string,
    readonly parameter: string | undefined,
  ) {
    super("OPTIM_GRADIENT", message);
  }
}

/** A gradient holds NaN or ±Infinity, so no update can be computed from it. */
export class NonFiniteGradientError extends OptimizerError {
  constructor(
    message: string,
    /** Parameters whose gradients hold non-finite values (first few). */
    readonly parameters: readonly string[],
    /** The total norm that was computed (NaN or Infinity). */
    readonly norm: number,
  ) {
    super("OPTIM_NON_FINITE", message);
  }
}

/** A saved optimizer or scheduler state does not fit the optimizer it is loaded into. */
export class OptimizerStateError extends OptimizerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("OPTIM_STATE", message, options);
  }
}
