import { test } from "node:test";
import assert from "node:assert/strict";
import { caseFiles, loadArray, manifest, readJson, maxAbsDiff } from "./fixtures.js";

test("fixture manifest lists the thirteen public models", () => {
  const ids = manifest().models.map((m) => m.id).sort();
  assert.deepEqual(ids, ["ast", "clap", "hubert", "sew", "sew-d", "unispeech", "unispeech-sat", "wav2vec2", "wav2vec2-bert", "wav2vec2-conformer-relative", "wav2vec2-conformer-rotary", "wavlm", "whisper"]);
});

test("array references load with the declared shape", () => {
  for (const file of caseFiles("ast")) {
    const c = readJson(file);
    const w = loadArray(c.waveform);
    assert.equal(w.length, c.waveform.shape[0]);
  }
});

test("maxAbsDiff reports NaN as infinitely far", () => {
  assert.equal(maxAbsDiff([1, NaN], [1, 2]), Infinity);
  assert.equal(maxAbsDiff([1, 2], [1, 2.5]), 0.5);
});
