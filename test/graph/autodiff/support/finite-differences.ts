// Central differences on the float64 interpreter and the comparison against ONNX Runtime's
// float32 analytic gradients, shared by the per-op checks and the whole-model check.
//
// Tolerances. The differences are float64-accurate: with h = 1e-5·max(1, |x|) the truncation
// error h²·f'''/6 is ~1e-11 and the rounding error ~1e-15/h ≈ 1e-10, far below what is tested.
// The analytic gradients are float32 (unit roundoff u = 2⁻²⁴ ≈ 6e-8) computed through a chain of
// ops, each adding roughly u times the magnitude of what it sums; for a chain of d ops summing
// up to n terms the error is ~ (d + log₂ n)·u·scale ≈ 1e-6·scale here. The per-op default
// |analytic − numeric| ≤ 1e-4·scale + 1e-3·|numeric| (scale = max(1, max |gradient|)) leaves a
// factor ~100 for condition numbers (softmax, normalisation) while any real bug — a missing
// term, a wrong axis, a transposed operand — shows up as an error of order |gradient|.
import assert from "node:assert/strict";
import type { T64 } from "./tensor64.js";

export interface Tolerance {
  /** Absolute part, multiplied by the scale of the gradient being checked. */
  readonly atol: number;
  readonly rtol: number;
}

export const OP_TOLERANCE: Tolerance = { atol: 1e-4, rtol: 1e-3 };

/** Relative step: large enough for float64 rounding, small enough for truncation and kinks. */
export function stepFor(x: number): number {
  return 1e-5 * Math.max(1, Math.abs(x));
}

/** (f(x + h·e_i) − f(x − h·e_i)) / 2h for coordinate i of `base`. */
export function centralDifference(base: T64, index: number, f: (perturbed: T64) => number): number {
  const h = stepFor(base.data[index]!);
  const plus = new Float64Array(base.data);
  plus[index] = base.data[index]! + h;
  const minus = new Float64Array(base.data);
  minus[index] = base.data[index]! - h;
  // the actual step, as represented in float64
  const step = plus[index]! - minus[index]!;
  return (f({ dims: base.dims, data: plus }) - f({ dims: base.dims, data: minus })) / step;
}

/** Distinct coordinates to check: all when few, else a seeded sample plus the largest gradient. */
export function pickCoordinates(n: number, limit: number, random: () => number, mustInclude: readonly number[] = []): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>(mustInclude.filter((i) => i >= 0 && i < n));
  while (chosen.size < limit) chosen.add(Math.floor(random() * n));
  return [...chosen].sort((a, b) => a - b);
}

export function argMaxAbs(data: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < data.length; i++) if (Math.abs(data[i]!) > Math.abs(data[best]!)) best = i;
  return best;
}

export interface Mismatch {
  readonly name: string;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
  readonly allowed: number;
}

/** Collects comparisons; `finish` fails the test naming the worst coordinate. */
export class GradientComparison {
  private worst: (Mismatch & { ratio: number }) | undefined;
  checked = 0;
  maxRelativeError = 0;
  /** The largest |error| / allowed seen: how much of the tolerance the worst coordinate used. */
  toleranceUsed = 0;

  constructor(private readonly tolerance: Tolerance) {}

  /** `noise`: an absolute allowance on top (float32 noise of sums that cancel, see checkModelGradients). */
  compare(name: string, index: number, analytic: number, numeric: number, scale: number, noise = 0): void {
    this.checked++;
    const allowed = this.tolerance.atol * scale + this.tolerance.rtol * Math.abs(numeric) + noise;
    const error = Math.abs(analytic - numeric);
    this.maxRelativeError = Math.max(this.maxRelativeError, error / Math.max(scale, 1e-30));
    const ratio = Number.isNaN(error) ? Infinity : error / allowed;
    this.toleranceUsed = Math.max(this.toleranceUsed, ratio);
    if (this.worst === undefined || ratio > this.worst.ratio) this.worst = { name, index, analytic, numeric, allowed, ratio };
  }

  finish(what: string): void {
    const w = this.worst;
    if (w !== undefined && w.ratio > 1) {
      assert.fail(
        `${what}: gradient of "${w.name}" at [${w.index}] is ${w.analytic}, central differences give ${w.numeric} ` +
          `(|error| ${Math.abs(w.analytic - w.numeric).toExponential(2)} > allowed ${w.allowed.toExponential(2)}; ${this.checked} coordinates checked)`,
      );
    }
  }
}
