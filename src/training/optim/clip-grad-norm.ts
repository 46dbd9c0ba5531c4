/**
 * Gradient-norm clipping with torch.nn.utils.clip_grad_norm_ semantics (L2 norm): the total norm
 * is taken over all gradients together, every gradient is scaled in place by
 * min(1, maxNorm / (norm + 1e-6)), and the norm before clipping is returned (the Trainer logs it
 * as `grad_norm`). Sums run in float64, so the norm of float32 gradients cannot overflow.
 *
 * A non-finite norm (NaN or ±Infinity somewhere) has no useful clipped value — torch would turn
 * every gradient into NaN or 0. By default it is an error naming the parameters at fault; with
 * `onNonFinite: "skip"` the gradients are left as they are and the non-finite norm is returned, so
 * the caller can skip the optimizer step (what mixed-precision loss scaling does).
 *
 * Faster variant: `clipGradNorm(grads, maxNorm, { inPlace: false })` only measures (and checks)
 * the norm; hand `clipCoefficient(norm, maxNorm)` to the optimizer as `step(grads, { scale })`
 * and the rescale happens inside its update loop, saving a read and a write of every gradient.
 */
import { describeValue } from "../../errors.js";
import { GradientMismatchError, NonFiniteGradientError } from "./errors.js";
import { positive } from "./hyperparameters.js";
import { type GradientSource, type GradientValue, namedEntries } from "./named-arrays.js";

export interface ClipGradNormOptions {
  /** What a NaN/Infinity norm does: "error" (default) throws NonFiniteGradientError; "skip" returns it untouched. */
  readonly onNonFinite?: "error" | "skip";
  /** Rescale the gradients here (default true); false only measures, for a fused optimizer step. */
  readonly inPlace?: boolean;
}

/** torch's clip factor min(1, maxNorm / (norm + 1e-6)). */
export function clipCoefficient(norm: number, maxNorm: number): number {
  positive("maxNorm", maxNorm);
  return Math.min(1, maxNorm / (norm + 1e-6));
}

/** The L2 norm of all gradients together (float64 accumulation). */
export function gradNorm(grads: GradientSource): number {
  let sum = 0;
  for (const [name, value] of namedEntries(grads)) sum += sumOfSquares(asFloat32(name, value));
  return Math.sqrt(sum);
}

/** Clips `grads` in place to a total L2 norm of at most `maxNorm`; returns the norm before clipping. */
export function clipGradNorm(grads: GradientSource, maxNorm: number, options: ClipGradNormOptions = {}): number {
  positive("maxNorm", maxNorm);
  const arrays = namedEntries(grads).map(([name, value]) => [name, asFloat32(name, value)] as const);
  const squares = arrays.map(([, data]) => sumOfSquares(data));
  let total = 0;
  for (const s of squares) total += s;
  const norm = Math.sqrt(total);
  if (!Number.isFinite(norm)) {
    if (options.onNonFinite === "skip") return norm;
    const culprits = arrays.filter((_, i) => !Number.isFinite(squares[i])).map(([name]) => name);
    const shown = culprits.slice(0, 5).map((n) => `"${n}"`).join(", ") + (culprits.length > 5 ? ` and ${culprits.length - 5} more` : "");
    throw new NonFiniteGradientError(
      `the gradient norm is ${norm}: gradients of ${shown} hold NaN or Infinity (a diverging loss, a too-high learning rate, or bad input); ` +
        `lower the learning rate, check the batch, or pass onNonFinite: "skip" to skip such steps`,
      culprits,
      norm,
    );
  }
  const coefficient = clipCoefficient(norm, maxNorm);
  // torch multiplies by the clamped coefficient unconditionally; by 1 it changes nothing, so skip it.
  if (coefficient < 1 && options.inPlace !== false) {
    for (const [, data] of arrays) scale(data, coefficient);
  }
  return norm;
}

function sumOfSquares(data: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i] * data[i];
  return sum;
}

function scale(data: Float32Array, factor: number): void {
  for (let i = 0; i < data.length; i++) data[i] *= factor;
}

function asFloat32(name: string, value: GradientValue): Float32Array {
  const data = value instanceof Float32Array ? value : (value as { data?: unknown } | null)?.data;
  if (!(data instanceof Float32Array)) throw new GradientMismatchError(`gradient "${name}" must be float32 (a Float32Array or a float32 tensor), got ${describeValue(data)}`, name);
  return data;
}
