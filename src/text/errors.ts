import { ConfigError, InvalidArgumentError } from "../errors.js";

/** A tokenizer's files are missing, unreadable or describe a tokenizer audioclass cannot build. */
export class TokenizerConfigError extends ConfigError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Texts or options handed to a tokenizer that it cannot use (not strings, bad padding, …). */
export class TokenizerInputError extends InvalidArgumentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
