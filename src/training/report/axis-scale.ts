/**
 * Axis ranges and tick marks a reader takes in at a glance: 1, 2 or 5 times a power of ten
 * between ticks (the "nice numbers" of Heckbert's Graphics Gems algorithm), and tick labels
 * short enough to fit — learning rates such as 0.00005 are written 5e-5.
 */

export interface AxisScale {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

/** A step of 1, 2 or 5 × 10^k close to `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** About `count` ticks covering [lo, hi]; a flat range is widened so the line sits mid-axis. */
export function axisScale(lo: number, hi: number, count = 5): AxisScale {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { min: 0, max: 1, ticks: [0, 0.5, 1] };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / Math.max(1, count - 1));
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; min + k * step <= max + step * 1e-9; k++) ticks.push(cleanFloat(min + k * step, step));
  return { min, max, ticks };
}

/** Removes the float noise of repeated addition (0.30000000000000004 → 0.3) at the step's precision. */
function cleanFloat(x: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(x.toFixed(Math.min(20, digits)));
}

/** A tick label: plain decimals for ordinary magnitudes, "5e-5" for tiny or huge ones. */
export function formatTick(value: number): string {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) {
    const [mantissa, exponent] = value.toExponential().split("e");
    return `${Number(Number(mantissa).toPrecision(3))}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(6)));
}

/**
 * A logarithmic axis over [lo, hi] (both > 0): whole decades, ticks at the powers of ten, and
 * at 2 and 5 times them when the data spans fewer than three decades.
 */
export function logAxisScale(lo: number, hi: number): AxisScale {
  const low = Math.floor(Math.log10(lo));
  const high = Math.max(low + 1, Math.ceil(Math.log10(hi)));
  const ticks: number[] = [];
  for (let e = low; e <= high; e++) {
    const power = 10 ** e;
    ticks.push(Number(power.toPrecision(1)));
    if (high - low < 3 && e < high) ticks.push(Number((2 * power).toPrecision(1)), Number((5 * power).toPrecision(1)));
  }
  return { min: 10 ** low, max: 10 ** high, ticks };
}
