import { test } from "node:test";
import assert from "node:assert/strict";
import { FeatureExtractorInputError, normalizeAudioInput } from "../../src/features/index.js";
import { InvalidArgumentError } from "../../src/errors.js";

test("one waveform: Float32Array used as is, Float64Array and number[] cast to float32", () => {
  const f32 = Float32Array.from([0.1, -0.2]);
  const a = normalizeAudioInput(f32);
  assert.equal(a.isBatched, false);
  assert.equal(a.waveforms[0], f32, "no copy of float32 input");
  const b = normalizeAudioInput(Float64Array.from([0.1, -0.2]));
  assert.deepEqual(Array.from(b.waveforms[0]!), [Math.fround(0.1), Math.fround(-0.2)]);
  const c = normalizeAudioInput([0.1, -0.2]);
  assert.deepEqual(Array.from(c.waveforms[0]!), [Math.fround(0.1), Math.fround(-0.2)]);
});

test("a list of waveforms is a batch (any mix of array kinds)", () => {
  const batch = normalizeAudioInput([Float32Array.from([1]), [2, 3], Float64Array.from([4, 5, 6])]);
  assert.equal(batch.isBatched, true);
  assert.deepEqual(batch.waveforms.map((w) => Array.from(w)), [[1], [2, 3], [4, 5, 6]]);
});

function rejects(input: unknown, pattern: RegExp): void {
  assert.throws(() => normalizeAudioInput(input), (error: unknown) => {
    assert.ok(error instanceof FeatureExtractorInputError, `expected FeatureExtractorInputError, got ${String(error)}`);
    assert.ok(error instanceof InvalidArgumentError);
    assert.match((error as Error).message, pattern);
    return true;
  });
}

test("empty audio is refused with what would work", () => {
  rejects(new Float32Array(0), /audio is empty \(0 samples\); pass at least one sample/);
  rejects([], /audio is an empty array/);
  rejects([Float32Array.from([1]), []], /audio\[1\] is empty/);
});

test("NaN and Infinity are refused with the input and the first bad index", () => {
  rejects(Float32Array.from([0, 0.5, NaN, Infinity]), /audio has a non-finite sample \(NaN\) at index 2/);
  rejects([0, -Infinity], /audio has a non-finite sample \(-Infinity\) at index 1/);
  rejects([Float32Array.from([1, 2]), Float64Array.from([0, 0, 0, Infinity])], /audio\[1\] has a non-finite sample \(Infinity\) at index 3/);
  rejects(Float64Array.from([0, 1e39]), /non-finite sample \(1e\+39, which overflows float32\) at index 1/);
  rejects([0, 1e300], /overflows float32/);
});

test("2-D audio where a waveform must be 1-D is refused", () => {
  rejects([[[0.1, 0.2], [0.3, 0.4]]], /audio\[0\] is 2-D \(element 0 is Array\(2\)\); .*mono 1-D waveforms/);
  rejects([[Float32Array.from([1]), Float32Array.from([2])]], /audio\[0\] is 2-D/);
  rejects([0.5, [0.1]], /audio is 2-D \(element 1 is Array\(1\)\)/);
});

test("wrong types are refused, integer PCM with the conversion to use", () => {
  rejects(Int16Array.from([1, 2]), /Int16Array\(2\); .*convert integer PCM first, e\.g\. int16 \/ 32768/);
  rejects("clip.wav", /audio is "clip\.wav"; pass a mono waveform as Float32Array, Float64Array or number\[\]/);
  rejects(null, /audio is null/);
  rejects(undefined, /audio is undefined/);
  rejects([0.1, "0.2"], /audio\[1\] is "0\.2", not a number/);
  rejects([Float32Array.from([1]), 3], /audio\[1\] is number 3 but audio\[0\] is a waveform/);
  rejects(["a"], /audio\[0\] is "a"/);
});
