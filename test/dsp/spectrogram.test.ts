import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  DspArgumentError,
  hannWindow,
  magnitudeSpectrogram,
  melFilterBank,
  numFrames,
  powerSpectrogram,
  spectrogram,
  toDecibels,
} from "../../src/dsp/index.js";

interface ReflectCase {
  input: number[];
  frame_length: number;
  hop_length: number;
  fft_length: number;
  power: number[][];
}

const reflectCases: ReflectCase[] = JSON.parse(
  readFileSync(new URL("../fixtures/features/reflect-power-spectrogram.json", import.meta.url), "utf8"),
).cases;

function tone(freq: number, sr: number, length: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * freq * i) / sr));
}

test("power spectrogram matches numpy (np.pad reflect, periodic Hann, rfft), also when the pad exceeds the signal", () => {
  for (const c of reflectCases) {
    const input = Float32Array.from(c.input);
    const spec = spectrogram(input, {
      window: hannWindow(c.frame_length, true),
      frameLength: c.frame_length,
      hopLength: c.hop_length,
      fftLength: c.fft_length,
      power: 2,
    });
    assert.equal(spec.numFrames, c.power.length, `frames for a ${c.input.length}-sample input`);
    assert.equal(spec.numBins, c.fft_length / 2 + 1);
    let maxRel = 0;
    c.power.forEach((row, t) =>
      row.forEach((v, k) => {
        maxRel = Math.max(maxRel, Math.abs(spec.data[t * spec.numBins + k]! - v) / Math.max(1e-6, Math.abs(v)));
      }),
    );
    assert.ok(maxRel < 1e-9, `relative error ${maxRel} for a ${c.input.length}-sample input`);
  }
});

test("frame counts follow transformers (centred: 1 + len/hop; not centred: whole frames only)", () => {
  assert.equal(numFrames(480000, 400, 160, true), 3001);
  assert.equal(numFrames(480000, 1024, 480, true), 1001);
  assert.equal(numFrames(160000, 400, 160, false), 998);
  assert.equal(numFrames(399, 400, 160, false), 0);
  assert.equal(numFrames(400, 400, 160, false), 1);
  const s = spectrogram(new Float32Array(10000), { window: hannWindow(400), frameLength: 400, hopLength: 160, maxFrames: 7 });
  assert.equal(s.numFrames, 7);
});

test("a pure tone's energy lands in its FFT bin and in the mel filter around its frequency", () => {
  const sr = 16000;
  const spec = powerSpectrogram(tone(1000, sr, 8000), hannWindow(400), 160, 400);
  const bins = spec.numBins;
  const t = 10;
  let peak = 0;
  for (let k = 0; k < bins; k++) if (spec.data[t * bins + k]! > spec.data[t * bins + peak]!) peak = k;
  assert.equal(peak, 25, "1 kHz is bin 25 of a 400-point FFT at 16 kHz");

  const mel = melFilterBank({ numFrequencyBins: 201, numMelFilters: 80, minFrequency: 0, maxFrequency: 8000, samplingRate: sr, norm: "slaney", melScale: "slaney" });
  const melSpec = spectrogram(tone(1000, sr, 8000), { window: hannWindow(400), frameLength: 400, hopLength: 160, power: 2, melFilters: mel });
  let melPeak = 0;
  for (let m = 0; m < 80; m++) if (melSpec.data[t * 80 + m]! > melSpec.data[t * 80 + melPeak]!) melPeak = m;
  let best = 0;
  for (let m = 0; m < 80; m++) if (mel.weight(m, 25) > mel.weight(best, 25)) best = m;
  assert.equal(melPeak, best, "the filter weighting bin 25 most carries the tone");
});

test("magnitude is the square root of power; mel output equals the dense product with a floor", () => {
  const x = tone(440, 16000, 4000);
  const power = powerSpectrogram(x, hannWindow(256), 128);
  const magnitude = magnitudeSpectrogram(x, hannWindow(256), 128);
  for (let i = 0; i < power.data.length; i++) assert.ok(Math.abs(magnitude.data[i]! ** 2 - power.data[i]!) <= 1e-9 * (1 + power.data[i]!));

  const mel = melFilterBank({ numFrequencyBins: 129, numMelFilters: 20, minFrequency: 0, maxFrequency: 8000, samplingRate: 16000 });
  const dense = mel.toDense();
  const melSpec = spectrogram(x, { window: hannWindow(256), frameLength: 256, hopLength: 128, power: 2, melFilters: mel, melFloor: 1e-3 });
  for (let t = 0; t < power.numFrames; t++) {
    for (let m = 0; m < 20; m++) {
      let sum = 0;
      for (let k = 0; k < 129; k++) sum += dense[m * 129 + k]! * power.data[t * 129 + k]!;
      assert.ok(Math.abs(melSpec.data[t * 20 + m]! - Math.max(1e-3, sum)) <= 1e-9 * (1 + sum));
    }
  }
});

