import { test } from "node:test";
import assert from "node:assert/strict";
import { ComplexFft, DspArgumentError, fft, getComplexFft, getRealFft, ifft, rfft } from "../../src/dsp/index.js";
import { InvalidArgumentError } from "../../src/errors.js";

/** Deterministic pseudo-random numbers in [−1, 1) (xorshift32), so failures reproduce. */
function noise(n: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** O(n²) DFT with exactly reduced angles (jk mod n), the reference for every size. */
function naiveDft(re: Float64Array, im: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const angle = (-2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      sr += re[j]! * c - im[j]! * s;
      si += re[j]! * s + im[j]! * c;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return { re: outRe, im: outIm };
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

// every size up to 70 (radices 2, 3, 4, 5, 7, 11, …, 67 and Bluestein for primes > 64), plus the
// sizes feature extractors use and a few awkward ones
const SIZES = [...Array.from({ length: 70 }, (_, i) => i + 1), 97, 100, 128, 134, 200, 243, 256, 400, 512, 625, 1000, 1024, 2 * 127];

test("complex FFT matches the naive DFT for every size tested", () => {
  for (const n of SIZES) {
    const re = noise(n, n);
    const im = noise(n, n + 1000);
    const expected = naiveDft(re, im);
    const got = fft(re, im);
    // rounding grows like log n; the naive DFT's own error like n·eps
    const tolerance = 1e-13 * n + 1e-14;
    assert.ok(maxAbs(got.re, expected.re) <= tolerance, `size ${n}: real part off by ${maxAbs(got.re, expected.re)}`);
    assert.ok(maxAbs(got.im, expected.im) <= tolerance, `size ${n}: imaginary part off by ${maxAbs(got.im, expected.im)}`);
  }
});

test("inverse FFT undoes the forward FFT", () => {
  for (const n of [1, 7, 64, 97, 200, 400, 1000]) {
    const re = noise(n, 3 * n);
    const im = noise(n, 5 * n);
    const spectrum = fft(re, im);
    const back = ifft(spectrum.re, spectrum.im);
    assert.ok(maxAbs(back.re, re) < 1e-13, `size ${n}`);
    assert.ok(maxAbs(back.im, im) < 1e-13, `size ${n}`);
  }
});

test("Parseval: signal energy equals spectrum energy / n", () => {
  for (const n of [16, 100, 131, 400, 4096]) {
    const re = noise(n, 11 * n);
    const { re: xr, im: xi } = fft(re);
    let time = 0;
    let freq = 0;
    for (let i = 0; i < n; i++) {
      time += re[i]! ** 2;
      freq += xr[i]! ** 2 + xi[i]! ** 2;
    }
    assert.ok(Math.abs(time - freq / n) <= 1e-12 * time, `size ${n}: ${time} vs ${freq / n}`);
  }
});

test("plans pick Bluestein only for large prime factors, and are cached", () => {
  assert.equal(getComplexFft(200).algorithm, "mixed-radix");
  assert.equal(getComplexFft(61).algorithm, "mixed-radix");
  assert.equal(getComplexFft(97).algorithm, "bluestein");
  assert.equal(getComplexFft(2 * 67).algorithm, "bluestein");
  assert.equal(getComplexFft(256), getComplexFft(256));
  assert.equal(getRealFft(512), getRealFft(512));
});

test("real FFT equals the first n/2 + 1 bins of the complex FFT, even and odd sizes", () => {
  for (const n of [1, 2, 3, 5, 8, 15, 16, 33, 97, 400, 512, 1024]) {
    const x = noise(n, 7 * n);
    const full = fft(x);
    const half = rfft(x);
    const bins = Math.floor(n / 2) + 1;
    assert.equal(half.re.length, bins);
    assert.ok(maxAbs(half.re, full.re.subarray(0, bins)) < 1e-12, `size ${n}`);
    assert.ok(maxAbs(half.im, full.im.subarray(0, bins)) < 1e-12, `size ${n}`);
    const power = new Float64Array(bins);
    getRealFft(n).powerSpectrum(x, power);
    const expected = Array.from({ length: bins }, (_, k) => full.re[k]! ** 2 + full.im[k]! ** 2);
    assert.ok(maxAbs(power, expected) < 1e-11, `power spectrum of size ${n}`);
  }
});

test("a cosine on bin k puts n/2 in bin k and nothing elsewhere", () => {
  const n = 400;
  for (const k of [1, 17, 100, 199]) {
    const x = Float64Array.from({ length: n }, (_, j) => Math.cos((2 * Math.PI * k * j) / n));
    const { re, im } = rfft(x);
    for (let b = 0; b < re.length; b++) {
      const magnitude = Math.hypot(re[b]!, im[b]!);
      assert.ok(Math.abs(magnitude - (b === k ? n / 2 : 0)) < 1e-9, `bin ${b} for a tone on ${k}: ${magnitude}`);
    }
  }
});

test("rfft with n zero-pads or truncates like numpy", () => {
  const x = [1, 2, 3];
  const padded = rfft(x, 8);
  const expected = rfft([1, 2, 3, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(padded.re), Array.from(expected.re));
  const cut = rfft([1, 2, 3, 4, 5], 4);
  assert.deepEqual(Array.from(cut.re), Array.from(rfft([1, 2, 3, 4]).re));
});

test("bad sizes and buffers raise DspArgumentError", () => {
  assert.throws(() => new ComplexFft(0), DspArgumentError);
  assert.throws(() => new ComplexFft(2.5), /integer ≥ 1/);
  assert.throws(() => fft([]), /empty/);
  assert.throws(() => fft([1, 2], [1]), /differ in length/);
  assert.throws(() => getComplexFft(8).forward(new Float64Array(8), new Float64Array(4)), /length 8/);
  assert.throws(() => getRealFft(8).powerSpectrum(new Float64Array(7), new Float64Array(5)), /input of length 7/);
  assert.throws(() => rfft([1], 0), InvalidArgumentError);
});
