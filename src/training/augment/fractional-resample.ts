/**
 * Band-limited resampling by an arbitrary real ratio, for PitchShift: after a time stretch by
 * 2^(−n/12) the audio must be resampled from sr·2^(n/12) back to sr, a ratio no pair of small
 * integers expresses (the audio layer's torchaudio port needs integer rates).
 *
 * Windowed-sinc interpolation in the style of resampy: a Kaiser-windowed sinc with 32 zero
 * crossings on each side is tabulated at 512 points per crossing and read with linear
 * interpolation; when downsampling, the kernel is widened by the ratio so its cut-off
 * (rolloff 0.945 of the lower Nyquist) suppresses aliasing. Output sample j is the interpolated
 * input at position j·step.
 */

const ZERO_CROSSINGS = 32;
const PRECISION = 512;
const ROLLOFF = 0.945;
const BETA = 12;

/** Modified Bessel function of the first kind, order 0 (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

let table: Float64Array | null = null;

/** sinc(v)·kaiser(v / ZERO_CROSSINGS) for v = i / PRECISION, i = 0 … ZERO_CROSSINGS·PRECISION (+1 guard). */
function kernelTable(): Float64Array {
  if (table !== null) return table;
  const size = ZERO_CROSSINGS * PRECISION + 2;
  const out = new Float64Array(size);
  const norm = besselI0(BETA);
  for (let i = 0; i < size; i++) {
    const v = i / PRECISION;
    const u = v / ZERO_CROSSINGS;
    const window = u >= 1 ? 0 : besselI0(BETA * Math.sqrt(1 - u * u)) / norm;
    const sinc = v === 0 ? 1 : Math.sin(Math.PI * v) / (Math.PI * v);
    out[i] = sinc * window;
  }
  table = out;
  return out;
}

/**
 * Reads `x` at positions 0, step, 2·step, … (outLength of them), band-limited to the lower of the
 * two Nyquist rates: step > 1 shortens (downsamples), step < 1 lengthens. Positions past the end
 * see zeros.
 */
export function resampleByStep(x: ArrayLike<number>, step: number, outLength: number): Float64Array {
  const h = kernelTable();
  // cut-off as a fraction of the input's Nyquist rate
  const cutoff = ROLLOFF * Math.min(1, 1 / step);
  const radius = ZERO_CROSSINGS / cutoff; // kernel half-width in input samples
  const out = new Float64Array(outLength);
  const n = x.length;
  for (let j = 0; j < outLength; j++) {
    const t = j * step;
    const first = Math.max(0, Math.ceil(t - radius));
    const last = Math.min(n - 1, Math.floor(t + radius));
    let sum = 0;
    for (let i = first; i <= last; i++) {
      const position = Math.abs(t - i) * cutoff * PRECISION;
      const k = Math.floor(position);
      if (k >= ZERO_CROSSINGS * PRECISION) continue;
      const frac = position - k;
      sum += x[i]! * (h[k]! + frac * (h[k + 1]! - h[k]!));
    }
    out[j] = sum * cutoff;
  }
  return out;
}
