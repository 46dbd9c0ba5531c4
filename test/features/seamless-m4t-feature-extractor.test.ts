// SeamlessM4TFeatureExtractor against transformers 4.49.0 (the wav2vec2-bert fixtures): stacked
// fbank features and masks of every case, list inputs padded to the longest with the odd frame
// masked, and its errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AutoFeatureExtractor } from "../../src/models/index.js";
import { FeatureExtractorInputError, SeamlessM4TFeatureExtractor } from "../../src/features/index.js";
import { caseFiles, loadArray, loadFloat, maxAbsDiff, modelDir, readJson } from "../helpers/fixtures.js";

const fe = new SeamlessM4TFeatureExtractor(readJson("models/wav2vec2-bert/preprocessor_config.json"));

for (const file of caseFiles("wav2vec2-bert")) {
  test(`SeamlessM4T features of ${file} match Python within 1e-5 (shape and mask exactly)`, () => {
    const c = readJson(file);
    const out = fe(loadFloat(c.waveform), { samplingRate: 16000 });
    assert.deepEqual(out.input_features!.dims, c.features.input_features.shape);
    assert.deepEqual(Array.from(out.attention_mask!.data as Int32Array), Array.from(loadArray(c.features.attention_mask)));
    const diff = maxAbsDiff(out.input_features!.data as Float32Array, loadFloat(c.features.input_features));
    assert.ok(diff <= 1e-5, `max abs diff ${diff}`);
    if (c.dict_input?.features !== undefined) {
      const d = c.dict_input;
      const resampled = fe(loadFloat(d.resampled), { samplingRate: 16000 });
      const dictDiff = maxAbsDiff(resampled.input_features!.data as Float32Array, loadFloat(d.features.input_features));
      assert.ok(dictDiff <= 1e-5, `dict input: max abs diff ${dictDiff}`);
    }
  });
}

test("SeamlessM4T: an odd frame count pads to even and masks the last stacked frame; a batch pads to the longest", () => {
  const odd = new Float32Array(400 + 160 * 6).map((_, i) => Math.sin(i / 9) * 0.1); // 7 frames
  const out = fe(odd, { samplingRate: 16000 });
  assert.deepEqual(out.input_features!.dims, [1, 4, 160]);
  assert.deepEqual(Array.from(out.attention_mask!.data as Int32Array), [1, 1, 1, 0]);
  const batch = fe([odd, odd.subarray(0, 400 + 160 * 2)], { samplingRate: 16000 });
  assert.deepEqual(batch.input_features!.dims, [2, 4, 160]);
  assert.deepEqual(Array.from(batch.attention_mask!.data as Int32Array), [1, 1, 1, 0, 1, 0, 0, 0]);
  // the first clip's rows are the same alone and in the batch
  assert.equal(maxAbsDiff(batch.input_features!.data.subarray(0, 4 * 160) as Float32Array, out.input_features!.data as Float32Array), 0);
});

test("SeamlessM4T: clips shorter than one 400-sample frame are refused with a typed error", () => {
  assert.throws(() => fe(new Float32Array(399), { samplingRate: 16000 }), (e: unknown) => e instanceof FeatureExtractorInputError && /400-sample frame/.test(e.message));
});

test("AutoFeatureExtractor builds it from the fixture folder, and from a config naming no type via model_type wav2vec2-bert", async () => {
  assert.ok((await AutoFeatureExtractor.fromPretrained(modelDir("wav2vec2-bert"))) instanceof SeamlessM4TFeatureExtractor);
  assert.ok(AutoFeatureExtractor.fromConfig({ sampling_rate: 16000 }, { modelType: "wav2vec2-bert" }) instanceof SeamlessM4TFeatureExtractor);
});
