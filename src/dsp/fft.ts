/**
 * Complex discrete Fourier transform of any size.
 *
 * Sizes whose prime factors are small use a self-sorting (Stockham) mixed-radix FFT with
 * radix-8/4/2/3/5 butterflies and a generic odd-radix butterfly for other small primes; sizes
 * with a prime factor above BLUESTEIN_PRIME_LIMIT go through Bluestein's chirp-z algorithm on
 * a power-of-two FFT. Plans (twiddles, scratch buffers) are built once per size and cached.
 *
 * Convention (numpy / torch): X[k] = Σ x[j]·exp(−2πi·jk/n); the inverse is scaled by 1/n.
 */
import { DspArgumentError, requireInteger } from "./errors.js";
import { radix4FirstPacked, runStage, type Stage } from "./fft-butterflies.js";

/** Prime factors above this go through Bluestein: a generic radix-p butterfly costs O(p) per point. */
const BLUESTEIN_PRIME_LIMIT = 64;

/**
 * Factorises n into the radices of the Stockham passes: for the power-of-two part a 4 first (a
 * pass without twiddles, which also reads the real FFT's packed input), then 8s, then a 4 or
 * 2 for what is left; then 3, 5 and other primes.
 */
function radices(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  let twos = 0;
  while (rest % 2 === 0) {
    twos++;
    rest /= 2;
  }
  if (twos >= 2) {
    out.push(4);
    twos -= 2;
  }
  for (; twos >= 3; twos -= 3) out.push(8);
  if (twos === 2) out.push(4);
  if (twos === 1) out.push(2);
  for (let p = 3; p * p <= rest; p += 2) {
    while (rest % p === 0) {
      out.push(p);
      rest /= p;
    }
  }
  if (rest > 1) out.push(rest);
  return out;
}

function largestPrimeFactor(n: number): number {
  return radices(n).reduce((a, b) => Math.max(a, b === 4 || b === 8 ? 2 : b), 1);
}

/** A reusable plan for the complex DFT of one size. Not re-entrant: it owns scratch buffers. */
export class ComplexFft {
  readonly size: number;
  readonly algorithm: "mixed-radix" | "bluestein";
  private readonly stages: Stage[] = [];
  private readonly scratchRe: Float64Array;
  private readonly scratchIm: Float64Array;
  private readonly bluestein: BluesteinPlan | null = null;

  constructor(size: number) {
    requireInteger("FFT size", size, 1);
    this.size = size;
    if (size > 1 && largestPrimeFactor(size) > BLUESTEIN_PRIME_LIMIT) {
      this.algorithm = "bluestein";
      this.bluestein = new BluesteinPlan(size);
      this.scratchRe = new Float64Array(0);
      this.scratchIm = new Float64Array(0);
      return;
    }
    this.algorithm = "mixed-radix";
    this.scratchRe = new Float64Array(size);
    this.scratchIm = new Float64Array(size);
    let span = 1;
    for (const radix of radices(size)) {
      const twRe = new Float64Array(span * (radix - 1));
      const twIm = new Float64Array(span * (radix - 1));
      for (let k = 0; k < span; k++) {
        for (let r = 1; r < radix; r++) {
          const angle = (-2 * Math.PI * k * r) / (span * radix);
          twRe[k * (radix - 1) + r - 1] = Math.cos(angle);
          twIm[k * (radix - 1) + r - 1] = Math.sin(angle);
        }
      }
      const generic = radix !== 2 && radix !== 3 && radix !== 4 && radix !== 5 && radix !== 8;
      const rootRe = new Float64Array(generic ? radix : 0);
      const rootIm = new Float64Array(generic ? radix : 0);
      for (let q = 0; q < rootRe.length; q++) {
        rootRe[q] = Math.cos((-2 * Math.PI * q) / radix);
        rootIm[q] = Math.sin((-2 * Math.PI * q) / radix);
      }
      this.stages.push({ radix, span, twRe, twIm, rootRe, rootIm });
      span *= radix;
    }
  }

  /** In-place forward transform of (re, im), each of length `size`. */
  forward(re: Float64Array, im: Float64Array): void {
    this.checkBuffers(re, im);
    if (this.bluestein !== null) {
      this.bluestein.forward(re, im);
      return;
    }
    let inRe = re;
    let inIm = im;
    let outRe = this.scratchRe;
    let outIm = this.scratchIm;
    for (const stage of this.stages) {
      runStage(stage, this.size, inRe, inIm, outRe, outIm);
      const tRe = inRe;
      const tIm = inIm;
      inRe = outRe;
      inIm = outIm;
      outRe = tRe;
      outIm = tIm;
    }
    if (inRe !== re) {
      re.set(inRe);
      im.set(inIm);
    }
  }

  /**
   * Forward transform of the complex signal packed in a real array (z[j] = input[2j] +
   * i·input[2j+1], input length 2·size), written to outRe/outIm — the real FFT's inner step.
   */
  forwardPacked(input: Float64Array | Float32Array, outRe: Float64Array, outIm: Float64Array): void {
    const n = this.size;
    const first = this.stages[0];
    if (first === undefined || first.radix !== 4 || input.length !== 2 * n) {
      for (let j = 0; j < n; j++) {
        outRe[j] = input[2 * j]!;
        outIm[j] = input[2 * j + 1]!;
      }
      this.forward(outRe, outIm);
      return;
    }
    this.checkBuffers(outRe, outIm);
    // ping-pong so that the last pass lands in outRe/outIm
    const stages = this.stages.length;
    let curRe = stages % 2 === 1 ? outRe : this.scratchRe;
    let curIm = stages % 2 === 1 ? outIm : this.scratchIm;
    radix4FirstPacked(n / 4, input, curRe, curIm);
    for (let i = 1; i < stages; i++) {
      const nextRe = curRe === outRe ? this.scratchRe : outRe;
      const nextIm = curIm === outIm ? this.scratchIm : outIm;
      runStage(this.stages[i]!, n, curRe, curIm, nextRe, nextIm);
      curRe = nextRe;
      curIm = nextIm;
    }
  }