test("log scales: natural, base 10 and dB with reference, floor and dynamic range", () => {
  const x = tone(440, 16000, 2000);
  const base = { window: hannWindow(128), frameLength: 128, hopLength: 64, power: 2 } as const;
  const mel = melFilterBank({ numFrequencyBins: 65, numMelFilters: 10, minFrequency: 0, maxFrequency: 8000, samplingRate: 16000 });
  const linear = spectrogram(x, { ...base, melFilters: mel });
  const ln = spectrogram(x, { ...base, melFilters: mel, logMel: "log" });
  const log10 = spectrogram(x, { ...base, melFilters: mel, logMel: "log10" });
  const db = spectrogram(x, { ...base, melFilters: mel, logMel: "dB", reference: 2 });
  for (let i = 0; i < linear.data.length; i++) {
    assert.ok(Math.abs(ln.data[i]! - Math.log(linear.data[i]!)) < 1e-12);
    assert.ok(Math.abs(log10.data[i]! - Math.log10(linear.data[i]!)) < 1e-12);
    assert.ok(Math.abs(db.data[i]! - 10 * Math.log10(Math.max(1e-10, linear.data[i]!) / 2)) < 1e-9);
  }
  const values = Float64Array.from([1, 1e-3, 0, 100]);
  toDecibels(values, 10, 1, 1e-10, 30);
  assert.deepEqual(Array.from(values).map((v) => Math.round(v * 1e9) / 1e9), [0, -10, -10, 20]);
  const amplitude = Float64Array.from([10, 0.1]);
  toDecibels(amplitude, 20);
  assert.ok(Math.abs(amplitude[0]! - 20) < 1e-12 && Math.abs(amplitude[1]! + 20) < 1e-12);
});

test("edge padding modes and Kaldi-style framing steps", () => {
  const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const ones = new Float64Array(4).fill(1);
  // boxcar window, FFT bin 0 = frame sum: reveals exactly which samples each frame saw
  const sums = (padMode: "reflect" | "constant" | "edge") =>
    Array.from(spectrogram(x, { window: ones, frameLength: 4, hopLength: 4, power: 1, padMode }).data.filter((_, i) => i % 3 === 0));
  assert.deepEqual(sums("constant"), [3, 18, 15]); // [0,0,1,2] [3,4,5,6] [7,8,0,0]
  assert.deepEqual(sums("edge"), [5, 18, 31]); // [1,1,1,2] … [7,8,8,8]
  assert.deepEqual(sums("reflect"), [8, 18, 28]); // [3,2,1,2] … [7,8,7,6]
  // DC removal zeroes bin 0; pre-emphasis with p = 1 turns a ramp into a constant step
  const noDc = spectrogram(x, { window: ones, frameLength: 4, hopLength: 4, power: 1, center: false, removeDcOffset: true });
  assert.ok(Math.abs(noDc.data[0]!) < 1e-12 && Math.abs(noDc.data[3]!) < 1e-12);
  const ramp = spectrogram(x, { window: ones, frameLength: 4, hopLength: 4, power: 1, center: false, preemphasis: 1 });
  assert.deepEqual(Array.from(ramp.data.filter((_, i) => i % 3 === 0)), [3, 3]); // [0,1,1,1] and [0,1,1,1]
});

test("bad spectrogram arguments raise DspArgumentError", () => {
  const x = new Float32Array(1000);
  const w = hannWindow(400);
  assert.throws(() => spectrogram(x, { window: hannWindow(300), frameLength: 400, hopLength: 160 }), /window length \(300\) must equal frameLength \(400\)/);
  assert.throws(() => spectrogram(x, { window: w, frameLength: 400, hopLength: 0 }), DspArgumentError);
  assert.throws(() => spectrogram(x, { window: w, frameLength: 400, hopLength: 160, fftLength: 256 }), /fftLength must be an integer ≥ 400/);
  assert.throws(() => spectrogram(x, { window: w, frameLength: 400, hopLength: 160, padMode: "wrap" as never }), /padMode/);
  assert.throws(() => spectrogram(x, { window: w, frameLength: 400, hopLength: 160, power: 3, logMel: "dB" }), /power 1/);
  const mel = melFilterBank({ numFrequencyBins: 129, numMelFilters: 10, minFrequency: 0, maxFrequency: 8000, samplingRate: 16000 });
  assert.throws(() => spectrogram(x, { window: w, frameLength: 400, hopLength: 160, melFilters: mel }), /cover 129 bins but an FFT of 400 gives 201/);
});
