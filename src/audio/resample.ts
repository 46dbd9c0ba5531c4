/**
 * Band-limited sinc resampling, a port of torchaudio's `functional.resample` (0.13 – 2.x):
 * rates are reduced by their gcd, each of the `new` output phases gets its own windowed-sinc
 * kernel over `2·width + orig` input taps, and the kernels slide over the zero-padded input
 * with stride `orig`. This is what the Python audio-classification pipeline runs for
 * `{ sampling_rate, raw }` input.
 *
 * Unlike torchaudio we only visit each kernel's non-zero span: the window is exactly zero
 * (to ~1e-30) outside |t| < lowpass_filter_width, so a 44.1 → 16 kHz phase touches ~34 of its
 * 475 taps. Kernel values follow torchaudio's float32 arithmetic; sums run in float64.
 */
import { InvalidArgumentError, describeValue } from "../errors.js";

export type ResamplingMethod = "sinc_interp_hann" | "sinc_interp_kaiser";

export interface ResampleOptions {
  /** Zero crossings of the sinc on each side (torchaudio default 6). */
  lowpassFilterWidth?: number;
  /** Cut-off as a fraction of the lower Nyquist rate (torchaudio default 0.99). */
  rolloff?: number;
  /** Window applied to the sinc (torchaudio default "sinc_interp_hann"). */
  method?: ResamplingMethod;
  /** Kaiser window shape (torchaudio default 14.769656459379492). */
  beta?: number;
}

/** One output phase: float32 kernel values for input offsets [start, start + taps.length). */
export interface Phase {
  start: number;
  taps: Float32Array;
}

export interface ResampleKernel {
  orig: number;
  new: number;
  width: number;
  /** Phase j's taps, built on first use: a clip shorter than `new` output samples needs only its first phases. */
  phase(j: number): Phase;
}

const kernelCache = new Map<string, ResampleKernel>();

/** 2^31 samples (8 GiB of float32): beyond this a result is a mistake, not audio to allocate. */
const MAX_RESAMPLED_LENGTH = 2 ** 31;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for beta ≲ 30). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function checkRate(name: string, rate: number): void {
  if (typeof rate !== "number" || !Number.isInteger(rate) || rate <= 0) {
    throw new InvalidArgumentError(
      `resample: ${name} must be a positive integer number of Hz, got ${describeValue(rate)}. ` +
        `Reduce fractional rates to an integer ratio first (e.g. 8 → 1 instead of 44100 → 5512.5).`,
    );
  }
}

function buildKernel(orig: number, next: number, options: Required<Omit<ResampleOptions, "beta">> & { beta: number }): ResampleKernel {
  const { lowpassFilterWidth: lpw, rolloff, method, beta } = options;
  const baseFreq = Math.min(orig, next) * rolloff;
  const width = Math.ceil((lpw * orig) / baseFreq);
  const scale = baseFreq / orig;
  const kernelLength = 2 * width + orig;
  const kaiserNorm = method === "sinc_interp_kaiser" ? besselI0(beta) : 1;
  const phases: (Phase | undefined)[] = new Array(next);
  // Every step is rounded to float32 in torchaudio's order of operations: torchaudio builds the
  // kernel in the waveform's dtype, and matching its roundings takes us from ~1e-5 to 1 ulp.
  const f = Math.fround;
  const base32 = f(baseFreq);
  const pi32 = f(Math.PI);
  const scale32 = f(scale);
  const buildPhase = (j: number): Phase => {
    let first = -1;
    let last = -1;
    const phaseShift = f(-j / next);
    // Only taps with |t| < lpw can be non-zero: m − width ∈ orig·(±lpw/baseFreq − phaseShift). Visiting
    // just that span (plus a margin for float32 rounding) keeps coprime rates such as 532351 → 16000
    // at ~2·width taps per phase instead of all `orig` of them (16000 × 532k iterations: a hang).
    const lo = Math.max(0, Math.floor(width + orig * (-lpw / baseFreq - phaseShift)) - 2);
    const hi = Math.min(kernelLength, Math.ceil(width + orig * (lpw / baseFreq - phaseShift)) + 3);
    const values = new Float64Array(Math.max(0, hi - lo));
    for (let m = lo; m < hi; m++) {
      const t32 = f(f(f(f(m - width) / orig) + phaseShift) * base32);
      // Outside the window's support torchaudio clamps t to ±lpw, where the window is ~1e-15.
      if (!(t32 > -lpw && t32 < lpw)) continue;
      let window: number;
      if (method === "sinc_interp_hann") {
        const c = f(Math.cos(f(f(f(t32 * pi32) / lpw) / 2)));
        window = f(c * c);
      } else {
        window = f(besselI0(beta * Math.sqrt(1 - (t32 / lpw) ** 2)) / kaiserNorm);
      }
      const tp = f(t32 * pi32);
      const sinc = tp === 0 ? 1 : f(f(Math.sin(tp)) / tp);
      values[m - lo] = f(f(sinc * window) * scale32);
      if (first < 0) first = m;
      last = m;
    }
    const taps = first < 0 ? new Float32Array(0) : Float32Array.from(values.subarray(first - lo, last + 1 - lo));
    return { start: Math.max(first, 0), taps };
  };
  return { orig, new: next, width, phase: (j) => (phases[j] ??= buildPhase(j)) };
}

