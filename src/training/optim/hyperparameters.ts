/** Range checks for optimizer and schedule options, with messages that say what would work. */
import { describeValue } from "../../errors.js";
import { InvalidHyperparameterError } from "./errors.js";

/** A finite number ≥ 0 (learning rate, eps, weight decay, momentum…). */
export function nonNegative(option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidHyperparameterError(`${option} must be a finite number ≥ 0, got ${describeValue(value)}`, option);
  }
  return value;
}

/** A number in [0, 1) (Adam's betas). */
export function unitInterval(option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new InvalidHyperparameterError(`${option} must be in [0, 1) (e.g. 0.9 or 0.999), got ${describeValue(value)}`, option);
  }
  return value;
}

/** A finite number > 0 (max gradient norm). */
export function positive(option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidHyperparameterError(`${option} must be a finite number > 0, got ${describeValue(value)}`, option);
  }
  return value;
}

/** An integer ≥ `min` (step counts). */
export function integerAtLeast(option: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidHyperparameterError(`${option} must be an integer ≥ ${min}, got ${describeValue(value)}`, option);
  }
  return value;
}
