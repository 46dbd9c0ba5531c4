/**
 * Draws from N(0, std²) truncated to [low, high], as torch's trunc_normal_ initialises Linear and
 * Conv weights. Ordinary configs (std 0.02, bounds ±2 = ±100σ) accept every draw of a plain
 * normal, so rejection is used and keeps their values; when most draws would be rejected (a
 * config with initializer_range 1e9 made rejection loop forever), the normal CDF is inverted over
 * [low, high] instead, as torch does.
 */
import type { SeededRandom } from "./initialize-parameters.js";

/** Rejection is used while at least this share of draws lands inside the bounds. */
const MIN_ACCEPTANCE = 0.5;

/** erf(x): its Maclaurin series below 0.5, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7) above. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a < 0.5) {
    // Maclaurin series: exact to double precision near 0, where the CDF differences live.
    let term = a;
    let sum = a;
    for (let n = 1; n < 30; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return (sign * 2 * sum) / Math.sqrt(Math.PI);
  }
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return sign * y;
}

/** erf⁻¹(y) for y in (−1, 1): Giles' approximation, polished by two Newton steps. */
function erfinv(y: number): number {
  const w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 5) {
    const v = w - 2.5;
    let p = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]) p = c + p * v;
    x = p * y;
  } else {
    const v = Math.sqrt(w) - 3;
    let p = -0.000200214257;
    for (const c of [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]) p = c + p * v;
    x = p * y;
  }
  for (let i = 0; i < 2; i++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

const normalCdf = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));

/** Fills `out` with draws of N(0, std²) truncated to [low, high] (std ≥ 0, low < 0 < high). */
export function fillTruncatedNormal(out: Float32Array, std: number, low: number, high: number, random: SeededRandom): void {
  const pLow = std === 0 ? 0 : normalCdf(low / std);
  const pHigh = std === 0 ? 1 : normalCdf(high / std);
  if (pHigh - pLow >= MIN_ACCEPTANCE) {
    for (let i = 0; i < out.length; i++) {
      let x = random.normal(0, std);
      while (x < low || x > high) x = random.normal(0, std);
      out[i] = x;
    }
    return;
  }
  if (pHigh - pLow < 1e-9) {
    // std so large that the density is flat over [low, high] (and the CDF difference underflows): the limit is uniform.
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * random.random();
    return;
  }
  for (let i = 0; i < out.length; i++) {
    const p = pLow + (pHigh - pLow) * random.random();
    const x = std * Math.SQRT2 * erfinv(2 * p - 1);
    out[i] = Math.min(high, Math.max(low, x));
  }
}