  /** In-place inverse transform, scaled by 1/size (so inverse(forward(x)) = x). */
  inverse(re: Float64Array, im: Float64Array): void {
    this.checkBuffers(re, im);
    // conj(DFT(conj(x))) = n · IDFT(x)
    for (let i = 0; i < this.size; i++) im[i] = -im[i]!;
    this.forward(re, im);
    const scale = 1 / this.size;
    for (let i = 0; i < this.size; i++) {
      re[i] = re[i]! * scale;
      im[i] = -im[i]! * scale;
    }
  }

  private checkBuffers(re: Float64Array, im: Float64Array): void {
    if (re.length !== this.size || im.length !== this.size) {
      throw new DspArgumentError(
        `FFT of size ${this.size} needs real and imaginary buffers of length ${this.size}, got ${re.length} and ${im.length}`,
      );
    }
  }
}

/** Bluestein's algorithm: a size-n DFT as a circular convolution of power-of-two length. */
class BluesteinPlan {
  private readonly n: number;
  private readonly inner: ComplexFft;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(n: number) {
    this.n = n;
    let m = 1;
    while (m < 2 * n - 1) m *= 2;
    this.inner = getComplexFft(m);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // k² mod 2n keeps the angle small, so cos/sin stay accurate for large k.
      const angle = (-Math.PI * ((k * k) % (2 * n))) / n;
      this.chirpRe[k] = Math.cos(angle);
      this.chirpIm[k] = Math.sin(angle);
    }
    this.kernelRe = new Float64Array(m);
    this.kernelIm = new Float64Array(m);
    for (let k = 0; k < n; k++) {
      this.kernelRe[k] = this.chirpRe[k]!;
      this.kernelIm[k] = -this.chirpIm[k]!;
      if (k > 0) {
        this.kernelRe[m - k] = this.chirpRe[k]!;
        this.kernelIm[m - k] = -this.chirpIm[k]!;
      }
    }
    this.inner.forward(this.kernelRe, this.kernelIm);
    this.workRe = new Float64Array(m);
    this.workIm = new Float64Array(m);
  }

  forward(re: Float64Array, im: Float64Array): void {
    const { n, chirpRe, chirpIm, workRe, workIm, kernelRe, kernelIm } = this;
    workRe.fill(0);
    workIm.fill(0);
    for (let k = 0; k < n; k++) {
      workRe[k] = re[k]! * chirpRe[k]! - im[k]! * chirpIm[k]!;
      workIm[k] = re[k]! * chirpIm[k]! + im[k]! * chirpRe[k]!;
    }
    this.inner.forward(workRe, workIm);
    for (let k = 0; k < workRe.length; k++) {
      const a = workRe[k]!;
      const b = workIm[k]!;
      workRe[k] = a * kernelRe[k]! - b * kernelIm[k]!;
      workIm[k] = a * kernelIm[k]! + b * kernelRe[k]!;
    }
    this.inner.inverse(workRe, workIm);
    for (let k = 0; k < n; k++) {
      re[k] = workRe[k]! * chirpRe[k]! - workIm[k]! * chirpIm[k]!;
      im[k] = workRe[k]! * chirpIm[k]! + workIm[k]! * chirpRe[k]!;
    }
  }
}

const plans = new Map<number, ComplexFft>();

/** The cached plan for size n (built on first use). */
export function getComplexFft(n: number): ComplexFft {
  let plan = plans.get(n);
  if (plan === undefined) {
    plan = new ComplexFft(n);
    plans.set(n, plan);
  }
  return plan;
}

export interface ComplexArray {
  re: Float64Array;
  im: Float64Array;
}

function toComplex(name: string, re: ArrayLike<number>, im: ArrayLike<number> | undefined): ComplexArray {
  if (im !== undefined && im.length !== re.length) {
    throw new DspArgumentError(`${name}: real and imaginary parts differ in length (${re.length} vs ${im.length})`);
  }
  if (re.length === 0) throw new DspArgumentError(`${name}: input is empty; pass at least one sample`);
  const outRe = Float64Array.from(re);
  const outIm = im === undefined ? new Float64Array(re.length) : Float64Array.from(im);
  return { re: outRe, im: outIm };
}

/** Forward complex DFT of (re, im) — im defaults to zeros. Returns new arrays. */
export function fft(re: ArrayLike<number>, im?: ArrayLike<number>): ComplexArray {
  const x = toComplex("fft", re, im);
  getComplexFft(x.re.length).forward(x.re, x.im);
  return x;
}

/** Inverse complex DFT scaled by 1/n (numpy.fft.ifft). Returns new arrays. */
export function ifft(re: ArrayLike<number>, im?: ArrayLike<number>): ComplexArray {
  const x = toComplex("ifft", re, im);
  getComplexFft(x.re.length).inverse(x.re, x.im);
  return x;
}
