import { InvalidArgumentError } from "../errors.js";

/**
 * A DSP routine got an argument it cannot work with (a non-positive FFT size, a window longer
 * than the frame, a mel range above Nyquist, …). Extends InvalidArgumentError so callers that
 * catch argument errors in general also catch these.
 */
export class DspArgumentError extends InvalidArgumentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Throws DspArgumentError unless `value` is an integer ≥ `min`. */
export function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new DspArgumentError(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
}

/** Throws DspArgumentError unless `value` is a finite number (optionally > 0). */
export function requireFinite(name: string, value: number, positive = false): void {
  if (typeof value !== "number" || !Number.isFinite(value) || (positive && !(value > 0))) {
    throw new DspArgumentError(`${name} must be a finite${positive ? " positive" : ""} number, got ${String(value)}`);
  }
}
