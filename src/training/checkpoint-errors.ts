/**
 * Errors of checkpoint and model-folder saving and loading (src/training/checkpoint). Each names
 * the folder or file and says what would work.
 */
import { AudioclassError } from "../errors.js";

/** Base of every error src/training/checkpoint throws on purpose. */
export class CheckpointError extends AudioclassError {
  constructor(
    code: string,
    message: string,
    /** The checkpoint or model folder (or file) concerned. */
    readonly path: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Writing a folder failed; the previous folder at that path (if any) is unchanged. */
export class CheckpointWriteError extends CheckpointError {
  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super("CHECKPOINT_WRITE", message, path, options);
  }
}

/** There is no checkpoint (or model folder) where one was asked for. */
export class CheckpointNotFoundError extends CheckpointError {
  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super("CHECKPOINT_NOT_FOUND", message, path, options);
  }
}

/** A checkpoint folder was never finished: a `.tmp-*` folder, or one without its manifest or a listed file. */
export class IncompleteCheckpointError extends CheckpointError {
  constructor(message: string, path: string) {
    super("CHECKPOINT_INCOMPLETE", message, path);
  }
}

/** A checkpoint file is truncated, altered or unparsable. */
export class CorruptCheckpointError extends CheckpointError {
  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super("CHECKPOINT_CORRUPT", message, path, options);
  }
}

/**
 * What was handed to a writer cannot make a valid folder: labels that are not unique strings, a
 * classifier head whose size disagrees with the labels, a state that is not plain JSON, an
 * architecture whose classification head we do not know.
 */
export class CheckpointContentError extends CheckpointError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("CHECKPOINT_CONTENT", message, undefined, options);
  }
}
