/**
 * torch.fft.rfft of a float32 signal as torch computes it on CPU without MKL, followed by
 * `.abs().pow(2.)` — torchaudio's Kaldi power spectrum — with torch's float32 arithmetic.
 *
 * Builds without MKL (Debian's python3-torch, which made our fixtures, for one) run pocketfft's
 * real FFT (`rfftp`, the FFTPACK algorithm; see pocketfft-real-plan.ts for its passes) in
 * float32, compiled without FMA contraction for the x86-64 baseline. The complex abs is ATen's
 * AVX2 kernel, sqrt(re² + im²) in float32, and pow(2.) a float32 square. Our float64 FFT is more
 * accurate, but in a near-silent mel band the log turns torch's float32 rounding into ~1e-3;
 * matching torchaudio there means making the same rounding errors.
 *
 * The transforms run in a WebAssembly SIMD kernel, four frames at a time
 * (torch-float32-rfft-wasm.ts), which is faster than our float64 FFT; the JavaScript reference
 * below (every operation rounded with Math.fround) defines the arithmetic and stands in where
 * WebAssembly is unavailable. Only power-of-two lengths are supported — all torchaudio's fbank
 * uses with its default round_to_power_of_two.
 */
import { DspArgumentError } from "./errors.js";
import { pocketfftRealPlan, type PocketfftPass } from "./pocketfft-real-plan.js";
import { compileWasmRealFft, WASM_LANES, type WasmRealFftKernel } from "./torch-float32-rfft-wasm.js";

const f32 = Math.fround;

/** pocketfft's constant 1/√2, rounded to float. */
const HALF_SQRT2 = f32(Math.SQRT1_2);

/** A plan for one length. It owns its buffers and kernel memory, so calls must not overlap. */
export class TorchFloat32RealFft {
  readonly size: number;
  /** Frames one powerSpectra call takes. */
  static readonly BATCH = WASM_LANES;
  /** Whether the WebAssembly kernel runs the transforms (else the JavaScript reference does). */
  readonly accelerated: boolean;
  private readonly passes: PocketfftPass[];
  private readonly kernel: WasmRealFftKernel | null;
  // float32 buffers for the reference: a store rounds like the float32 operation that made the value
  private readonly a: Float32Array;
  private readonly b: Float32Array;

  /** `accelerate: false` forces the JavaScript reference (same results, several times slower). */
  constructor(size: number, accelerate = true) {
    this.size = size;
    this.passes = pocketfftRealPlan(size);
    this.kernel = accelerate ? compileWasmRealFft(size, this.passes) : null;
    this.accelerated = this.kernel !== null;
    this.a = new Float32Array(size);
    this.b = new Float32Array(size);
  }

  /** torch's rfft(x).abs().pow(2.) in float32: size/2 + 1 values into `out`. */
  powerSpectrum(input: ArrayLike<number>, out: Float64Array | Float32Array): void {
    this.powerSpectra([input], [out]);
  }

  /** powerSpectrum for up to BATCH frames at once (one kernel call); inputs are rounded to float32. */
  powerSpectra(inputs: readonly ArrayLike<number>[], outputs: readonly (Float64Array | Float32Array)[]): void {
    const n = this.size;
    const bins = (n >> 1) + 1;
    const count = inputs.length;
    if (count > TorchFloat32RealFft.BATCH || outputs.length !== count) {
      throw new DspArgumentError(`powerSpectra takes 1 to ${TorchFloat32RealFft.BATCH} frames and as many outputs, got ${count} and ${outputs.length}`);
    }
    for (let f = 0; f < count; f++) {
      if (inputs[f]!.length !== n) throw new DspArgumentError(`float32 rfft of size ${n} got an input of length ${inputs[f]!.length}`);
      if (outputs[f]!.length < bins) throw new DspArgumentError(`float32 power spectrum of size ${n} needs ${bins} output values`);
    }
    const kernel = this.kernel;
    if (kernel === null) {
      for (let f = 0; f < count; f++) this.referencePower(inputs[f]!, outputs[f]!);
      return;
    }
    const { memory, inputOffset, inputStride, outputOffset, outputStride } = kernel;
    for (let f = 0; f < count; f++) copyInto(memory, inputOffset + f * inputStride, inputs[f]!);
    // unused lanes get zeros: their results are computed and ignored
    if (count < WASM_LANES) memory.fill(0, inputOffset + count * inputStride, inputOffset + WASM_LANES * inputStride);
    kernel.run();
    for (let f = 0; f < count; f++) {
      const from = outputOffset + f * outputStride;
      outputs[f]!.set(memory.subarray(from, from + bins));
    }
  }

