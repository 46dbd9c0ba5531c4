// Seeded random data for the op tests (mulberry32): the same numbers on every run.
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Float32 values uniform in [-scale, scale). */
export function randomFloats(n: number, seed: number, scale = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 2 - 1) * scale;
  return out;
}

/** Integers uniform in [low, high). */
export function randomInts(n: number, seed: number, low: number, high: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => low + Math.floor(r() * (high - low)));
}
