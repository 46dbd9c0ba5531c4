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