  /** The JavaScript reference: the same passes, every operation rounded to float32. */
  private referencePower(input: ArrayLike<number>, out: Float64Array | Float32Array): void {
    const n = this.size;
    const half = n >> 1;
    const { a, b, passes } = this;
    for (let j = 0; j < n; j++) a[j] = input[j]!;
    for (let p = 0; p < passes.length; p++) {
      const { radix, ido, l1, twiddles } = passes[p]!;
      const from = p % 2 === 0 ? a : b;
      const to = p % 2 === 0 ? b : a;
      if (radix === 4) radf4(ido, l1, from, to, twiddles);
      else radf2(ido, l1, from, to, twiddles);
    }
    const spectrum = passes.length % 2 === 0 ? a : b;
    out[0] = squaredMagnitude(spectrum[0]!, 0);
    for (let k = 1; k < half; k++) out[k] = squaredMagnitude(spectrum[2 * k - 1]!, spectrum[2 * k]!);
    out[half] = squaredMagnitude(spectrum[n - 1]!, 0);
  }
}

/** memory[at …] = input, converting to float32 (natively for typed arrays). */
function copyInto(memory: Float32Array, at: number, input: ArrayLike<number>): void {
  if (ArrayBuffer.isView(input)) memory.set(input as Float64Array | Float32Array, at);
  else for (let j = 0; j < input.length; j++) memory[at + j] = input[j]!;
}

const plans = new Map<number, TorchFloat32RealFft>();

/** The cached plan for size n (built, and its kernel compiled, on first use). */
export function getTorchFloat32RealFft(n: number): TorchFloat32RealFft {
  let plan = plans.get(n);
  if (plan === undefined) {
    plan = new TorchFloat32RealFft(n);
    plans.set(n, plan);
  }
  return plan;
}

/** |z|² as ATen's vectorised complex abs then pow(2.): sqrt(re² + im²) squared, all float32. */
function squaredMagnitude(re: number, im: number): number {
  const magnitude = f32(Math.sqrt(f32(f32(re * re) + f32(im * im))));
  return f32(magnitude * magnitude);
}

/**
 * pocketfft radf2: cc is [2][l1][ido] (CC(a,k,c) = cc[a + ido·(k + l1·c)]), ch is [l1][2][ido]
 * (CH(a,c,k) = ch[a + ido·(c + 2k)]). Stores into ch round to float32.
 */
function radf2(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array): void {
  const cc1 = ido * l1;
  for (let k = 0; k < l1; k++) {
    const x0 = cc[ido * k]!;
    const x1 = cc[ido * k + cc1]!;
    ch[2 * ido * k] = x0 + x1;
    ch[ido - 1 + ido * (2 * k + 1)] = x0 - x1;
  }
  if ((ido & 1) === 0) {
    for (let k = 0; k < l1; k++) {
      ch[ido * (2 * k + 1)] = -cc[ido - 1 + ido * k + cc1]!;
      ch[ido - 1 + 2 * ido * k] = cc[ido - 1 + ido * k]!;
    }
  }
  if (ido <= 2) return;
  for (let k = 0; k < l1; k++) {
    const c0 = ido * k;
    const c1 = c0 + cc1;
    const h0 = 2 * ido * k;
    const h1 = h0 + ido;
    for (let i = 2; i < ido; i += 2) {
      const ic = ido - i;
      const wr = wa[i - 2]!;
      const wi = wa[i - 1]!;
      const xr = cc[c1 + i - 1]!;
      const xi = cc[c1 + i]!;
      // (tr2 + i·ti2) = conj(w)·x
      const tr2 = f32(f32(wr * xr) + f32(wi * xi));
      const ti2 = f32(f32(wr * xi) - f32(wi * xr));
      const yr = cc[c0 + i - 1]!;
      const yi = cc[c0 + i]!;
      ch[h0 + i - 1] = yr + tr2;
      ch[h1 + ic - 1] = yr - tr2;
      ch[h0 + i] = ti2 + yi;
      ch[h1 + ic] = ti2 - yi;
    }
  }
}

