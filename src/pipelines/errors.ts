import { AudioclassError } from "../errors.js";

/** An input handed to a pipeline call is of a kind or shape the pipeline cannot take. */
export class PipelineInputError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("PIPELINE_INPUT", message, options);
  }
}

/** A pipeline option (topK, functionToApply, batchSize, …) has an invalid value. */
export class PipelineOptionError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("PIPELINE_OPTION", message, options);
  }
}

/**
 * The model returned NaN or ±Infinity for an input: a score would be meaningless (JSON even
 * prints it as null). Usually the audio is far outside [-1, 1] or the weights are corrupt.
 */
export class NonFiniteOutputError extends AudioclassError {
  /** Position of the input in the call (0 for a single input). */
  readonly index: number;

  constructor(message: string, index: number) {
    super("NON_FINITE_OUTPUT", message);
    this.index = index;
  }
}
