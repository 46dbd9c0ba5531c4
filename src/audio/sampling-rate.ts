/** Validation of a sampling-rate argument. */
import { InvalidArgumentError, describeValue } from "../errors.js";

/** Returns `value` if it is a positive integer number of Hz, else throws InvalidArgumentError. */
export function checkSamplingRate(value: unknown, label: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(
      `${label} must be a positive whole number of samples per second (e.g. 16000), got ${describeValue(value)}`,
    );
  }
  return value;
}
