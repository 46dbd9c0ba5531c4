import { test } from "node:test";
import assert from "node:assert/strict";
import { DspArgumentError, KALDI_EPSILON, kaldiFbank, KaldiFbankComputer, kaldiFrameGeometry } from "../../src/dsp/index.js";
import { torchFloat32RowSum } from "../../src/dsp/torch-float32-sum.js";

function tone(freq: number, sr: number, seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(sr * seconds) }, (_, i) => 0.3 * Math.sin((2 * Math.PI * freq * i) / sr));
}

test("frame geometry follows torchaudio: int(sr·ms/1000), padded to a power of two", () => {
  assert.deepEqual(kaldiFrameGeometry({ sampleFrequency: 16000 }), { windowSize: 400, windowShift: 160, paddedWindowSize: 512 });
  assert.deepEqual(kaldiFrameGeometry({ sampleFrequency: 8000 }), { windowSize: 200, windowShift: 80, paddedWindowSize: 256 });
  assert.deepEqual(kaldiFrameGeometry({ sampleFrequency: 16000, roundToPowerOfTwo: false }), { windowSize: 400, windowShift: 160, paddedWindowSize: 400 });
  assert.deepEqual(kaldiFrameGeometry({ sampleFrequency: 22050, frameLength: 25, frameShift: 10 }), { windowSize: 551, windowShift: 220, paddedWindowSize: 1024 });
  assert.throws(() => kaldiFrameGeometry({ sampleFrequency: 16000, roundToPowerOfTwo: false, frameLength: 25.0625 }), /must be even/);
});

test("snip_edges: only whole frames, and shorter signals are refused like torchaudio's assertion", () => {
  const fbank = new KaldiFbankComputer({ numMelBins: 23 });
  assert.equal(fbank.compute(new Float32Array(400)).numFrames, 1);
  assert.equal(fbank.compute(new Float32Array(559)).numFrames, 1);
  assert.equal(fbank.compute(new Float32Array(560)).numFrames, 2);
  assert.equal(fbank.compute(new Float32Array(160000)).numFrames, 998);
  assert.equal(fbank.compute(new Float32Array(160000), 100).numFrames, 100);
  assert.throws(() => fbank.compute(new Float32Array(399)), /at least one full frame of 400 samples; the signal has 399/);
});

test("silence hits the float32-epsilon floor in every bin", () => {
  const fb = kaldiFbank(new Float32Array(4000), { numMelBins: 40, windowType: "hanning" });
  // torch's float32 log of the floor
  for (const v of fb.data) assert.equal(v, Math.fround(Math.log(KALDI_EPSILON)));
});

test("a 1 kHz tone peaks in the Kaldi mel bin centred nearest 1 kHz, for every window type", () => {
  const numMelBins = 64;
  const melOf = (f: number) => 1127 * Math.log(1 + f / 700);
  const low = melOf(20);
  const delta = (melOf(8000) - low) / (numMelBins + 1);
  const expected = Math.round((melOf(1000) - low) / delta) - 1; // centre of bin m is low + (m + 1)·delta
  for (const windowType of ["povey", "hanning", "hamming", "rectangular", "blackman"] as const) {
    const fb = kaldiFbank(tone(1000, 16000, 0.5), { numMelBins, windowType });
    for (let t = 0; t < fb.numFrames; t++) {
      let peak = 0;
      for (let m = 0; m < numMelBins; m++) if (fb.data[t * numMelBins + m]! > fb.data[t * numMelBins + peak]!) peak = m;
      assert.ok(Math.abs(peak - expected) <= 1, `${windowType} frame ${t}: peak ${peak}, expected ${expected}`);
    }
  }
});

