import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DspArgumentError,
  hertzToMel,
  kaldiMelBanks,
  linspace,
  MelFilterBank,
  melFilterBank,
  melToHertz,
} from "../../src/dsp/index.js";

test("mel scales: known points and round trips", () => {
  assert.ok(Math.abs(hertzToMel(1000, "htk") - 999.9855371396064) < 1e-9);
  assert.equal(hertzToMel(1000, "slaney"), 15);
  assert.equal(hertzToMel(600, "slaney"), 9);
  assert.ok(Math.abs(hertzToMel(700, "kaldi") - 1127 * Math.LN2) < 1e-9);
  // Whisper's hard-coded top: the Slaney mel of 8 kHz
  assert.ok(Math.abs(hertzToMel(8000, "slaney") - 45.245640471924965) < 1e-12);
  for (const scale of ["htk", "kaldi", "slaney"] as const) {
    for (const hz of [0, 20, 440, 999.9, 1000, 1000.1, 7999, 22050]) {
      assert.ok(Math.abs(melToHertz(hertzToMel(hz, scale), scale) - hz) < 1e-9 * Math.max(1, hz), `${scale} ${hz}`);
    }
  }
  assert.throws(() => hertzToMel(1, "bark" as never), /unknown mel scale "bark"/);
});

test("linspace follows numpy (i·step + start, exact endpoint)", () => {
  assert.deepEqual(Array.from(linspace(0, 1, 5)), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(Array.from(linspace(3, 3, 3)), [3, 3, 3]);
  assert.deepEqual(Array.from(linspace(2, 7, 1)), [2]);
  const y = linspace(0.1, 0.7, 7);
  assert.equal(y[6], 0.7);
});

/**
 * Independent transcription of the librosa-style construction older transformers used for
 * Whisper (rfftfreq bin centres, Slaney mel from 0 to 45.2456… mel, Slaney norm).
 */
function legacyWhisperFilters(sr: number, nFft: number, nMels: number): Float64Array {
  const bins = 1 + nFft / 2;
  const fftFreqs = Array.from({ length: bins }, (_, k) => (k * sr) / nFft);
  const minLogMel = 15;
  const logstep = Math.log(6.4) / 27;
  const melF = Array.from({ length: nMels + 2 }, (_, i) => {
    const mel = (45.245640471924965 * i) / (nMels + 1);
    return mel >= minLogMel ? 1000 * Math.exp(logstep * (mel - minLogMel)) : (200 / 3) * mel;
  });
  const out = new Float64Array(nMels * bins);
  for (let i = 0; i < nMels; i++) {
    const enorm = 2 / (melF[i + 2]! - melF[i]!);
    for (let k = 0; k < bins; k++) {
      const lower = (fftFreqs[k]! - melF[i]!) / (melF[i + 1]! - melF[i]!);
      const upper = (melF[i + 2]! - fftFreqs[k]!) / (melF[i + 2]! - melF[i + 1]!);
      out[i * bins + k] = Math.max(0, Math.min(lower, upper)) * enorm;
    }
  }
  return out;
}

test("Slaney bank (Whisper 80 and 128 bins) matches an independent librosa-style construction", () => {
  for (const nMels of [80, 128]) {
    const bank = melFilterBank({ numFrequencyBins: 201, numMelFilters: nMels, minFrequency: 0, maxFrequency: 8000, samplingRate: 16000, norm: "slaney", melScale: "slaney" });
    const reference = legacyWhisperFilters(16000, 400, nMels);
    const dense = bank.toDense();
    let maxDiff = 0;
    for (let i = 0; i < dense.length; i++) maxDiff = Math.max(maxDiff, Math.abs(dense[i]! - reference[i]!));
    assert.ok(maxDiff < 1e-12, `${nMels} bins: max diff ${maxDiff}`);
  }
});

test("Slaney normalisation gives every wide filter unit area in Hz", () => {
  const bank = melFilterBank({ numFrequencyBins: 513, numMelFilters: 64, minFrequency: 50, maxFrequency: 14000, samplingRate: 48000, norm: "slaney", melScale: "slaney" });
  const binWidth = 24000 / 512;
  let checked = 0;
  for (let f = 0; f < 64; f++) {
    if (bank.end[f]! - bank.start[f]! < 8) continue;
    let area = 0;
    for (let b = bank.start[f]!; b < bank.end[f]!; b++) area += bank.weight(f, b) * binWidth;
    assert.ok(Math.abs(area - 1) < 0.02, `filter ${f}: area ${area}`);
    checked++;
  }
  assert.ok(checked >= 20, `enough wide filters were checked (${checked})`);
});

test("HTK bank without norm: unimodal triangles peaking at most 1, centres rising", () => {
  const bank = melFilterBank({ numFrequencyBins: 513, numMelFilters: 64, minFrequency: 50, maxFrequency: 14000, samplingRate: 48000, melScale: "htk" });
  let lastPeak = -1;
  for (let f = 0; f < 64; f++) {
    let peak = bank.start[f]!;
    for (let b = bank.start[f]!; b < bank.end[f]!; b++) if (bank.weight(f, b) > bank.weight(f, peak)) peak = b;
    assert.ok(bank.weight(f, peak) <= 1 && bank.weight(f, peak) > 0, `filter ${f}`);
    for (let b = bank.start[f]! + 1; b <= peak; b++) assert.ok(bank.weight(f, b) >= bank.weight(f, b - 1));
    for (let b = peak + 1; b < bank.end[f]!; b++) assert.ok(bank.weight(f, b) <= bank.weight(f, b - 1));
    assert.ok(peak >= lastPeak, `peaks rise with the filter index (${f})`);
    lastPeak = peak;
  }
});

/** torchaudio's get_mel_banks formula in float64 (no float32 rounding), written out directly. */
function kaldiBanksFloat64(numBins: number, padded: number, sr: number, low: number, high: number): Float64Array {
  const mel = (f: number) => 1127 * Math.log(1 + f / 700);
  const lowMel = mel(low);
  const delta = (mel(high) - lowMel) / (numBins + 1);
  const out = new Float64Array(numBins * (padded / 2 + 1));
  for (let m = 0; m < numBins; m++) {
    const left = lowMel + m * delta;
    const center = lowMel + (m + 1) * delta;
    const right = lowMel + (m + 2) * delta;
    for (let k = 0; k < padded / 2; k++) {
      const x = mel((sr / padded) * k);
      out[m * (padded / 2 + 1) + k] = Math.max(0, Math.min((x - left) / (center - left), (right - x) / (right - center)));
    }
  }
  return out;
}

test("Kaldi banks: the torchaudio construction, Nyquist column zero, empty filters kept", () => {
  for (const [numBins, sr] of [[128, 16000], [64, 16000], [23, 16000], [80, 8000]] as const) {
    const padded = sr === 16000 ? 512 : 256;
    const bank = kaldiMelBanks({ numBins, paddedWindowSize: padded, sampleFrequency: sr });
    assert.equal(bank.numFilters, numBins);
    assert.equal(bank.numFrequencyBins, padded / 2 + 1);
    const reference = kaldiBanksFloat64(numBins, padded, sr, 20, sr / 2);
    const dense = bank.toDense();
    let maxDiff = 0;
    for (let i = 0; i < dense.length; i++) maxDiff = Math.max(maxDiff, Math.abs(dense[i]! - reference[i]!));
    // torchaudio builds the bank in float32; ours reproduces that rounding
    assert.ok(maxDiff < 2e-5, `${numBins} bins at ${sr} Hz: ${maxDiff}`);
    for (let m = 0; m < numBins; m++) assert.equal(bank.weight(m, padded / 2), 0, "Nyquist bin is padded with 0");
  }
  // 128 bins at 16 kHz: the lowest filters are narrower than one FFT bin, some catch none
  const bank = kaldiMelBanks({ numBins: 128, paddedWindowSize: 512, sampleFrequency: 16000 });
  const empty = Array.from({ length: 128 }, (_, m) => m).filter((m) => bank.end[m] === bank.start[m]);
  assert.ok(empty.length > 0, "some filters are all zero");
  assert.ok(empty.every((m) => m < 20), `empty filters are the low ones: ${empty}`);
});

test("MelFilterBank: dense round trip and sparse apply equal the dense product", () => {
  const dense = Float64Array.from([0, 0.5, 1, 0, 0, /**/ 0, 0, 0, 0, 0, /**/ 0.25, 0, 0, 0, 2]);
  const bank = MelFilterBank.fromDense(dense, 3, 5);
  assert.deepEqual(Array.from(bank.toDense()), Array.from(dense));
  assert.deepEqual(Array.from(bank.start), [1, 0, 0]);
  assert.deepEqual(Array.from(bank.end), [3, 0, 5]);
  const spectrum = Float64Array.from([9, 1, 2, 3, 4, 5, 6]);
  const out = new Float64Array(4);
  bank.apply(spectrum, 2, out, 1);
  assert.deepEqual(Array.from(out), [0, 0.5 * 3 + 4, 0, 0.25 * 2 + 2 * 6]);
  assert.equal(bank.toFloat32Weights().weight(0, 1), Math.fround(0.5));
  assert.throws(() => MelFilterBank.fromDense([1, 2, 3], 2, 2), DspArgumentError);
});

test("bad mel bank arguments raise DspArgumentError", () => {
  const ok = { numFrequencyBins: 201, numMelFilters: 80, minFrequency: 0, maxFrequency: 8000, samplingRate: 16000 };
  assert.throws(() => melFilterBank({ ...ok, minFrequency: 9000 }), /must not exceed maxFrequency/);
  // zero-width triangles divide by zero: the weights were NaN (found by fuzzing CLAP's frequency_min = frequency_max)
  assert.throws(() => melFilterBank({ ...ok, minFrequency: 1, maxFrequency: 1 }), (e: unknown) => e instanceof DspArgumentError && /1 – 1 Hz is too narrow for 80 mel filters/.test(e.message));
  assert.throws(() => melFilterBank({ ...ok, minFrequency: 1000, maxFrequency: 1000 + 1e-12, norm: "slaney" }), /too narrow for 80 mel filters \(edges \d+ and \d+ coincide\)/);
  const narrow = melFilterBank({ ...ok, minFrequency: 1000, maxFrequency: 1000 + 1e-9, norm: "slaney" });
  assert.ok(narrow.weights.every(Number.isFinite), "a narrow range with distinct edges keeps finite weights");
  assert.throws(() => melFilterBank({ ...ok, numFrequencyBins: 1 }), DspArgumentError);
  assert.throws(() => melFilterBank({ ...ok, norm: "area" as never }), /norm must be "slaney" or null/);
  assert.throws(() => kaldiMelBanks({ numBins: 3, paddedWindowSize: 512, sampleFrequency: 16000 }), /numBins must be an integer ≥ 4/);
  assert.throws(() => kaldiMelBanks({ numBins: 23, paddedWindowSize: 512, sampleFrequency: 16000, highFreq: 9000 }), /Nyquist/);
});
