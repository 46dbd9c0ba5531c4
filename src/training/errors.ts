/**
 * Errors of the training layer. Every message names the offending input (a file, a manifest
 * row, a parameter) and says what would work.
 */
import { AudioclassError } from "../errors.js";

/**
 * A dataset cannot be built or loaded: a missing or undecodable file, a manifest without a
 * header or with a bad row, an unknown label, a split that cannot be made, a batch loader state
 * that does not fit its dataset.
 */
export class TrainingDataError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TRAINING_DATA", message, options);
  }
}

/** An augmentation got bad parameters (min > max, p outside [0, 1], …) or bad audio. */
export class AugmentationError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("AUGMENTATION", message, options);
  }
}

/** A metric got inputs it cannot score: different lengths, non-integer labels, an unknown average. */
export class MetricError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("METRIC", message, options);
  }
}

/** A Trainer option is missing, out of range, or contradicts another one. */
export class TrainerOptionsError extends AudioclassError {
  constructor(
    message: string,
    /** The option at fault (its TrainerOptions name). */
    readonly option: string,
  ) {
    super("TRAINER_OPTIONS", message);
  }
}

/** A checkpoint cannot continue this run: other data, model, labels or hyperparameters. */
export class ResumeError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TRAINING_RESUME", message, options);
  }
}

/** Training diverged: the loss of a step is NaN or infinite. The weights are left as they were before the step. */
export class NonFiniteLossError extends AudioclassError {
  constructor(
    message: string,
    readonly step: number,
    readonly epoch: number,
  ) {
    super("NON_FINITE_LOSS", message);
  }
}