test("DC offset and pre-emphasis options change what they should", () => {
  const withDc = Float32Array.from(tone(300, 16000, 0.1), (v) => v + 0.5);
  const plain = kaldiFbank(tone(300, 16000, 0.1), { numMelBins: 23 });
  const removed = kaldiFbank(withDc, { numMelBins: 23 });
  let maxDiff = 0;
  for (let i = 0; i < plain.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(plain.data[i]! - removed.data[i]!));
  assert.ok(maxDiff < 1e-3, `DC removal makes a constant offset (almost) invisible: ${maxDiff}`);
  const kept = kaldiFbank(withDc, { numMelBins: 23, removeDcOffset: false, preemphasisCoefficient: 0 });
  assert.ok(kept.data[0]! > plain.data[0]! + 1, "without DC removal or pre-emphasis the offset shows in the lowest bin");
  const linear = kaldiFbank(tone(300, 16000, 0.1), { numMelBins: 23, useLogFbank: false });
  for (let i = 0; i < linear.data.length; i++) {
    // both are float32 values, as torch's tensors are: the log is the float32 log of the floored energy
    assert.equal(linear.data[i], Math.fround(linear.data[i]!));
    assert.equal(plain.data[i], Math.fround(Math.log(Math.max(linear.data[i]!, KALDI_EPSILON))));
  }
});

test("bad Kaldi options raise DspArgumentError", () => {
  assert.throws(() => new KaldiFbankComputer({ preemphasisCoefficient: 1.5 }), /preemphasisCoefficient must be in \[0, 1\]/);
  assert.throws(() => new KaldiFbankComputer({ numMelBins: 2 }), DspArgumentError);
  assert.throws(() => new KaldiFbankComputer({ frameLength: 0.05 }), /Kaldi needs at least 2/);
  assert.throws(() => new KaldiFbankComputer({ windowType: "kaiser" as never }), /unknown Kaldi window type "kaiser"/);
});

test("torch's float32 row sum: float32 results within float32 rounding of the exact sum", () => {
  for (const n of [1, 5, 8, 31, 32, 33, 127, 400, 551, 1024, 4096]) {
    const x = Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 1.7) * 0.9 + 0.05));
    const got = torchFloat32RowSum(x, 0, n);
    let exact = 0;
    let magnitude = 0;
    for (const v of x) {
      exact += v;
      magnitude += Math.abs(v);
    }
    assert.equal(got, Math.fround(got), `size ${n}: result is a float32 value`);
    assert.ok(Math.abs(got - exact) <= 2 ** -24 * magnitude * Math.log2(n + 1) * 2, `size ${n}: ${got} vs ${exact}`);
  }
  assert.equal(torchFloat32RowSum(new Float32Array(400).fill(1), 0, 400), 400);
  // fewer than 8 values: a plain sequential float32 sum
  const small = Float32Array.from([1e8, 1, -1e8, 1]);
  assert.equal(torchFloat32RowSum(small, 0, 4), Math.fround(Math.fround(Math.fround(1e8 + 1) - 1e8) + 1));
});

test("torch's float32 FFT is the default; the float64 one differs only where rounding shows, in quiet bands", () => {
  const signal = Float32Array.from(tone(440, 16000, 0.2), (v, i) => v + 1e-4 * Math.sin(i * 1.3));
  const torchLike = kaldiFbank(signal, { numMelBins: 64, windowType: "hanning" });
  const float64 = kaldiFbank(signal, { numMelBins: 64, windowType: "hanning", torchFloat32Fft: false });
  let loud = 0;
  let quiet = 0;
  for (let i = 0; i < torchLike.data.length; i++) {
    const d = Math.abs(torchLike.data[i]! - float64.data[i]!);
    if (float64.data[i]! > -8) loud = Math.max(loud, d);
    else quiet = Math.max(quiet, d);
  }
  assert.ok(loud < 1e-5, `loud bands: ${loud}`);
  assert.ok(quiet > loud && quiet < 1e-2, `quiet bands: ${quiet}`);
  // magnitude spectra are not emulated: they take the float64 FFT, with or without the option
  const magnitude = kaldiFbank(signal, { numMelBins: 64, windowType: "hanning", usePower: false });
  assert.deepEqual(magnitude.data, kaldiFbank(signal, { numMelBins: 64, windowType: "hanning", usePower: false, torchFloat32Fft: false }).data);
});
