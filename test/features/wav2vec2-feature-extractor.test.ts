import { test } from "node:test";
import assert from "node:assert/strict";
import { FeatureExtractorInputError, Wav2Vec2FeatureExtractor } from "../../src/features/index.js";
import { readJson, loadArray } from "../helpers/fixtures.js";
import { featureCases, fixtureExtractor, maxDiff } from "./fixture-cases.js";

test("Wav2Vec2 family: every fixture case matches transformers bit for bit (acceptance: 1e-5)", () => {
  for (const model of ["wav2vec2", "hubert", "wavlm"]) {
    const fe = fixtureExtractor(model);
    for (const c of featureCases(model)) {
      const out = fe(c.waveform, { samplingRate: c.samplingRate });
      assert.deepEqual(Object.keys(out).sort(), Object.keys(c.expected).sort(), `${model} ${c.name}: output keys`);
      const values = out["input_values"]!;
      assert.equal(values.type, "float32");
      assert.deepEqual(values.dims, c.expected["input_values"]!.shape);
      // numpy 1.24's float32 mean/var are reproduced exactly, so nothing is left to tolerate
      assert.equal(maxDiff(values.data, c.expected["input_values"]!.data), 0, `${model} ${c.name}`);
      if (c.expected["attention_mask"] !== undefined) {
        const mask = out["attention_mask"]!;
        assert.equal(mask.type, "int32");
        assert.ok(mask.data instanceof Int32Array);
        assert.deepEqual(Array.from(mask.data), Array.from(c.expected["attention_mask"].data), `${model} ${c.name}: mask`);
      }
    }
  }
});

function listWaveforms(model: string): Float32Array[] {
  return readJson(`cases/${model}/_list_input.json`).inputs.map((i: { waveform: never }) => loadArray(i.waveform) as Float32Array);
}

test("padded batch with attention mask: each row normalised over its own samples, padding reset to 0", () => {
  const fe = fixtureExtractor("hubert"); // return_attention_mask: true
  const [short, long] = listWaveforms("hubert") as [Float32Array, Float32Array];
  const out = fe([short, long], { samplingRate: 16000, padding: true });
  const values = out["input_values"]!;
  const mask = out["attention_mask"]!;
  assert.deepEqual(values.dims, [2, long.length]);
  assert.deepEqual(mask.dims, [2, long.length]);
  const single = (w: Float32Array) => fe(w, { samplingRate: 16000 })["input_values"]!.data;
  assert.equal(maxDiff(values.data.subarray(0, short.length), single(short)), 0);
  assert.equal(maxDiff(values.data.subarray(long.length), single(long)), 0);
  for (let i = short.length; i < long.length; i++) {
    assert.equal(values.data[i], 0);
    assert.equal(mask.data[i], 0);
  }
  assert.equal(mask.data[short.length - 1], 1);
});

test("padded batch without a mask: Python normalises the whole padded row, zeros included", () => {
  const fe = fixtureExtractor("wav2vec2"); // return_attention_mask: false
  const [short, long] = listWaveforms("wav2vec2") as [Float32Array, Float32Array];
  const out = fe([short, long], { samplingRate: 16000, padding: "longest" });
  assert.deepEqual(Object.keys(out), ["input_values"]);
  const row = new Float64Array(long.length);
  row.set(short);
  const mean = row.reduce((a, v) => a + v, 0) / row.length;
  const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
  const expected = row.map((v) => (v - mean) / Math.sqrt(variance + 1e-7));
  assert.ok(maxDiff(out["input_values"]!.data.subarray(0, long.length), expected) < 1e-5);
  assert.notEqual(out["input_values"]!.data[long.length - 1], 0, "the padding is normalised too");
});

test("maxLength, truncation, padToMultipleOf, returnAttentionMask override, left padding", () => {
  const fe = fixtureExtractor("wav2vec2");
  const [short, long] = listWaveforms("wav2vec2") as [Float32Array, Float32Array];
  const cut = fe([short, long], { samplingRate: 16000, padding: "max_length", maxLength: 16000, truncation: true, returnAttentionMask: true });
  assert.deepEqual(cut["input_values"]!.dims, [2, 16000]);
  assert.equal(maxDiff(cut["input_values"]!.data.subarray(0, 16000), fe(short.subarray(0, 16000), { samplingRate: 16000 })["input_values"]!.data), 0);
  const rounded = fe(short, { samplingRate: 16000, padding: true, padToMultipleOf: 320 });
  assert.equal(rounded["input_values"]!.dims[1], Math.ceil(short.length / 320) * 320);
  const hubert = fixtureExtractor("hubert");
  assert.deepEqual(Object.keys(hubert(short, { samplingRate: 16000, returnAttentionMask: false })), ["input_values"]);

  const left = new Wav2Vec2FeatureExtractor({ padding_side: "left", return_attention_mask: true });
  const out = left([short, long], { samplingRate: 16000, padding: true });
  const offset = long.length - short.length;
  // audioclass normalises the real samples (Python's left padding takes the wrong end)
  assert.equal(maxDiff(out["input_values"]!.data.subarray(offset, long.length), left(short, { samplingRate: 16000 })["input_values"]!.data), 0);
  assert.equal(out["attention_mask"]!.data[offset - 1], 0);
  assert.equal(out["attention_mask"]!.data[offset], 1);
});

test("do_normalize false returns the raw waveform; ragged batches without padding are refused", () => {
  const raw = new Wav2Vec2FeatureExtractor({ do_normalize: false });
  const x = Float32Array.from([0.5, -0.25, 0.125]);
  assert.deepEqual(Array.from(raw(x, { samplingRate: 16000 })["input_values"]!.data), [0.5, -0.25, 0.125]);
  assert.deepEqual(Array.from(raw([1, 2], { samplingRate: 16000 })["input_values"]!.data), [1, 2]);
  assert.equal(raw.doNormalize, false);
  assert.throws(() => raw([x, Float32Array.from([1])], { samplingRate: 16000 }), (e: unknown) => {
    assert.ok(e instanceof FeatureExtractorInputError);
    assert.match((e as Error).message, /different lengths \(3, 1 samples\) without padding; pass padding: true/);
    return true;
  });
  assert.throws(() => raw(x, { samplingRate: 16000, truncation: "fusion" }), /truncation must be true or false/);
  assert.throws(() => raw(x, { samplingRate: 16000, padding: "repeatpad" }), /padding must be true, false, "longest"/);
});
