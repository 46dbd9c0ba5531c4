import { test } from "node:test";
import assert from "node:assert/strict";
import { caseFiles, loadArray, manifest, readJson, maxAbsDiff } from "./fixtures.js";

test("fixture manifest lists the six public models", () => {
  const ids = manifest().models.map((m) => m.id).sort();
  assert.deepEqual(ids, ["ast", "clap", "hubert", "wav2vec2", "wavlm", "whisper"]);
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
