/**
 * DFT of real input (numpy.fft.rfft / torch.fft.rfft): the n/2 + 1 non-negative frequencies.
 *
 * Even sizes pack the input into a complex signal of half the length (z[j] = x[2j] + i·x[2j+1]),
 * transform that, and untangle the even and odd halves with one twiddle pass — half the work of
 * a complex FFT of the full size. Odd sizes fall back to the full complex transform.
 */
import { DspArgumentError, requireInteger } from "./errors.js";
import { ComplexFft, getComplexFft } from "./fft.js";

export type RealInput = Float64Array | Float32Array;

/** A reusable plan for the real DFT of one size. Not re-entrant: it owns scratch buffers. */
export class RealFft {
  readonly size: number;
  /** Number of output bins, floor(size / 2) + 1. */
  readonly numBins: number;
  private readonly inner: ComplexFft;
  private readonly zRe: Float64Array;
  private readonly zIm: Float64Array;
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;

  constructor(size: number) {
    requireInteger("real FFT size", size, 1);
    this.size = size;
    this.numBins = Math.floor(size / 2) + 1;
    const packed = size % 2 === 0;
    const innerSize = packed ? size / 2 : size;
    this.inner = getComplexFft(innerSize);
    this.zRe = new Float64Array(innerSize);
    this.zIm = new Float64Array(innerSize);
    const half = packed ? size / 2 : 0;
    this.twRe = new Float64Array(half + 1);
    this.twIm = new Float64Array(half + 1);
    for (let k = 0; k <= half && packed; k++) {
      const angle = (-2 * Math.PI * k) / size;
      this.twRe[k] = Math.cos(angle);
      this.twIm[k] = Math.sin(angle);
    }
  }

  /** Writes bins 0..numBins−1 of the DFT of `input` (length `size`) into outRe/outIm. */
  forward(input: RealInput, outRe: Float64Array, outIm: Float64Array): void {
    this.check(input, outRe.length, outIm.length);
    if (this.size % 2 === 1) {
      this.zRe.set(input);
      this.zIm.fill(0);
      this.inner.forward(this.zRe, this.zIm);
      for (let k = 0; k < this.numBins; k++) {
        outRe[k] = this.zRe[k]!;
        outIm[k] = this.zIm[k]!;
      }
      return;
    }
    this.transformPacked(input);
    const { zRe, zIm, twRe, twIm } = this;
    const half = this.size / 2;
    outRe[0] = zRe[0]! + zIm[0]!;
    outIm[0] = 0;
    outRe[half] = zRe[0]! - zIm[0]!;
    outIm[half] = 0;
    // bins k and h − k share their inputs: X[k] = E + w^k·O and X[h − k] = conj(E − w^k·O)
    for (let k = 1; 2 * k <= half; k++) {
      const a = zRe[k]!;
      const b = zIm[k]!;
      const c = zRe[half - k]!;
      const d = zIm[half - k]!;
      // E = (Z[k] + conj Z[h−k]) / 2, O = (Z[k] − conj Z[h−k]) / 2i
      const er = 0.5 * (a + c);
      const ei = 0.5 * (b - d);
      const or = 0.5 * (b + d);
      const oi = -0.5 * (a - c);
      const wr = twRe[k]!;
      const wi = twIm[k]!;
      const pr = wr * or - wi * oi;
      const pi = wr * oi + wi * or;
      outRe[k] = er + pr;
      outIm[k] = ei + pi;
      outRe[half - k] = er - pr;
      outIm[half - k] = pi - ei;
    }
  }

  /** Writes |X[k]|² for k < numBins into `out` — the power spectrum without a complex output. */
  powerSpectrum(input: RealInput, out: Float64Array): void {
    this.check(input, out.length, out.length);
    if (this.size % 2 === 1) {
      this.zRe.set(input);
      this.zIm.fill(0);
      this.inner.forward(this.zRe, this.zIm);
      for (let k = 0; k < this.numBins; k++) out[k] = this.zRe[k]! * this.zRe[k]! + this.zIm[k]! * this.zIm[k]!;
      return;
    }
    this.transformPacked(input);
    const { zRe, zIm, twRe, twIm } = this;
    const half = this.size / 2;
    const dc = zRe[0]! + zIm[0]!;
    const nyquist = zRe[0]! - zIm[0]!;
    out[0] = dc * dc;
    out[half] = nyquist * nyquist;
    // |X[k]|² = |E + w^k·O|² and |X[h − k]|² = |E − w^k·O|² from the same four inputs
    for (let k = 1; 2 * k <= half; k++) {
      const a = zRe[k]!;
      const b = zIm[k]!;
      const c = zRe[half - k]!;
      const d = zIm[half - k]!;
      const er = 0.5 * (a + c);
      const ei = 0.5 * (b - d);
      const or = 0.5 * (b + d);
      const oi = -0.5 * (a - c);
      const wr = twRe[k]!;
      const wi = twIm[k]!;
      const pr = wr * or - wi * oi;
      const pi = wr * oi + wi * or;
      const sr = er + pr;
      const si = ei + pi;
      const dr = er - pr;
      const di = ei - pi;
      out[k] = sr * sr + si * si;
      out[half - k] = dr * dr + di * di;
    }
  }

  private transformPacked(input: RealInput): void {
    this.inner.forwardPacked(input, this.zRe, this.zIm);
  }

  private check(input: RealInput, reLength: number, imLength: number): void {
    if (input.length !== this.size) {
      throw new DspArgumentError(`real FFT of size ${this.size} got an input of length ${input.length}`);
    }
    if (reLength < this.numBins || imLength < this.numBins) {
      throw new DspArgumentError(`real FFT of size ${this.size} needs output buffers of at least ${this.numBins} bins`);
    }
  }
}

const plans = new Map<number, RealFft>();

/** The cached real-input plan for size n (built on first use). */
export function getRealFft(n: number): RealFft {
  let plan = plans.get(n);
  if (plan === undefined) {
    plan = new RealFft(n);
    plans.set(n, plan);
  }
  return plan;
}

/**
 * DFT of real input, non-negative frequencies only (numpy.fft.rfft). With `n`, the input is
 * zero-padded or truncated to n samples first, as numpy does.
 */
export function rfft(input: ArrayLike<number>, n: number = input.length): { re: Float64Array; im: Float64Array } {
  requireInteger("rfft length", n, 1);
  const buffer = new Float64Array(n);
  for (let i = 0; i < Math.min(n, input.length); i++) buffer[i] = input[i]!;
  const plan = getRealFft(n);
  const re = new Float64Array(plan.numBins);
  const im = new Float64Array(plan.numBins);
  plan.forward(buffer, re, im);
  return { re, im };
}
