import { test } from "node:test";
import assert from "node:assert/strict";
import { pipeline, DEFAULT_ZERO_SHOT_MODEL } from "../../src/pipelines/index.js";
import { PipelineInputError } from "../../src/pipelines/errors.js";
import { fixturePath, modelDir, readJson } from "../helpers/fixtures.js";

test('pipeline("zero-shot-audio-classification", dir) gives Python\'s ranking', async () => {
  const zs = await pipeline("zero-shot-audio-classification", modelDir("clap"), { threads: 1 });
  const c = readJson("cases/clap/speech_16k.json");
  const call = c.zero_shot[0];
  const out = await zs(fixturePath(c.audio_file), { candidateLabels: call.call_kwargs.candidate_labels, decoder: "ffmpeg" });
  assert.deepEqual(out.map((x: { label: string }) => x.label), call.output.map((x: { label: string }) => x.label));
  out.forEach((x: { score: number }, i: number) => assert.ok(Math.abs(x.score - call.output[i].score) < 1e-5));
  await assert.rejects(
    zs({ sampling_rate: 48000, raw: [[0.1, 0.2], [0.3, 0.4]] as unknown as number[] }, { candidateLabels: ["a", "b"] }),
    (e: unknown) => e instanceof PipelineInputError && /ZeroShotAudioClassificationPipeline/.test(e.message),
  );
  assert.equal(DEFAULT_ZERO_SHOT_MODEL, "laion/clap-htsat-fused");
});
