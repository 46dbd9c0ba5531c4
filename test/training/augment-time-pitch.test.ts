import { test } from "node:test";
import assert from "node:assert/strict";
import { PitchShift, TimeStretch, istft, resampleByStep, stft } from "../../src/training/augment/index.js";
import { Rng } from "../../src/training/random.js";
import { energyCentre, peakFrequency, rmsOf, tone } from "./support/signals.js";

const SR = 16000;

/** A 1 kHz tone burst of 40 ms centred at `centre` seconds in `seconds` of silence. */
function burst(centre: number, seconds: number): Float32Array {
  const x = new Float32Array(Math.round(seconds * SR));
  const half = Math.round(0.02 * SR);
  const c = Math.round(centre * SR);
  for (let i = c - half; i < c + half; i++) x[i] = 0.8 * Math.sin((2 * Math.PI * 1000 * i) / SR) * (0.5 - 0.5 * Math.cos((Math.PI * (i - c + half)) / half));
  return x;
}

test("STFT → inverse STFT reconstructs the signal (window-sum normalisation)", () => {
  const x = tone(330, 0.5, SR);
  const y = istft(stft(x, 512, 128), 512, 128, x.length);
  let err = 0;
  for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(y[i]! - x[i]!));
  assert.ok(err < 1e-9, `max error ${err}`);
});

test("TimeStretch: duration changes by the rate, a tone keeps its frequency, events move to t/rate", () => {
  const x = tone(440, 2, SR);
  const events = burst(1.0, 2);
  const t = new TimeStretch({ minRate: 0.8, maxRate: 1.25, leaveLengthUnchanged: false, p: 1 });
  const rates: number[] = [];
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const { samples, applied } = t.run(x, SR, new Rng(seed));
    const rate = applied[0]!.parameters["rate"] as number;
    rates.push(rate);
    assert.ok(rate >= 0.8 && rate <= 1.25);
    assert.equal(samples.length, Math.round(x.length / rate));
    const { frequency, binWidth } = peakFrequency(samples, SR, 4096, 16000);
    assert.ok(Math.abs(frequency - 440) <= binWidth, `rate ${rate.toFixed(3)}: peak at ${frequency} Hz`);
    // the level is kept exactly when speeding up; slowing down loses < 1 dB, as librosa does
    const levelDb = 20 * Math.log10(rmsOf(samples.subarray(4096, 20000)) / rmsOf(x.subarray(4096, 20000)));
    if (rate >= 1) assert.ok(Math.abs(levelDb) < 0.05, `rate ${rate.toFixed(3)}: level ${levelDb.toFixed(3)} dB`);
    else assert.ok(levelDb < 0 && levelDb > -1, `rate ${rate.toFixed(3)}: level ${levelDb.toFixed(3)} dB`);
    const moved = t.applyWith(events, SR, { rate }, new Rng(0));
    const centre = energyCentre(moved, 320);
    assert.ok(Math.abs(centre - SR / rate) < 512, `rate ${rate.toFixed(3)}: burst at ${centre}, expected ${Math.round(SR / rate)} (± one hop)`);
  }
  assert.ok(rates.some((r) => r < 1) && rates.some((r) => r > 1), `rates ${rates.map((r) => r.toFixed(3)).join(", ")} cover both directions`);
});

test("TimeStretch keeps the input length by default (crop or zero-pad at the end)", () => {
  const x = tone(440, 1, SR);
  const t = new TimeStretch({ p: 1 });
  for (const rate of [0.8, 1.25]) {
    const y = t.applyWith(x, SR, { rate }, new Rng(0));
    assert.equal(y.length, x.length);
    if (rate > 1) assert.ok(rmsOf(y.subarray(Math.round(x.length / rate) + 1024)) < 1e-3, "the tail after the stretched audio is silent");
  }
});

test("PitchShift: a tone moves by 2^(n/12) (FFT peak within a bin), the length and timing are kept", () => {
  const x = tone(440, 2, SR);
  const events = burst(1.0, 2);
  const t = new PitchShift({ minSemitones: -4, maxSemitones: 4, p: 1 });
  const shifts: number[] = [];
  for (const seed of [5, 6, 7, 8]) {
    const { samples, applied } = t.run(x, SR, new Rng(seed));
    const n = applied[0]!.parameters["semitones"] as number;
    shifts.push(n);
    assert.equal(samples.length, x.length);
    const expected = 440 * 2 ** (n / 12);
    const { frequency, binWidth } = peakFrequency(samples, SR, 4000, 16000);
    assert.ok(Math.abs(frequency - expected) <= binWidth, `${n.toFixed(2)} semitones: peak ${frequency} Hz, expected ${expected.toFixed(2)} Hz`);
    const centre = energyCentre(t.applyWith(events, SR, { semitones: n }, new Rng(0)), 320);
    assert.ok(Math.abs(centre - SR) < 512, `the burst stays at 1 s (found ${centre})`);
  }
  assert.ok(shifts.some((s) => s > 0) && shifts.some((s) => s < 0));
  // whole semitones, both directions
  for (const n of [-4, 3]) {
    const { frequency, binWidth } = peakFrequency(t.applyWith(x, SR, { semitones: n }, new Rng(0)), SR, 4000, 16000);
    assert.ok(Math.abs(frequency - 440 * 2 ** (n / 12)) <= binWidth);
  }
});

test("the fractional resampler keeps a band-limited tone and removes what would alias", () => {
  const x = tone(1000, 1, SR);
  // reading at step 1.25 turns 1 kHz into 1.25 kHz at the same nominal rate
  const y = resampleByStep(x, 1.25, Math.floor(x.length / 1.25));
  const { frequency, binWidth } = peakFrequency(y, SR, 1000, 8000);
  assert.ok(Math.abs(frequency - 1250) <= binWidth);
  assert.ok(Math.abs(rmsOf(y.subarray(500, 12000)) / rmsOf(x) - 1) < 0.01, "passband gain ≈ 1");
  // 7.5 kHz read at step 1.25 would alias; the low-pass at 0.945·6.4 kHz removes it
  const high = tone(7500, 1, SR);
  const z = resampleByStep(high, 1.25, Math.floor(high.length / 1.25));
  assert.ok(rmsOf(z.subarray(500, 12000)) < 0.01 * rmsOf(high), `aliased energy ${rmsOf(z.subarray(500, 12000))}`);
});
