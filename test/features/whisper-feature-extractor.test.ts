import { test } from "node:test";
import assert from "node:assert/strict";
import { NumpyRandomState, WhisperFeatureExtractor } from "../../src/features/index.js";
import { readJson, loadArray } from "../helpers/fixtures.js";
import { featureCases, fixtureExtractor, maxDiff, testSignal } from "./fixture-cases.js";

test("Whisper: every fixture case (file and dict input) within 1e-4 of the torch.stft path", () => {
  const fe = fixtureExtractor("whisper");
  for (const c of featureCases("whisper")) {
    const out = fe(c.waveform, { samplingRate: c.samplingRate });
    assert.deepEqual(Object.keys(out), ["input_features"]);
    const got = out["input_features"]!;
    assert.equal(got.type, "float32");
    assert.deepEqual(got.dims, c.expected["input_features"]!.shape, c.name);
    const d = maxDiff(got.data, c.expected["input_features"]!.data);
    assert.ok(d <= 1e-4, `${c.name}: max diff ${d}`);
  }
});

test("Whisper: published configs — 30 s windows of 3000 frames, 80 (base) and 128 (large-v3) mel bins", () => {
  const base = new WhisperFeatureExtractor({ feature_size: 80, chunk_length: 30, hop_length: 160, n_fft: 400, sampling_rate: 16000 });
  const large = new WhisperFeatureExtractor({ feature_size: 128 });
  assert.equal(base.nSamples, 480000);
  assert.equal(base.nbMaxFrames, 3000);
  const clip = testSignal(5 * 16000, 16000);
  const a = base(clip, { samplingRate: 16000 })["input_features"]!;
  const b = large(clip, { samplingRate: 16000 })["input_features"]!;
  assert.deepEqual(a.dims, [1, 80, 3000]);
  assert.deepEqual(b.dims, [1, 128, 3000]);
  // after 5 s the input is zero padding: every such frame sits at the (max − 8) floor
  const data = a.data as Float32Array;
  let max = -Infinity;
  for (const v of data) max = Math.max(max, v);
  const floor = Math.fround(Math.fround(Math.fround(Math.fround(max * 4) - 4) - 8 + 4) / 4);
  for (let m = 0; m < 80; m++) {
    for (const t of [600, 1500, 2999]) assert.ok(Math.abs(data[m * 3000 + t]! - floor) < 1e-6, `bin ${m} frame ${t}`);
  }
});

test("Whisper: a 1 kHz tone is loudest in the mel filter that weights 1 kHz most", () => {
  const fe = new WhisperFeatureExtractor({ chunk_length: 2 });
  const tone = Float32Array.from({ length: 32000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
  const out = fe(tone, { samplingRate: 16000 })["input_features"]!.data;
  let best = 0;
  for (let m = 0; m < 80; m++) if (fe.melFilters.weight(m, 25) > fe.melFilters.weight(best, 25)) best = m;
  for (const t of [10, 100, 190]) {
    let peak = 0;
    for (let m = 0; m < 80; m++) if (out[m * 200 + t]! > out[peak * 200 + t]!) peak = m;
    assert.equal(peak, best, `frame ${t}`);
  }
});

test("Whisper: long input is cut to chunk_length; a batch equals its rows (per-example clamp)", () => {
  const fe = new WhisperFeatureExtractor({ chunk_length: 2 });
  const long = testSignal(50000, 16000, 3);
  const quiet = Float32Array.from(testSignal(20000, 16000, 4), (v) => v * 0.01);
  const cut = fe(long, { samplingRate: 16000 })["input_features"]!;
  assert.equal(maxDiff(cut.data, fe(long.subarray(0, 32000), { samplingRate: 16000 })["input_features"]!.data), 0);
  const batch = fe([long, quiet], { samplingRate: 16000 })["input_features"]!;
  assert.deepEqual(batch.dims, [2, 80, 200]);
  assert.equal(maxDiff(batch.data.subarray(0, 16000), cut.data), 0);
  assert.equal(maxDiff(batch.data.subarray(16000), fe(quiet, { samplingRate: 16000 })["input_features"]!.data), 0);
});

test("Whisper: the fixture's list input as one batch gives each input's own features", () => {
  const fe = fixtureExtractor("whisper");
  const waveforms = readJson("cases/whisper/_list_input.json").inputs.map((i: { waveform: never }) => loadArray(i.waveform) as Float32Array);
  const batch = fe(waveforms, { samplingRate: 16000 })["input_features"]!;
  assert.deepEqual(batch.dims, [waveforms.length, 80, 200]);
  waveforms.forEach((w: Float32Array, b: number) => {
    assert.equal(maxDiff(batch.data.subarray(b * 16000, (b + 1) * 16000), fe(w, { samplingRate: 16000 })["input_features"]!.data), 0);
  });
});

test("Whisper: frame-level attention mask, padding longest, doNormalize, dither", () => {
  const fe = new WhisperFeatureExtractor({ chunk_length: 2 });
  const clip = testSignal(8000, 16000);
  const masked = fe(clip, { samplingRate: 16000, returnAttentionMask: true });
  const mask = masked["attention_mask"]!;
  assert.equal(mask.type, "int32");
  assert.deepEqual(mask.dims, [1, 200]);
  assert.equal(Array.from(mask.data).reduce((a, v) => a + v, 0), 50, "ceil(8000 / 160) frames hold audio");
  const configured = new WhisperFeatureExtractor({ chunk_length: 2, return_attention_mask: true });
  assert.deepEqual(configured(clip, { samplingRate: 16000 })["attention_mask"]!.dims, [1, 200]);

  const longest = fe(clip, { samplingRate: 16000, padding: "longest" })["input_features"]!;
  assert.deepEqual(longest.dims, [1, 80, 50]);

  // zero-mean/unit-variance normalisation makes the features independent of the input gain
  const loud = Float32Array.from(clip, (v) => v * 3 + 0.1);
  const n1 = fe(clip, { samplingRate: 16000, doNormalize: true })["input_features"]!.data;
  const n2 = fe(loud, { samplingRate: 16000, doNormalize: true })["input_features"]!.data;
  assert.ok(maxDiff(n1, n2) < 1e-4);

  const dithered = new WhisperFeatureExtractor({ chunk_length: 2, dither: 1e-4 });
  const d1 = dithered(clip, { samplingRate: 16000, rng: new NumpyRandomState(0) })["input_features"]!.data;
  const d2 = dithered(clip, { samplingRate: 16000, rng: new NumpyRandomState(0) })["input_features"]!.data;
  const plain = fe(clip, { samplingRate: 16000 })["input_features"]!.data;
  assert.equal(maxDiff(d1, d2), 0, "a seeded generator makes dither reproducible");
  assert.ok(maxDiff(d1, plain) > 0, "dither changes the features");
});

test("Whisper: exposes its config", () => {
  const fe = fixtureExtractor("whisper") as WhisperFeatureExtractor;
  assert.equal(fe.featureExtractorType, "WhisperFeatureExtractor");
  assert.equal(fe.chunkLength, 2);
  assert.equal(fe.nSamples, 32000);
  assert.equal(fe.nbMaxFrames, 200);
  assert.equal(fe.featureSize, 80);
  assert.deepEqual(fe.modelInputNames, ["input_features"]);
  assert.equal(fe.toJSON()["n_fft"], 400);
  assert.throws(() => fe(testSignal(100, 16000), { samplingRate: 16000, padding: "longest" }), /100-sample input is too short for WhisperFeatureExtractor's 400-point STFT/);
});
