import { test } from "node:test";
import assert from "node:assert/strict";
import { AddGaussianSNR, ClippingDistortion, Gain, GainTransition, Normalize, Shift } from "../../src/training/augment/index.js";
import { AugmentationError } from "../../src/training/errors.js";
import { Rng } from "../../src/training/random.js";
import { difference, noise, rmsOf, tone } from "./support/signals.js";

const SR = 16000;

function db(ratio: number): number {
  return 20 * Math.log10(ratio);
}

test("AddGaussianSNR: the achieved SNR (from the added noise) is the drawn SNR within 0.1 dB", () => {
  const x = tone(440, 3, SR); // 48 000 samples: the noise RMS spread is ≈ 0.03 dB
  const t = new AddGaussianSNR({ minSnrDb: 10, maxSnrDb: 20, p: 1 });
  const drawn: number[] = [];
  for (let seed = 0; seed < 20; seed++) {
    const before = x.slice();
    const { samples, applied } = t.run(x, SR, new Rng(seed));
    assert.deepEqual(x, before, "input untouched");
    const snrDb = applied[0]!.parameters["snrDb"] as number;
    drawn.push(snrDb);
    assert.ok(snrDb >= 10 && snrDb <= 20);
    const achieved = db(rmsOf(x) / rmsOf(difference(samples, x)));
    assert.ok(Math.abs(achieved - snrDb) < 0.1, `seed ${seed}: drawn ${snrDb.toFixed(3)} dB, achieved ${achieved.toFixed(3)} dB`);
    // the added noise is white and zero-mean
    const d = difference(samples, x);
    assert.ok(Math.abs(d.reduce((a, b) => a + b, 0) / d.length) < 5 * rmsOf(d) / Math.sqrt(d.length));
  }
  // SNRs are spread over the range, not stuck
  assert.ok(Math.max(...drawn) - Math.min(...drawn) > 5);
  // silence stays silent (the noise is relative to the signal)
  const silent = t.apply(new Float32Array(100), SR, new Rng(1));
  assert.ok(silent.every((v) => v === 0));
});

test("Gain: the gain in dB is exactly the drawn one, sample by sample", () => {
  const x = noise(4000, 3);
  const t = new Gain({ minGainDb: -6, maxGainDb: 6, p: 1 });
  for (let seed = 0; seed < 10; seed++) {
    const { samples, applied } = t.run(x, SR, new Rng(seed));
    const gainDb = applied[0]!.parameters["gainDb"] as number;
    assert.ok(gainDb >= -6 && gainDb <= 6);
    assert.ok(Math.abs(db(rmsOf(samples) / rmsOf(x)) - gainDb) < 1e-5);
    for (let i = 0; i < x.length; i += 97) if (x[i] !== 0) assert.ok(Math.abs(db(samples[i]! / x[i]!) - gainDb) < 1e-4);
    assert.equal(samples.length, x.length);
  }
});

test("GainTransition: start gain, a linear-in-dB ramp over the drawn span, end gain; length kept", () => {
  const x = new Float32Array(8000).fill(0.5);
  const t = new GainTransition({ minGainDb: -6, maxGainDb: 6, minDuration: 0.01, maxDuration: 0.3, durationUnit: "fraction", p: 1 });
  for (let seed = 0; seed < 10; seed++) {
    const { samples, applied } = t.run(x, SR, new Rng(seed));
    assert.equal(samples.length, x.length);
    const p = applied[0]!.parameters as { startGainDb: number; endGainDb: number; fadeSamples: number; startSample: number };
    assert.ok(p.fadeSamples >= 80 && p.fadeSamples <= 2400, `fade of ${p.fadeSamples} samples is 1–30 % of 8000`);
    assert.ok(p.startSample >= -p.fadeSamples + 2 && p.startSample <= x.length - 2);
    const gainAt = (i: number): number => db(samples[i]! / 0.5);
    if (p.startSample > 0) assert.ok(Math.abs(gainAt(0) - p.startGainDb) < 1e-4);
    const end = p.startSample + p.fadeSamples;
    if (end < x.length) assert.ok(Math.abs(gainAt(x.length - 1) - p.endGainDb) < 1e-4);
    // inside the ramp the gain moves by a constant step per sample
    const step = (p.endGainDb - p.startGainDb) / (p.fadeSamples - 1);
    for (let i = Math.max(p.startSample + 1, 1); i < Math.min(end, x.length); i += 37) {
      assert.ok(Math.abs(gainAt(i) - (p.startGainDb + (i - p.startSample) * step)) < 1e-3, `seed ${seed}, sample ${i}`);
    }
  }
});

test("ClippingDistortion: exactly the drawn percentage of samples is clipped, half at each end", () => {
  // 10 001 distinct values in random order: percentile q sits exactly on sample q·100 of the sorted values
  const n = 10001;
  const order = new Rng(7).permutation(n);
  const x = Float32Array.from(order, (k) => (k - 5000) / 5000);
  const t = new ClippingDistortion({ minPercentileThreshold: 0, maxPercentileThreshold: 30, p: 1 });
  const seen = new Set<number>();
  for (let seed = 0; seed < 25; seed++) {
    const { samples, applied } = t.run(x, SR, new Rng(seed));
    const q = applied[0]!.parameters["percentileThreshold"] as number;
    seen.add(q);
    const perSide = Math.floor(q / 2) * 100; // samples strictly beyond each threshold
    let low = 0;
    let high = 0;
    for (let i = 0; i < n; i++) {
      if (samples[i] !== x[i]) (x[i]! < 0 ? low++ : high++);
    }
    assert.equal(low, perSide, `q = ${q}: clipped below`);
    assert.equal(high, perSide, `q = ${q}: clipped above`);
    assert.ok(Math.abs((low + high) / (n - 1) - 2 * Math.floor(q / 2) / 100) < 1e-12);
    assert.equal(Math.max(...samples), Math.fround(1 - (2 * perSide) / (n - 1)));
  }
  assert.ok(seen.size > 8, "percentages vary with the seed");
});

