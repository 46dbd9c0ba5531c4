import { test } from "node:test";
import assert from "node:assert/strict";
import { ASTFeatureExtractor, FeatureExtractorInputError } from "../../src/features/index.js";
import { readJson, loadArray } from "../helpers/fixtures.js";
import { featureCases, fixtureExtractor, maxDiff, testSignal } from "./fixture-cases.js";

const TOLERANCE = 1e-4;
/**
 * Every step of torchaudio's fbank is reproduced in torch's own float32 arithmetic (window and
 * mel-bank math through SLEEF, pocketfft's float32 FFT, float32 energies and logs); what is left
 * is the order in which torch's float32 matmul (OpenBLAS sgemm) sums each mel band. Those sums
 * have at most 10 terms here, all non-negative, so any order is within 9·2⁻²⁴ ≈ 5.4e-7 relative
 * of any other: the log moves by as much, a normalised feature by < 6e-8, and the float32
 * result lands at most a rounding step away (1.2e-7 for |x| < 2). Two steps are allowed.
 */
const TORCH_ARITHMETIC_TOLERANCE = 2.4e-7;

test("AST: every fixture case (file and dict input) matches torchaudio's features", (t) => {
  const fe = fixtureExtractor("ast") as ASTFeatureExtractor;
  for (const c of featureCases("ast")) {
    const out = fe(c.waveform, { samplingRate: c.samplingRate });
    assert.deepEqual(Object.keys(out), ["input_values"]);
    const got = out["input_values"]!;
    const expected = c.expected["input_values"]!;
    assert.equal(got.type, "float32");
    assert.deepEqual(got.dims, expected.shape, c.name);
    const data = got.data as Float32Array;
    let worst = 0;
    let identical = 0;
    for (let i = 0; i < data.length; i++) {
      const d = Math.abs(data[i]! - expected.data[i]!);
      assert.ok(d <= TOLERANCE, `${c.name}: element ${i} differs by ${d}`);
      worst = Math.max(worst, d);
      if (d === 0) identical++;
    }
    t.diagnostic(`${c.name}: max |diff| ${worst.toExponential(2)}, ${((100 * identical) / data.length).toFixed(1)}% bit-identical`);
    assert.ok(worst <= TORCH_ARITHMETIC_TOLERANCE, `${c.name}: max difference ${worst}`);
  }
});

test("AST: a list input is a batch whose rows equal the single-input features", () => {
  const fe = fixtureExtractor("ast");
  const list = readJson("cases/ast/_list_input.json");
  const waveforms = list.inputs.map((i: { waveform: never }) => loadArray(i.waveform) as Float32Array);
  const batch = fe(waveforms, { samplingRate: 16000 })["input_values"]!;
  assert.deepEqual(batch.dims, [2, 128, 128]);
  waveforms.forEach((w: Float32Array, b: number) => {
    const single = fe(w, { samplingRate: 16000 })["input_values"]!.data;
    assert.equal(maxDiff(batch.data.subarray(b * 128 * 128, (b + 1) * 128 * 128), single), 0);
  });
});

test("AST: the published AudioSet config — 10 s clips, 1024 frames, padding rows after normalisation", () => {
  const fe = new ASTFeatureExtractor({ feature_extractor_type: "ASTFeatureExtractor", num_mel_bins: 128, max_length: 1024, mean: -4.2677393, std: 4.5689974, sampling_rate: 16000 });
  const clip = testSignal(160000, 16000);
  const out = fe(clip, { samplingRate: 16000 })["input_values"]!;
  assert.deepEqual(out.dims, [1, 1024, 128]);
  const padValue = Math.fround(Math.fround(4.2677393) / Math.fround(2 * 4.5689974));
  const data = out.data as Float32Array;
  assert.equal(fe.framesFor(160000), 998);
  for (let i = 998 * 128; i < data.length; i++) assert.equal(data[i], padValue);
  assert.notEqual(data[997 * 128], padValue);
  // longer clips are cut at 1024 frames: 12 s gives the same first 1024 frames as 20 s
  const long = testSignal(320000, 16000);
  const a = fe(long.subarray(0, 192000), { samplingRate: 16000 })["input_values"]!.data;
  const b = fe(long, { samplingRate: 16000 })["input_values"]!.data;
  assert.equal(maxDiff(a, b), 0);
});

test("AST: other configs — 64 mel bins, no normalisation, 8 kHz", () => {
  const raw = new ASTFeatureExtractor({ num_mel_bins: 64, max_length: 50, do_normalize: false });
  const normed = new ASTFeatureExtractor({ num_mel_bins: 64, max_length: 50, mean: -3, std: 2 });
  const clip = testSignal(4000, 16000); // 0.25 s → 23 frames
  const r = raw(clip, { samplingRate: 16000 })["input_values"]!;
  const n = normed(clip, { samplingRate: 16000 })["input_values"]!;
  assert.deepEqual(r.dims, [1, 50, 64]);
  for (let i = 0; i < r.data.length; i++) {
    if (i >= 23 * 64) assert.equal(r.data[i], 0, "unnormalised padding is 0");
    assert.ok(Math.abs((r.data[i]! + 3) / 4 - n.data[i]!) < 1e-6);
  }
  // a pure 1 kHz tone: its Kaldi mel bin is the loudest in every frame
  const tone = Float32Array.from({ length: 4000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
  const toned = raw(tone, { samplingRate: 16000 })["input_values"]!.data;
  const melOf = (f: number) => 1127 * Math.log(1 + f / 700);
  const delta = (melOf(8000) - melOf(20)) / 65;
  const expectedBin = Math.round((melOf(1000) - melOf(20)) / delta) - 1;
  for (let t = 0; t < 23; t++) {
    let peak = 0;
    for (let m = 0; m < 64; m++) if (toned[t * 64 + m]! > toned[t * 64 + peak]!) peak = m;
    assert.ok(Math.abs(peak - expectedBin) <= 1, `frame ${t}: ${peak} vs ${expectedBin}`);
  }
  const narrow = new ASTFeatureExtractor({ sampling_rate: 8000, num_mel_bins: 40, max_length: 20 });
  const out = narrow(testSignal(8000, 8000), { samplingRate: 8000 })["input_values"]!;
  assert.deepEqual(out.dims, [1, 20, 40]);
  assert.equal(narrow.framesFor(8000), 98);
});

test("AST: exposes its config and refuses clips shorter than one frame", () => {
  const fe = fixtureExtractor("ast") as ASTFeatureExtractor;
  assert.equal(fe.featureExtractorType, "ASTFeatureExtractor");
  assert.equal(fe.samplingRate, 16000);
  assert.equal(fe.numMelBins, 128);
  assert.equal(fe.maxLength, 128);
  assert.deepEqual(fe.modelInputNames, ["input_values", "attention_mask"]);
  assert.equal(fe.toJSON()["mean"], -4.2677393);
  assert.throws(() => fe(new Float32Array(399), { samplingRate: 16000 }), (e: unknown) => {
    assert.ok(e instanceof FeatureExtractorInputError);
    assert.match((e as Error).message, /audio has 399 samples; ASTFeatureExtractor needs at least 400 \(one 25 ms frame at 16000 Hz\)/);
    return true;
  });
  assert.throws(() => fe([new Float32Array(500), new Float32Array(10)], { samplingRate: 16000 }), /audio\[1\] has 10 samples/);
});
