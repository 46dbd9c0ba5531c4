import { test } from "node:test";
import assert from "node:assert/strict";
import {
  FeatureExtractorInputError,
  SamplingRateMismatchError,
  Wav2Vec2FeatureExtractor,
  WhisperFeatureExtractor,
} from "../../src/features/index.js";
import { AudioclassError, InvalidArgumentError } from "../../src/errors.js";
import { fixtureExtractor, testSignal } from "./fixture-cases.js";

test("calling the extractor is the same as extract()", () => {
  const fe = fixtureExtractor("whisper");
  const clip = testSignal(8000, 16000);
  const a = fe(clip, { samplingRate: 16000 });
  const b = fe.extract(clip, { samplingRate: 16000 });
  assert.deepEqual(a["input_features"]!.dims, b["input_features"]!.dims);
  assert.deepEqual(Array.from(a["input_features"]!.data), Array.from(b["input_features"]!.data));
});

test("config values are read-only properties", () => {
  const fe = new Wav2Vec2FeatureExtractor({ sampling_rate: 16000 });
  assert.throws(() => {
    (fe as { samplingRate: number }).samplingRate = 8000;
  }, TypeError);
  assert.throws(() => {
    (fe as unknown as { doNormalize: boolean }).doNormalize = false;
  }, TypeError);
  assert.equal(fe.samplingRate, 16000);
  assert.ok(Object.isFrozen(fe.modelInputNames));
  assert.ok(Object.isFrozen(fe.config));
  assert.equal(JSON.parse(JSON.stringify(fe))["feature_extractor_type"], "Wav2Vec2FeatureExtractor");
});

test("a sampling-rate mismatch raises with Python's message and both rates", () => {
  const fe = fixtureExtractor("ast");
  assert.throws(
    () => fe(testSignal(1000, 22050), { samplingRate: 22050 }),
    (e: unknown) => {
      assert.ok(e instanceof SamplingRateMismatchError);
      assert.ok(e instanceof FeatureExtractorInputError && e instanceof InvalidArgumentError && e instanceof AudioclassError);
      assert.equal(e.expected, 16000);
      assert.equal(e.actual, 22050);
      assert.equal(e.code, "INVALID_ARGUMENT");
      assert.match(
        e.message,
        /The model corresponding to this feature extractor: ASTFeatureExtractor was trained using a sampling rate of 16000\. Please make sure that the provided audio input was sampled with 16000 and not 22050 \(resample it to 16000 Hz first/,
      );
      return true;
    },
  );
  assert.throws(() => fe(testSignal(1000, 16000), { samplingRate: -5 }), /samplingRate must be a positive number of Hz/);
});

test("a missing samplingRate only warns, once per extractor (as Python logs a warning)", async () => {
  const warnings: string[] = [];
  const listener = (w: Error) => warnings.push(w.message);
  process.on("warning", listener);
  try {
    const fe = new WhisperFeatureExtractor({ chunk_length: 1 });
    fe(testSignal(4000, 16000));
    fe(testSignal(4000, 16000));
    await new Promise((resolve) => setImmediate(resolve));
    const ours = warnings.filter((m) => m.includes("samplingRate"));
    assert.equal(ours.length, 1);
    assert.match(ours[0]!, /pass the `samplingRate` option to WhisperFeatureExtractor; audioclass assumes the audio is at 16000 Hz/);
  } finally {
    process.off("warning", listener);
  }
});

test("unknown or malformed options are refused, with the camelCase name for snake_case keys", () => {
  const fe = fixtureExtractor("wav2vec2");
  const clip = testSignal(1000, 16000);
  assert.throws(() => fe(clip, { sampling_rate: 16000 } as never), (e: unknown) => {
    assert.ok(e instanceof FeatureExtractorInputError);
    assert.match((e as Error).message, /unknown feature extractor option "sampling_rate" \(did you mean samplingRate\?\); valid options are samplingRate, padding/);
    return true;
  });
  assert.throws(() => fe(clip, { topK: 3 } as never), /unknown feature extractor option "topK"; valid options/);
  assert.throws(() => fe(clip, 16000 as never), /options must be an object like \{ samplingRate: 16000 \}/);
});

test("bad audio reaches every extractor as the same typed errors", () => {
  for (const model of ["ast", "wav2vec2", "whisper", "clap"]) {
    const fe = fixtureExtractor(model);
    const rate = fe.samplingRate;
    assert.throws(() => fe(new Float32Array(0), { samplingRate: rate }), FeatureExtractorInputError, model);
    assert.throws(() => fe(Float32Array.from([0, NaN]), { samplingRate: rate }), /non-finite sample \(NaN\) at index 1/, model);
    assert.throws(() => fe([[[0, 1]]] as never, { samplingRate: rate }), /audio\[0\] is 2-D/, model);
    assert.throws(() => fe("speech.wav" as never, { samplingRate: rate }), FeatureExtractorInputError, model);
  }
});
