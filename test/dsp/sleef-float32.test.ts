import { test } from "node:test";
import assert from "node:assert/strict";
import { fmaf } from "../../src/dsp/float32-fma.js";
import { sleefCosf, sleefLogf } from "../../src/dsp/sleef-float32.js";

const f32 = Math.fround;

/** Deterministic uniform numbers in [0, 1) (xorshift32). */
function uniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** a·b + c for float32 a, b, c, rounded once to float32 (ties to even), in exact integer arithmetic. */
function exactFma(a: number, b: number, c: number): number {
  // every float32 is an integer multiple of 2^−149
  const scaled = (x: number) => BigInt(x * 2 ** 149);
  const sum = scaled(a) * scaled(b) + scaled(c) * 2n ** 149n; // units of 2^−298
  if (sum === 0n) return 0;
  const negative = sum < 0n;
  const magnitude = negative ? -sum : sum;
  const shift = Math.max(magnitude.toString(2).length - 24, 0);
  let q = magnitude >> BigInt(shift);
  if (shift > 0) {
    const rest = magnitude - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  }
  const value = Number(q) * 2 ** (shift - 298);
  return negative ? -value : value;
}

test("fmaf rounds a·b + c once, including the halfway cases a double-then-float rounding gets wrong", () => {
  const next = uniform(7);
  let doubleRoundingCases = 0;
  for (let i = 0; i < 20000; i++) {
    // 13-bit operands give products of up to 26 bits, often exactly halfway between two floats;
    // a tiny c then decides the rounding, which a double sum loses. Full-precision operands
    // cover the rest.
    const coarse = i % 2 === 0;
    const sign = () => (next() < 0.5 ? -1 : 1);
    const a = coarse ? sign() * (4096 + Math.floor(next() * 4096)) * 2 ** -12 : f32((next() * 2 - 1) * 2);
    const b = coarse ? sign() * (4096 + Math.floor(next() * 4096)) * 2 ** -12 : f32((next() * 2 - 1) * 2);
    const c = f32(sign() * next() * 2 ** -Math.floor(next() * (coarse ? 60 : 30)));
    const expected = exactFma(a, b, c);
    assert.ok(Object.is(fmaf(a, b, c), expected) || (expected === 0 && fmaf(a, b, c) === 0), `fmaf(${a}, ${b}, ${c}) = ${fmaf(a, b, c)}, exact ${expected}`);
    if (f32(a * b + c) !== expected) doubleRoundingCases++;
  }
  assert.ok(doubleRoundingCases > 0, "the cases where rounding via a double differs were exercised");
});

/** Spacing of float32 values around |x|. */
function ulp(x: number): number {
  const e = Math.floor(Math.log2(Math.abs(x)));
  return 2 ** (Math.max(e, -126) - 23);
}

test("sleefCosf: within SLEEF's 1-ulp bound everywhere, and off the correctly rounded value where torch.cos is", () => {
  const next = uniform(11);
  let differs = 0;
  const trials = 20000;
  for (let i = 0; i < trials; i++) {
    const x = f32((next() * 2 - 1) * 124);
    const got = sleefCosf(x);
    assert.equal(got, f32(got));
    assert.ok(Math.abs(got - Math.cos(x)) <= ulp(Math.cos(x)), `cos(${x}): ${got} vs ${Math.cos(x)}`);
    if (got !== f32(Math.cos(x))) differs++;
  }
  assert.ok(differs > 0 && differs < trials / 10, `${differs} of ${trials} differ from the correctly rounded cosine`);
  // arguments of a 400-point symmetric Hann window (torchaudio's "hanning") where SLEEF rounds
  // the other way; with these values the AST fixtures match torchaudio bit for bit
  const step = f32((2 * Math.PI) / 399);
  assert.equal(sleefCosf(f32(19 * step)), 0.9555728435516357);
  assert.equal(f32(Math.cos(f32(19 * step))), 0.955572783946991);
  assert.equal(sleefCosf(f32(68 * step)), 0.47940605878829956);
  assert.equal(sleefCosf(f32(121 * step)), -0.3284204602241516);
  assert.equal(sleefCosf(0), 1);
  // outside the fast reduction's range: the correctly rounded value
  assert.equal(sleefCosf(1000), f32(Math.cos(1000)));
});

test("sleefLogf: within 1 ulp, and the Kaldi mel-bank values where torch.log differs from the exact log", () => {
  const next = uniform(13);
  for (let i = 0; i < 20000; i++) {
    const x = f32(Math.exp((next() * 2 - 1) * 80));
    const got = sleefLogf(x);
    assert.equal(got, f32(got));
    assert.ok(Math.abs(got - Math.log(x)) <= ulp(Math.log(x)), `log(${x}): ${got} vs ${Math.log(x)}`);
  }
  // 1 + (31.25·k)/700 for FFT bins k = 12, 55, 236 of a 512-point frame at 16 kHz
  assert.equal(sleefLogf(1.5357142686843872), 0.4289955794811249);
  assert.equal(f32(Math.log(1.5357142686843872)), 0.42899560928344727);
  assert.equal(sleefLogf(3.455357074737549), 1.239925742149353);
  assert.equal(sleefLogf(11.535714149475098), 2.4454479217529297);
  assert.equal(sleefLogf(1), 0);
  assert.equal(sleefLogf(0), -Infinity);
  assert.ok(Number.isNaN(sleefLogf(-1)));
});
