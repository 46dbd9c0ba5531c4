import { test } from "node:test";
import assert from "node:assert/strict";
import { DspArgumentError, getRealFft, getTorchFloat32RealFft, TorchFloat32RealFft } from "../../src/dsp/index.js";
import { pocketfftRealPlan } from "../../src/dsp/pocketfft-real-plan.js";

const SIZES = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

/** Deterministic float32 test frames (xorshift32); every `quietEvery`-th one is scaled down 1000×. */
function frames(count: number, n: number, seed: number, quietEvery = 3): Float64Array[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: count }, (_, f) => {
    const scale = f % quietEvery === quietEvery - 1 ? 1e-3 : 1;
    return Float64Array.from({ length: n }, () => {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      return Math.fround((s / 2 ** 31 - 1) * scale);
    });
  });
}

test("pocketfft's pass structure: radix-4 passes, a radix-2 one last when log2(n) is odd", () => {
  const shape = (n: number) => pocketfftRealPlan(n).map(({ radix, ido, l1 }) => [radix, ido, l1]);
  assert.deepEqual(shape(512), [[4, 1, 128], [4, 4, 32], [4, 16, 8], [4, 64, 2], [2, 256, 1]]);
  assert.deepEqual(shape(256), [[4, 1, 64], [4, 4, 16], [4, 16, 4], [4, 64, 1]]);
  assert.deepEqual(shape(2), [[2, 1, 1]]);
  assert.throws(() => pocketfftRealPlan(400), DspArgumentError);
  assert.throws(() => new TorchFloat32RealFft(1), /power-of-two/);
});

test("the twiddles are far from float32 rounding ties, so any double-accurate computation (pocketfft's) rounds to them", () => {
  const bits = new Int32Array(1);
  const value = new Float32Array(bits.buffer);
  for (const n of SIZES) {
    for (const { radix, ido } of pocketfftRealPlan(n)) {
      // comp_twiddle's l1 for this factor (the product of the factors before it)
      const twiddleL1 = n / (ido * radix);
      for (let j = 1; j < radix; j++) {
        for (let i = 1; i <= (ido - 1) >> 1; i++) {
          const angle = (2 * Math.PI * j * twiddleL1 * i) / n;
          for (const x of [Math.cos(angle), Math.sin(angle)]) {
            value[0] = x;
            const rounded = value[0]!;
            bits[0] = bits[0]! + (rounded < x === rounded > 0 ? 1 : -1);
            const midpoint = (rounded + value[0]!) / 2;
            assert.ok(Math.abs(x - midpoint) > 1e-13 * Math.abs(x), `n ${n}: twiddle ${x} lies ${Math.abs(x - midpoint)} from a tie`);
          }
        }
      }
    }
  }
});

test("the WebAssembly kernel reproduces the JavaScript float32 reference bit for bit", () => {
  for (const n of SIZES) {
    const kernel = new TorchFloat32RealFft(n);
    const reference = new TorchFloat32RealFft(n, false);
    assert.equal(kernel.accelerated, true, "Node has WebAssembly SIMD");
    assert.equal(reference.accelerated, false);
    // batches of every size from 1 to BATCH, with quiet and loud frames in the same call
    for (let count = 1; count <= TorchFloat32RealFft.BATCH; count++) {
      const inputs = frames(count, n, 17 * n + count);
      const fast = inputs.map(() => new Float64Array(n / 2 + 1));
      kernel.powerSpectra(inputs, fast);
      inputs.forEach((input, f) => {
        const slow = new Float64Array(n / 2 + 1);
        reference.powerSpectrum(input, slow);
        for (let k = 0; k <= n / 2; k++) assert.ok(Object.is(fast[f]![k], slow[k]), `n ${n}, frame ${f}/${count}, bin ${k}: ${fast[f]![k]} vs ${slow[k]}`);
      });
    }
  }
});

test("float32 results within float32 FFT error of the exact power spectrum", () => {
  for (const n of SIZES) {
    const plan = getTorchFloat32RealFft(n);
    assert.equal(getTorchFloat32RealFft(n), plan, "plans are cached");
    for (const input of frames(3, n, n + 5)) {
      const got = new Float64Array(n / 2 + 1);
      const exact = new Float64Array(n / 2 + 1);
      plan.powerSpectrum(input, got);
      getRealFft(n).powerSpectrum(input, exact);
      let energy = 0;
      for (const v of input) energy += v * v;
      // |ΔX| ≤ c·log2(n)·u·√n·‖x‖, so |ΔP| ≤ 2|X||ΔX| + |ΔX|² ≤ ~3c·log2(n)·u·n·‖x‖²
      const bound = 3 * 2 * Math.log2(n) * 2 ** -24 * n * energy;
      for (let k = 0; k <= n / 2; k++) {
        assert.equal(got[k], Math.fround(got[k]!), "float32 values");
        assert.ok(Math.abs(got[k]! - exact[k]!) <= bound, `n ${n}, bin ${k}: ${got[k]} vs ${exact[k]}`);
      }
    }
  }
});

test("a sinusoid lands in its bin; unused kernel lanes do not leak into used ones", () => {
  const n = 512;
  const plan = getTorchFloat32RealFft(n);
  const tone = Float64Array.from({ length: n }, (_, j) => Math.fround(Math.cos((2 * Math.PI * 37 * j) / n)));
  const out = new Float64Array(n / 2 + 1);
  plan.powerSpectra([frames(1, n, 3)[0]!, frames(1, n, 4)[0]!, frames(1, n, 5)[0]!, frames(1, n, 6)[0]!], Array.from({ length: 4 }, () => new Float64Array(n / 2 + 1)));
  plan.powerSpectrum(tone, out);
  let peak = 0;
  for (let k = 0; k <= n / 2; k++) if (out[k]! > out[peak]!) peak = k;
  assert.equal(peak, 37);
  assert.ok(Math.abs(out[37]! - (n / 2) ** 2) < 1e-3 * (n / 2) ** 2);
  assert.ok(out[100]! < 1e-6, "nothing from the previous call's frames");
});

test("argument checks", () => {
  const plan = getTorchFloat32RealFft(8);
  assert.throws(() => plan.powerSpectrum(new Float64Array(7), new Float64Array(5)), /input of length 7/);
  assert.throws(() => plan.powerSpectrum(new Float64Array(8), new Float64Array(4)), /needs 5 output values/);
  assert.throws(() => plan.powerSpectra(frames(5, 8, 1), Array.from({ length: 5 }, () => new Float64Array(5))), /1 to 4 frames/);
});