/** The polyphase kernel `resample` uses for these rates (shared with StreamingResampler). */
export function resampleKernel(fromRate: number, toRate: number, options: ResampleOptions = {}): ResampleKernel {
  checkRate("fromRate", fromRate);
  checkRate("toRate", toRate);
  return getKernel(fromRate, toRate, options);
}

function getKernel(fromRate: number, toRate: number, options: ResampleOptions): ResampleKernel {
  const lowpassFilterWidth = options.lowpassFilterWidth ?? 6;
  const rolloff = options.rolloff ?? 0.99;
  const method = options.method ?? "sinc_interp_hann";
  const beta = options.beta ?? 14.769656459379492;
  if (!(lowpassFilterWidth > 0)) {
    throw new InvalidArgumentError(`resample: lowpassFilterWidth must be positive, got ${describeValue(lowpassFilterWidth)}`);
  }
  if (!(rolloff > 0 && rolloff <= 1)) {
    throw new InvalidArgumentError(`resample: rolloff must be in (0, 1], got ${describeValue(rolloff)}`);
  }
  if (method !== "sinc_interp_hann" && method !== "sinc_interp_kaiser") {
    throw new InvalidArgumentError(
      `resample: unknown method ${describeValue(method)}; use "sinc_interp_hann" or "sinc_interp_kaiser"`,
    );
  }
  const g = gcd(fromRate, toRate);
  const orig = fromRate / g;
  const next = toRate / g;
  const key = `${orig}:${next}:${lowpassFilterWidth}:${rolloff}:${method}:${beta}`;
  let kernel = kernelCache.get(key);
  if (!kernel) {
    kernel = buildKernel(orig, next, { lowpassFilterWidth, rolloff, method, beta });
    if (kernelCache.size > 32) kernelCache.clear();
    kernelCache.set(key, kernel);
  }
  return kernel;
}

/** Number of samples `resample` returns for `length` input samples (torchaudio's ceil rule). */
export function resampledLength(length: number, fromRate: number, toRate: number): number {
  checkRate("fromRate", fromRate);
  checkRate("toRate", toRate);
  if (fromRate === toRate) return length;
  const g = gcd(fromRate, toRate);
  return Math.ceil(((toRate / g) * length) / (fromRate / g));
}

/**
 * Resamples one channel from `fromRate` to `toRate` Hz. Same-rate input is returned as a
 * float32 copy-free view when it already is a Float32Array (torchaudio returns it unchanged).
 */
export function resample(
  input: Float32Array | Float64Array,
  fromRate: number,
  toRate: number,
  options: ResampleOptions = {},
): Float32Array {
  if (!(input instanceof Float32Array) && !(input instanceof Float64Array)) {
    throw new InvalidArgumentError(
      `resample: input must be a 1-D Float32Array or Float64Array of samples, got ${describeValue(input)}`,
    );
  }
  checkRate("fromRate", fromRate);
  checkRate("toRate", toRate);
  const x = input instanceof Float32Array ? input : Float32Array.from(input);
  if (fromRate === toRate) return x;

  const kernel = getKernel(fromRate, toRate, options);
  const { orig, width } = kernel;
  const next = kernel.new;
  const length = x.length;
  const targetLength = Math.ceil((next * length) / orig);
  if (targetLength > MAX_RESAMPLED_LENGTH) {
    throw new InvalidArgumentError(
      `resample: ${length} samples from ${fromRate} to ${toRate} Hz would be ${targetLength} samples ` +
        `(${((targetLength * 4) / 2 ** 30).toFixed(1)} GiB), more than one Float32Array holds; check the rates, or resample shorter pieces`,
    );
  }
  const out = new Float32Array(targetLength);
  if (targetLength === 0) return out;
  const phases = Array.from({ length: Math.min(next, targetLength) }, (_, j) => kernel.phase(j));

  // torchaudio pads `width` zeros in front and `width + orig` behind, then convolves with stride orig.
  const padded = new Float32Array(length + 2 * width + orig);
  padded.set(x, width);
  // Frame-major order keeps each frame's input window hot in cache across all phases.
  for (let o = 0, frameStart = 0; o < targetLength; frameStart += orig) {
    for (let j = 0; j < next && o < targetLength; j++, o++) {
      const { start, taps } = phases[j]!;
      const base = frameStart + start;
      let acc = 0;
      for (let k = 0; k < taps.length; k++) acc += taps[k]! * padded[base + k]!;
      out[o] = acc;
    }
  }
  return out;
}
