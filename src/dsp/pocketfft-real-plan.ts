/**
 * The pass structure of pocketfft's real forward FFT (`rfftp`, FFTPACK's algorithm) for a
 * power-of-two length, as torch's CPU FFT runs it when built without MKL: the factor list is
 * every factor of 4, then a leftover 2 swapped to the front (rfftp::factorize); the forward
 * transform runs the factors from last to first with ido = n / l1 and l1 shrinking from n
 * (rfftp::forward); factor k, with l1 the product of the factors before it, uses the twiddles
 * e^{2πi·j·l1·i/n}, computed in double and rounded to float (rfftp::comp_twiddle).
 */
import { DspArgumentError } from "./errors.js";

export interface PocketfftPass {
  radix: 2 | 4;
  /** Inner length of the pass's butterflies. */
  ido: number;
  /** Number of butterfly groups. */
  l1: number;
  /** (radix − 1) rows of (ido − 1) values: cos, sin pairs for i = 1 … (ido − 1)/2. */
  twiddles: Float32Array;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

/** The passes in execution order. */
export function pocketfftRealPlan(size: number): PocketfftPass[] {
  if (!isPowerOfTwo(size) || size > 2 ** 24) {
    throw new DspArgumentError(`pocketfft's real FFT is emulated for power-of-two lengths from 2 to 2^24, got ${size}`);
  }
  const factors: (2 | 4)[] = [];
  let rest = size;
  while (rest % 4 === 0) {
    factors.push(4);
    rest /= 4;
  }
  if (rest === 2) {
    factors.push(2);
    const last = factors.length - 1;
    [factors[0], factors[last]] = [factors[last]!, factors[0]!];
  }
  const twiddles: Float32Array[] = [];
  let l1 = 1;
  for (const radix of factors) {
    const ido = size / (l1 * radix);
    const table = new Float32Array((radix - 1) * (ido - 1));
    for (let j = 1; j < radix; j++) {
      for (let i = 1; i <= (ido - 1) >> 1; i++) {
        const angle = (2 * Math.PI * (j * l1 * i)) / size;
        table[(j - 1) * (ido - 1) + 2 * i - 2] = Math.cos(angle);
        table[(j - 1) * (ido - 1) + 2 * i - 1] = Math.sin(angle);
      }
    }
    twiddles.push(table);
    l1 *= radix;
  }
  const passes: PocketfftPass[] = [];
  let remaining = size;
  for (let k = factors.length - 1; k >= 0; k--) {
    const ido = size / remaining;
    remaining /= factors[k]!;
    passes.push({ radix: factors[k]!, ido, l1: remaining, twiddles: twiddles[k]! });
  }
  return passes;
}
