import { test } from "node:test";
import assert from "node:assert/strict";
import { FeatureExtractorInputError, padWaveforms } from "../../src/features/index.js";
import { float32Moments, numpySumFloat32, pairwiseSumFloat32 } from "../../src/features/float32-statistics.js";

const a = Float32Array.from([1, 2, 3]);
const b = Float32Array.from([4, 5, 6, 7, 8]);
const base = { paddingValue: 0, paddingSide: "right" } as const;

function rows(batch: { values: Float32Array; length: number; batchSize: number }): number[][] {
  return Array.from({ length: batch.batchSize }, (_, i) => Array.from(batch.values.subarray(i * batch.length, (i + 1) * batch.length)));
}

test("padding true / longest pads to the longest example with a 0/1 int32 mask", () => {
  for (const padding of [true, "longest"] as const) {
    const batch = padWaveforms([a, b], { ...base, padding });
    assert.deepEqual(rows(batch), [[1, 2, 3, 0, 0], [4, 5, 6, 7, 8]]);
    assert.ok(batch.attentionMask instanceof Int32Array);
    assert.deepEqual(Array.from(batch.attentionMask), [1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(batch.lengths), [3, 5]);
  }
});

test("max_length pads to maxLength; truncation cuts to it; pad_to_multiple_of rounds both up", () => {
  assert.deepEqual(rows(padWaveforms([a], { ...base, padding: "max_length", maxLength: 6 })), [[1, 2, 3, 0, 0, 0]]);
  assert.deepEqual(rows(padWaveforms([a, b], { ...base, padding: "max_length", maxLength: 4, truncation: true })), [[1, 2, 3, 0], [4, 5, 6, 7]]);
  assert.deepEqual(rows(padWaveforms([a, b], { ...base, padding: true, padToMultipleOf: 4 })), [[1, 2, 3, 0, 0, 0, 0, 0], [4, 5, 6, 7, 8, 0, 0, 0]]);
  // truncation limit is max_length rounded up to the multiple (transformers' _truncate)
  assert.deepEqual(rows(padWaveforms([b], { ...base, padding: false, maxLength: 3, truncation: true, padToMultipleOf: 2 })), [[4, 5, 6, 7]]);
  // a single over-long example without truncation is left whole, as in Python
  assert.deepEqual(rows(padWaveforms([b], { ...base, padding: "max_length", maxLength: 3 })), [[4, 5, 6, 7, 8]]);
});

test("padding value and left padding side", () => {
  const left = padWaveforms([a, b], { padding: true, paddingValue: -1, paddingSide: "left" });
  assert.deepEqual(rows(left), [[-1, -1, 1, 2, 3], [4, 5, 6, 7, 8]]);
  assert.deepEqual(Array.from(left.attentionMask), [0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(left.offsets), [2, 0]);
});

test("padding false keeps equal lengths and refuses ragged batches", () => {
  const same = padWaveforms([a, Float32Array.from([7, 8, 9])], { ...base, padding: false });
  assert.equal(same.padded, false);
  assert.deepEqual(rows(same), [[1, 2, 3], [7, 8, 9]]);
  assert.throws(() => padWaveforms([a, b], { ...base, padding: false }), /different lengths \(3, 5 samples\) without padding; pass padding: true/);
  assert.throws(() => padWaveforms([a, b], { ...base, padding: "max_length", maxLength: 4 }), /more than maxLength 4.*truncation: true/);
});

test("bad padding options raise FeatureExtractorInputError", () => {
  assert.throws(() => padWaveforms([a], { ...base, padding: "max_length" }), /needs maxLength/);
  assert.throws(() => padWaveforms([a], { ...base, padding: true, truncation: true }), /truncation needs maxLength/);
  assert.throws(() => padWaveforms([a], { ...base, padding: "repeatpad" as never }), FeatureExtractorInputError);
  assert.throws(() => padWaveforms([a], { ...base, padding: true, maxLength: 0 }), /maxLength must be a positive integer/);
  assert.throws(() => padWaveforms([a], { ...base, padding: true, padToMultipleOf: 1.5 }), /padToMultipleOf/);
});

test("numpy-style float32 sums: sequential below 8, pairwise blocks above, 8192-element buffers", () => {
  const small = Float32Array.from([1e8, 1, 1, 1]);
  assert.equal(pairwiseSumFloat32(small, 0, 4), Math.fround(Math.fround(Math.fround(1e8 + 1) + 1) + 1));
  // 16 values: eight accumulators, so the ones are summed among themselves before meeting 1e8
  const block = new Float32Array(16).fill(1);
  block[0] = 1e8;
  const expected = Math.fround(Math.fround(Math.fround(Math.fround(1e8 + 1) + 2) + Math.fround(2 + 2)) + Math.fround(Math.fround(2 + 2) + Math.fround(2 + 2)));
  assert.equal(pairwiseSumFloat32(block, 0, 16), expected);
  const big = new Float32Array(20000).fill(0.1);
  const buffered = Math.fround(Math.fround(pairwiseSumFloat32(big, 0, 8192) + pairwiseSumFloat32(big, 8192, 8192)) + pairwiseSumFloat32(big, 16384, 3616));
  assert.equal(numpySumFloat32(big, 0, 20000), buffered);
  assert.ok(Math.abs(numpySumFloat32(big, 0, 20000) - 2000) < 1e-2);
  const { mean, variance } = float32Moments(Float32Array.from([1, 2, 3, 4]), 0, 4);
  assert.equal(mean, 2.5);
  assert.equal(variance, 1.25);
});