/**
 * pocketfft radf4: cc is [4][l1][ido] (CC(a,k,c) = cc[a + ido·(k + l1·c)]), ch is [l1][4][ido]
 * (CH(a,c,k) = ch[a + ido·(c + 4k)]). Stores into ch round to float32.
 */
function radf4(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array): void {
  const s = ido * l1;
  for (let k = 0; k < l1; k++) {
    const c = ido * k;
    const x0 = cc[c]!;
    const x1 = cc[c + s]!;
    const x2 = cc[c + 2 * s]!;
    const x3 = cc[c + 3 * s]!;
    const h = 4 * ido * k;
    const tr1 = f32(x3 + x1);
    ch[h + 2 * ido] = x3 - x1;
    const tr2 = f32(x0 + x2);
    ch[h + 2 * ido - 1] = x0 - x2;
    ch[h] = tr2 + tr1;
    ch[h + 4 * ido - 1] = tr2 - tr1;
  }
  if ((ido & 1) === 0) {
    for (let k = 0; k < l1; k++) {
      const c = ido - 1 + ido * k;
      const x0 = cc[c]!;
      const x1 = cc[c + s]!;
      const x2 = cc[c + 2 * s]!;
      const x3 = cc[c + 3 * s]!;
      const h = 4 * ido * k;
      const ti1 = f32(-HALF_SQRT2 * f32(x1 + x3));
      const tr1 = f32(HALF_SQRT2 * f32(x1 - x3));
      ch[h + ido - 1] = x0 + tr1;
      ch[h + 3 * ido - 1] = x0 - tr1;
      ch[h + 3 * ido] = ti1 + x2;
      ch[h + ido] = ti1 - x2;
    }
  }
  if (ido <= 2) return;
  const w2 = ido - 1;
  const w3 = 2 * (ido - 1);
  for (let k = 0; k < l1; k++) {
    const c0 = ido * k;
    const c1 = c0 + s;
    const c2 = c1 + s;
    const c3 = c2 + s;
    const h0 = 4 * ido * k;
    const h1 = h0 + ido;
    const h2 = h1 + ido;
    const h3 = h2 + ido;
    for (let i = 2; i < ido; i += 2) {
      const ic = ido - i;
      // (cr + i·ci) = conj(w)·x for the three rotated inputs
      let wr = wa[i - 2]!;
      let wi = wa[i - 1]!;
      let xr = cc[c1 + i - 1]!;
      let xi = cc[c1 + i]!;
      const cr2 = f32(f32(wr * xr) + f32(wi * xi));
      const ci2 = f32(f32(wr * xi) - f32(wi * xr));
      wr = wa[w2 + i - 2]!;
      wi = wa[w2 + i - 1]!;
      xr = cc[c2 + i - 1]!;
      xi = cc[c2 + i]!;
      const cr3 = f32(f32(wr * xr) + f32(wi * xi));
      const ci3 = f32(f32(wr * xi) - f32(wi * xr));
      wr = wa[w3 + i - 2]!;
      wi = wa[w3 + i - 1]!;
      xr = cc[c3 + i - 1]!;
      xi = cc[c3 + i]!;
      const cr4 = f32(f32(wr * xr) + f32(wi * xi));
      const ci4 = f32(f32(wr * xi) - f32(wi * xr));
      const tr1 = f32(cr4 + cr2);
      const tr4 = f32(cr4 - cr2);
      const ti1 = f32(ci2 + ci4);
      const ti4 = f32(ci2 - ci4);
      const yr = cc[c0 + i - 1]!;
      const yi = cc[c0 + i]!;
      const tr2 = f32(yr + cr3);
      const tr3 = f32(yr - cr3);
      const ti2 = f32(yi + ci3);
      const ti3 = f32(yi - ci3);
      ch[h0 + i - 1] = tr2 + tr1;
      ch[h3 + ic - 1] = tr2 - tr1;
      ch[h0 + i] = ti1 + ti2;
      ch[h3 + ic] = ti1 - ti2;
      ch[h2 + i - 1] = tr3 + ti4;
      ch[h1 + ic - 1] = tr3 - ti4;
      ch[h2 + i] = tr4 + ti3;
      ch[h1 + ic] = tr4 - ti3;
    }
  }
}
