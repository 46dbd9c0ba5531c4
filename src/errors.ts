/**
 * The root of every error audioclass throws on purpose. Each layer defines its own subclasses
 * (audio/errors.ts, features/errors.ts, …) so a caller can catch by kind, and every message
 * names the offending input and says what would work.
 */
export class AudioclassError extends Error {
  /** A stable machine-readable identifier, e.g. "AUDIO_DECODE". */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A config file (config.json, preprocessor_config.json, …) is missing, unreadable or invalid. */
export class ConfigError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("CONFIG", message, options);
  }
}

/** An argument is of the wrong kind, shape or range. */
export class InvalidArgumentError extends AudioclassError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("INVALID_ARGUMENT", message, options);
  }
}

/** Short human description of a value for error messages (never dumps large arrays). */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    const length = (value as unknown as { length?: number }).length ?? value.byteLength;
    return `${name}(${length})`;
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === "string") return value.length > 80 ? JSON.stringify(value.slice(0, 77) + "...") : JSON.stringify(value);
  if (typeof value === "object") {
    const keys = Object.keys(value as object).slice(0, 6);
    return `object with keys {${keys.join(", ")}}`;
  }
  return `${typeof value} ${String(value)}`;
}
