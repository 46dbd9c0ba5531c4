import { test } from "node:test";
import assert from "node:assert/strict";
import { pipeline, DEFAULT_ZERO_SHOT_MODEL } from "../../src/pipelines/index.js";
import { PipelineInputError } from "../../src/pipelines/errors.js";
import { fixturePath, loadFloat, modelDir, readJson } from "../helpers/fixtures.js";
import { needsFfmpeg } from "../helpers/ffmpeg.js";

interface LabelScore {
  label: string;
  score: number;
}

function assertPythonRanking(out: LabelScore[], expected: LabelScore[]): void {
  assert.deepEqual(out.map((x) => x.label), expected.map((x) => x.label));
  out.forEach((x, i) => assert.ok(Math.abs(x.score - expected[i]!.score) < 1e-5));
}

test('pipeline("zero-shot-audio-classification", dir) gives Python\'s ranking', async () => {
  const zs = await pipeline("zero-shot-audio-classification", modelDir("clap"), { threads: 1 });
  const c = readJson("cases/clap/speech_16k.json");
  const call = c.zero_shot[0];
  assertPythonRanking(await zs(loadFloat(c.waveform), { candidateLabels: call.call_kwargs.candidate_labels }), call.output);
  await assert.rejects(
    zs({ sampling_rate: 48000, raw: [[0.1, 0.2], [0.3, 0.4]] as unknown as number[] }, { candidateLabels: ["a", "b"] }),
    (e: unknown) => e instanceof PipelineInputError && /ZeroShotAudioClassificationPipeline/.test(e.message),
  );
  assert.equal(DEFAULT_ZERO_SHOT_MODEL, "laion/clap-htsat-fused");
});

test('pipeline("zero-shot-audio-classification", dir) gives Python\'s ranking from the file, decoded by ffmpeg', needsFfmpeg, async () => {
  const zs = await pipeline("zero-shot-audio-classification", modelDir("clap"), { threads: 1 });
  const c = readJson("cases/clap/speech_16k.json");
  const call = c.zero_shot[0];
  assertPythonRanking(await zs(fixturePath(c.audio_file), { candidateLabels: call.call_kwargs.candidate_labels, decoder: "ffmpeg" }), call.output);
});
