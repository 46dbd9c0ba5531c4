import { AudioclassError } from "../errors.js";

/** config.json is missing a value a model needs, or holds one it cannot use. */
export class ModelConfigError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("MODEL_CONFIG", message, options);
  }
}

/** The config names an architecture (model_type) that audioclass does not build. */
export class UnsupportedModelError extends AudioclassError {
  constructor(
    message: string,
    readonly modelType: string | undefined,
    readonly supported: readonly string[],
  ) {
    super("UNSUPPORTED_MODEL", message);
  }
}

/** Features handed to a model do not fit its inputs (missing, wrong shape or type). */
export class ModelInputError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("MODEL_INPUT", message, options);
  }
}

/** A file the requested form of a model needs is not in its folder (e.g. an export's dtype variant). */
export class ModelFileNotFoundError extends AudioclassError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super("MODEL_FILE_NOT_FOUND", message);
  }
}

/** No platform loader is installed: a file inside the package was imported instead of an entry point. */
export class NoModelLoaderError extends AudioclassError {
  constructor(message: string) {
    super("NO_MODEL_LOADER", message);
  }
}
