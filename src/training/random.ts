/**
 * The seedable random number generator everything in training draws from: xoshiro128**
 * (Blackman & Vigna) — 128 bits of state held as four uint32 words, fast in 32-bit integer
 * arithmetic, and with a state small enough to write into a checkpoint. `getState()` /
 * `setState()` (or `Rng.fromState`) let a resumed run continue the exact same sequence, the
 * cached spare normal deviate included.
 *
 * It also implements the feature layer's `RandomSource` (randint, standardNormal), so the same
 * generator can drive CLAP's random crops or Whisper's dither.
 */
import { InvalidArgumentError, describeValue } from "../errors.js";
import type { RandomSource } from "../features/numpy-random-state.js";

/** A JSON-serialisable snapshot of an Rng. */
export interface RngState {
  readonly algorithm: "xoshiro128**";
  /** The four state words, each an integer in [0, 2³²). */
  readonly words: readonly [number, number, number, number];
  /** The second normal deviate of the last Box–Muller pair, when one is waiting. */
  readonly spareNormal: number | null;
}

const TWO_POW_32 = 4294967296;

/** One step of splitmix32 (a Weyl sequence through a bijective mixer), used only for seeding. */
function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Expands any list of uint32 words into a non-zero 128-bit state. */
function stateFromWords(words: readonly number[]): [number, number, number, number] {
  let h = 0x243f6a88;
  for (const w of words) h = mix32((h ^ w) + 0x9e3779b9) ^ mix32(w + h);
  const out: [number, number, number, number] = [0, 0, 0, 0];
  let weyl = h;
  for (let i = 0; i < 4; i++) {
    weyl = (weyl + 0x9e3779b9) >>> 0;
    out[i] = mix32(weyl ^ Math.imul(i + 1, 0x6c078965));
  }
  // xoshiro's only invalid state is all zeros
  if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 1;
  return out;
}

function seedWords(seed: number, label: string): [number, number] {
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) {
    throw new InvalidArgumentError(`${label} must be a non-negative whole number (at most 2^53 − 1), got ${describeValue(seed)}`);
  }
  return [seed >>> 0, Math.floor(seed / TWO_POW_32) >>> 0];
}

export class Rng implements RandomSource {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /** A generator seeded with a non-negative integer; equal seeds give equal sequences. */
  constructor(seed: number) {
    this.setWords(stateFromWords(seedWords(seed, "Rng seed")));
  }

  /**
   * An independent stream named by a seed and a path of non-negative integers (e.g. epoch and
   * example index): the same inputs always give the same stream, without consuming anything
   * from another generator — so the order in which streams are created does not matter.
   * With an empty path it is `new Rng(seed)`.
   */
  static derive(seed: number, ...path: number[]): Rng {
    const words: number[] = [...seedWords(seed, "Rng.derive seed")];
    for (const [i, p] of path.entries()) words.push(...seedWords(p, `Rng.derive path[${i}]`));
    const rng = new Rng(0);
    rng.setWords(stateFromWords(words));
    return rng;
  }

  /** A generator continuing from a state returned by getState(). */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  getState(): RngState {
    return { algorithm: "xoshiro128**", words: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spare };
  }

  setState(state: RngState): void {
    const bad = (why: string): never => {
      throw new InvalidArgumentError(`Rng.setState: ${why}; pass an object returned by Rng.getState() (e.g. read back from a checkpoint)`);
    };
    if (state === null || typeof state !== "object") bad(`expected a state object, got ${describeValue(state)}`);
    if (state.algorithm !== "xoshiro128**") bad(`algorithm must be "xoshiro128**", got ${describeValue(state.algorithm)}`);
    const words = state.words;
    if (!Array.isArray(words) || words.length !== 4) bad(`words must be an array of 4 integers, got ${describeValue(words)}`);
    for (const w of words) if (!Number.isInteger(w) || w < 0 || w >= TWO_POW_32) bad(`words must be integers in [0, 2^32), got ${describeValue(w)}`);
    if ((words[0] | words[1] | words[2] | words[3]) === 0) bad("words are all zero, which xoshiro128** cannot leave");
    const spare = state.spareNormal;
    if (spare !== null && (typeof spare !== "number" || !Number.isFinite(spare))) bad(`spareNormal must be a finite number or null, got ${describeValue(spare)}`);
    this.setWords([words[0], words[1], words[2], words[3]]);
    this.spare = spare;
  }

  /** A copy that continues the same sequence independently of this one. */
  clone(): Rng {
    return Rng.fromState(this.getState());
  }

  /** The next 32 random bits as an integer in [0, 2³²). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = (s1 ^ n2) >>> 0;
    this.s0 = (s0 ^ n3) >>> 0;
    this.s2 = (n2 ^ t) >>> 0;
    this.s3 = ((n3 << 11) | (n3 >>> 21)) >>> 0;
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits (like Python's random.random()). */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double between a and b: a + (b − a)·random(), as Python's random.uniform. */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  /** Uniform integer in [min, max], both ends included (Python's random.randint); unbiased. */
  integer(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new InvalidArgumentError(`Rng.integer needs whole numbers min ≤ max, got ${describeValue(min)} and ${describeValue(max)}`);
    }
    const span = max - min + 1;
    if (span > TWO_POW_32) {
      throw new InvalidArgumentError(`Rng.integer draws from at most 2^32 values; [${min}, ${max}] holds ${span}`);
    }
    if (span === TWO_POW_32) return min + this.nextUint32();
    // rejection sampling: accept only the largest multiple of span below 2^32
    const limit = TWO_POW_32 - (TWO_POW_32 % span);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return min + (r % span);
  }

  /** RandomSource: uniform integer in [low, high), high excluded (numpy's randint). */
  randint(low: number, high: number): number {
    return this.integer(low, high - 1);
  }

  /** Standard normal deviate (Marsaglia's polar method; the pair's second value is kept). */
  standardNormal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Normal deviate with the given mean and standard deviation. */
  normal(mean = 0, std = 1): number {
    return mean + std * this.standardNormal();
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(0, i);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }

  /** A uniformly random permutation of 0 … n − 1. */
  permutation(n: number): number[] {
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`Rng.permutation needs a length ≥ 0, got ${describeValue(n)}`);
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** One element of a non-empty array, uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new InvalidArgumentError("Rng.choice needs a non-empty array");
    return items[this.integer(0, items.length - 1)]!;
  }

  private setWords(words: readonly [number, number, number, number]): void {
    [this.s0, this.s1, this.s2, this.s3] = words;
    this.spare = null;
  }
}
