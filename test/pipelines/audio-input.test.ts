import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadAudioInput } from "../../src/pipelines/audio-input.js";
import { PipelineInputError } from "../../src/pipelines/errors.js";
import { fixturePath, loadFloat, maxAbsDiff, readJson } from "../helpers/fixtures.js";
import { needsFfmpeg } from "../helpers/ffmpeg.js";

test("arrays are taken as already at the model rate; float64 is cast to float32", async () => {
  const x = new Float32Array([0.1, -0.2, 0.3]);
  assert.equal(await loadAudioInput(x, 16000), x);
  const y = await loadAudioInput(Float64Array.from([0.1, -0.2]), 16000);
  assert.ok(y instanceof Float32Array);
  assert.deepEqual(Array.from(y), [Math.fround(0.1), Math.fround(-0.2)]);
  assert.deepEqual(Array.from(await loadAudioInput([0.5, 0.25], 16000)), [0.5, 0.25]);
});

test("{ sampling_rate, raw } and { samplingRate, array } are resampled like torchaudio", async () => {
  for (const name of ["speech_22k", "speech_8k", "tone_44k"]) {
    const d = readJson(`cases/ast/${name}.json`).dict_input;
    const raw = loadFloat(d.input);
    const expected = loadFloat(d.resampled);
    const a = await loadAudioInput({ sampling_rate: d.from_sampling_rate, raw }, 16000);
    const b = await loadAudioInput({ samplingRate: d.from_sampling_rate, array: raw, path: "ignored.wav" }, 16000);
    assert.ok(maxAbsDiff(a, expected) <= 1e-6, name);
    assert.deepEqual(a, b);
  }
  const same = new Float32Array(8);
  assert.equal(await loadAudioInput({ sampling_rate: 16000, raw: same }, 16000), same);
});

test("files: the ffmpeg decoder reproduces Python's ffmpeg_read", needsFfmpeg, async () => {
  for (const entry of readJson("decode/ffmpeg_read.json").entries) {
    const got = await loadAudioInput(fixturePath(entry.audio_file), entry.sampling_rate, { decoder: "ffmpeg" });
    assert.equal(maxAbsDiff(got, loadFloat(entry.output)), 0, entry.audio);
  }
});

test("files: the built-in decoder matches at the model rate (path or bytes)", async () => {
  const wav = fixturePath("audio/speech_16k.wav");
  const native = loadFloat({ dtype: "float32", shape: [51278, 1], file: "audio/speech_16k.native.bin" });
  assert.equal(maxAbsDiff(await loadAudioInput(wav, 16000), native), 0);
  assert.equal(maxAbsDiff(await loadAudioInput(readFileSync(wav), 16000), native), 0);
});

test("2-D audio and malformed dicts are refused with Python's message", async () => {
  const twoD = [[0.1, 0.2], [0.3, 0.4]] as unknown as number[];
  await assert.rejects(loadAudioInput(twoD, 16000), (e: unknown) => e instanceof PipelineInputError && /single channel audio input/.test(e.message));
  await assert.rejects(
    loadAudioInput({ sampling_rate: 48000, raw: [new Float32Array(4), new Float32Array(4)] as unknown as number[] }, 16000),
    (e: unknown) => e instanceof PipelineInputError && /single channel/.test(e.message),
  );
  await assert.rejects(loadAudioInput({ raw: new Float32Array(4) }, 16000), (e: unknown) => e instanceof PipelineInputError && /sampling_rate/.test(e.message));
  await assert.rejects(loadAudioInput({ sampling_rate: 0, raw: new Float32Array(4) }, 16000), PipelineInputError);
  await assert.rejects(loadAudioInput(42 as never, 16000), (e: unknown) => e instanceof PipelineInputError && /file path/.test(e.message));
  await assert.rejects(loadAudioInput(["a", 1] as never, 16000), PipelineInputError);
});
