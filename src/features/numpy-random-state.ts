/**
 * numpy's legacy RandomState (MT19937), for the random choices ClapFeatureExtractor makes with
 * np.random: with the same seed, `randint` and `choice` return the numbers numpy returns, so a
 * CLAP random crop can be reproduced exactly (numpy freezes the legacy stream across versions).
 *
 * Implemented: seeding with an integer (np.random.seed(n) — Knuth's init_genrand), 32-bit
 * outputs with tempering, randint's masked rejection sampling (legacy RandomState uses masking,
 * not Lemire's method), choice over a population (= randint(0, n)), random_sample (53-bit
 * doubles) and the legacy polar-method standard normal.
 */
import { FeatureExtractorInputError } from "./errors.js";

/** The randomness feature extractors draw on; NumpyRandomState is the numpy-compatible one. */
export interface RandomSource {
  /** Uniform integer in [low, high). */
  randint(low: number, high: number): number;
  /** Standard normal deviate. */
  standardNormal(): number;
}

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

export class NumpyRandomState implements RandomSource {
  private readonly key = new Uint32Array(N);
  private pos = N;
  private hasGauss = false;
  private gauss = 0;

  /** Seeds like np.random.RandomState(seed); without a seed, from the platform's entropy. */
  constructor(seed?: number) {
    this.seed(seed ?? NumpyRandomState.entropySeed());
  }

  private static entropySeed(): number {
    const buffer = new Uint32Array(1);
    globalThis.crypto.getRandomValues(buffer);
    return buffer[0]!;
  }

  /** np.random.seed(seed) for an integer seed in [0, 2³² − 1]. */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new FeatureExtractorInputError(`random seed must be an integer between 0 and 2**32 - 1, got ${String(seed)}`);
    }
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.key[i] = s;
      // s = 1812433253 · (s ^ (s >> 30)) + i + 1, mod 2³²
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + i + 1) >>> 0;
    }
    this.pos = N;
    this.hasGauss = false;
    this.gauss = 0;
  }

  private generate(): void {
    const key = this.key;
    let i = 0;
    for (; i < N - M; i++) {
      const y = (key[i]! & UPPER_MASK) | (key[i + 1]! & LOWER_MASK);
      key[i] = key[i + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < N - 1; i++) {
      const y = (key[i]! & UPPER_MASK) | (key[i + 1]! & LOWER_MASK);
      key[i] = key[i + M - N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (key[N - 1]! & UPPER_MASK) | (key[0]! & LOWER_MASK);
    key[N - 1] = key[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /** Next tempered 32-bit output (unsigned). */
  nextUint32(): number {
    if (this.pos === N) this.generate();
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** np.random.random_sample(): a double in [0, 1) from 53 random bits. */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /**
   * np.random.randint(low, high) for one value: uniform in [low, high), by masked rejection
   * sampling. A range of one value draws nothing, as in numpy.
   */
  randint(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
      throw new FeatureExtractorInputError(`randint bounds must be safe integers, got ${String(low)} and ${String(high)}`);
    }
    if (low >= high) throw new FeatureExtractorInputError(`randint needs low < high, got low=${low}, high=${high}`);
    const range = high - 1 - low;
    if (range === 0) return low;
    if (range <= 0xffffffff) {
      if (range === 0xffffffff) return low + this.nextUint32();
      const mask = maskFor(range);
      for (;;) {
        const value = (this.nextUint32() & mask) >>> 0;
        if (value <= range) return low + value;
      }
    }
    // 64-bit path: next_uint64 = (first output << 32) | second output
    const bigRange = BigInt(range);
    let mask = bigRange;
    for (let shift = 1n; shift <= 32n; shift *= 2n) mask |= mask >> shift;
    for (;;) {
      const hi = BigInt(this.nextUint32());
      const lo = BigInt(this.nextUint32());
      const value = ((hi << 32n) | lo) & mask;
      if (value <= bigRange) return low + Number(value);
    }
  }

  /** np.random.choice(population) — one element, uniformly, with numpy's draw. */
  choice<T>(population: readonly T[]): T {
    if (population.length === 0) throw new FeatureExtractorInputError("choice needs a non-empty population");
    return population[this.randint(0, population.length)]!;
  }

  /** np.random.standard_normal() (legacy polar Box–Muller; values come in cached pairs). */
  standardNormal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const value = this.gauss;
      this.gauss = 0;
      return value;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.randomSample() - 1.0;
      x2 = 2.0 * this.randomSample() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }
}

/** Smallest 2^k − 1 ≥ value (value < 2³²). */
function maskFor(value: number): number {
  let mask = value >>> 0;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}