test("Shift: rolls exactly (np.roll) without fade, fills zeros without rollover, fades the seams", () => {
  const x = Float32Array.from({ length: 1000 }, (_, i) => i + 1);
  const roll = new Shift({ minShift: -0.5, maxShift: 0.5, fadeDuration: 0, p: 1 });
  for (let seed = 0; seed < 10; seed++) {
    const { samples, applied } = roll.run(x, SR, new Rng(seed));
    const k = roll.shiftInSamples(applied[0]!.parameters["shift"] as number, x.length, SR);
    for (let i = 0; i < x.length; i++) assert.equal(samples[(i + k + x.length) % x.length], x[i]);
  }
  const exact = new Shift({ minShift: 250, maxShift: 250, shiftUnit: "samples", rollover: false, fadeDuration: 0, p: 1 });
  const shifted = exact.apply(x, SR, new Rng(0));
  assert.ok(shifted.subarray(0, 250).every((v) => v === 0));
  assert.deepEqual(shifted.subarray(250), x.subarray(0, 750));
  const back = new Shift({ minShift: -0.1, maxShift: -0.1, rollover: false, fadeDuration: 0, p: 1 }).apply(x, SR, new Rng(0));
  assert.deepEqual(back.subarray(0, 900), x.subarray(100));
  assert.ok(back.subarray(900).every((v) => v === 0));
  // with a 5 ms fade (80 samples at 16 kHz) only the samples next to the seam change
  const faded = new Shift({ minShift: 300, maxShift: 300, shiftUnit: "samples", p: 1 }).apply(x, SR, new Rng(0));
  const hard = new Shift({ minShift: 300, maxShift: 300, shiftUnit: "samples", fadeDuration: 0, p: 1 }).apply(x, SR, new Rng(0));
  for (let i = 0; i < x.length; i++) {
    if (i >= 220 && i < 380) assert.ok(Math.abs(faded[i]!) <= Math.abs(hard[i]!) * 1.01 + 1e-6);
    else assert.equal(faded[i], hard[i]);
  }
  assert.ok(Math.abs(faded[300]!) < 1e-6 && Math.abs(faded[299]!) < 1e-3 * hard[299]!, "silent at the seam");
});

test("Normalize: the peak becomes exactly 1; only_too_loud_sounds leaves quiet audio alone", () => {
  const x = noise(2000, 11, 0.25);
  const n = new Normalize({ p: 1 }).apply(x, SR, new Rng(0));
  assert.equal(Math.max(...n.map(Math.abs)), 1);
  const quiet = new Normalize({ applyTo: "only_too_loud_sounds", p: 1 }).apply(x, SR, new Rng(0));
  assert.deepEqual(quiet, x);
  const loud = Float32Array.from(x, (v) => v * 8);
  assert.equal(Math.max(...new Normalize({ applyTo: "only_too_loud_sounds", p: 1 }).apply(loud, SR, new Rng(0)).map(Math.abs)), 1);
  assert.ok(new Normalize({ p: 1 }).apply(new Float32Array(10), SR, new Rng(0)).every((v) => v === 0));
});

test("transforms draw p first: p = 0 never applies (and returns a copy), p = 1 always does", () => {
  const x = noise(100, 1);
  const never = new Gain({ p: 0 }).run(x, SR, new Rng(0));
  assert.deepEqual(never.applied, []);
  assert.deepEqual(never.samples, x);
  assert.notEqual(never.samples, x);
  assert.equal(new Gain({ p: 1 }).run(x, SR, new Rng(0)).applied.length, 1);
  assert.deepEqual(new Gain({ p: 1 }).run(new Float32Array(0), SR, new Rng(0)).samples, new Float32Array(0));
});

test("bad parameters and inputs raise AugmentationError naming the transform and the fix", () => {
  assert.throws(() => new Gain({ minGainDb: 6, maxGainDb: -6 }), (e: unknown) => e instanceof AugmentationError && /Gain: minGainDb \(6\) must not be greater/.test(e.message));
  assert.throws(() => new AddGaussianSNR({ p: 1.5 }), /p must be a probability/);
  assert.throws(() => new AddGaussianSNR({ min_snr_db: 3 } as never), /did you mean minSnrDb/);
  assert.throws(() => new ClippingDistortion({ maxPercentileThreshold: 30.5 }), /whole number of percent/);
  assert.throws(() => new GainTransition({ minDuration: 0 }), /greater than zero/);
  assert.throws(() => new Shift({ minShift: -2 }), /\[−1, 1\]/);
  assert.throws(() => new Shift({ fadeDuration: 0.0001 }), /fadeDuration/);
  assert.throws(() => new Normalize({ applyTo: "some" as "all" }), /applyTo/);
  assert.throws(() => new Gain().apply([1, 2, 3] as unknown as Float32Array, SR, new Rng(0)), /mono Float32Array/);
  assert.throws(() => new Gain().apply(new Float32Array(3), 0, new Rng(0)), /sampleRate/);
});
