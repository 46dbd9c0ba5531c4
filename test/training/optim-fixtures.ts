/** Deterministic random data for the optimizer tests (xorshift32 + Box–Muller), and ulp helpers. */

export class TestRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x / 4294967296;
  }

  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  float32Array(n: number, scale = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal() * scale;
    return out;
  }
}

/** The spacing of float32 values near |x| (an upper bound: 2^-23 · |x|, at least the smallest normal spacing). */
export function f32Spacing(x: number): number {
  return Math.max(Math.abs(x) * 2 ** -23, 2 ** -149);
}

/** Asserts |actual − expected| ≤ tolerance element-wise, reporting the worst element. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: (expected: number, index: number) => number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    const tol = tolerance(expected[i], i);
    if (!(diff <= tol)) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (|diff| ${diff} > tolerance ${tol})`);
    }
  }
}
