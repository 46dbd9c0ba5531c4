/**
 * `dtype` through the pipelines: pipeline(task, model, { dtype }) loads the model in that
 * precision (converted weights cached where $AUDIOCLASS_CACHE says), and a call's results stay close
 * to fp32's (test/models/dtype-drift.test.ts bounds the logits; here the scores of a whole call).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "../../src/pipelines/index.js";
import { caseFiles, fixturePath, loadFloat, modelDir, readJson } from "../helpers/fixtures.js";

const cacheRoot = mkdtempSync(join(tmpdir(), "audioclass-pipeline-dtype-"));
after(() => rm(cacheRoot, { recursive: true, force: true }));

test("audio-classification: { dtype: \"q8\" } loads int8 weights into the cache that env names; scores within 0.065 of fp32", async () => {
  const env = { AUDIOCLASS_CACHE: cacheRoot };
  const [exact, quantized] = await Promise.all([
    pipeline("audio-classification", modelDir("whisper"), { threads: 1, cache: false }),
    pipeline("audio-classification", modelDir("whisper"), { threads: 1, cache: false, dtype: "q8", env }),
  ]);
  try {
    assert.equal(quantized.model.report.dtype, "q8");
    assert.equal(quantized.model.report.convertedWeights?.cache, "written");
    assert.equal(readdirSync(join(cacheRoot, "converted-weights")).length, 1);
    const file = fixturePath("audio/speech_16k.wav");
    const [a, b] = [await exact(file), await quantized(file)];
    const scoreOf = new Map(a.map((x) => [x.label, x.score]));
    for (const { label, score } of b) assert.ok(Math.abs(score - scoreOf.get(label)!) <= 0.065, `${label}: ${score} vs ${scoreOf.get(label)}`);
  } finally {
    await Promise.all([exact.dispose(), quantized.dispose()]);
  }
});

test("zero-shot-audio-classification: { dtype: \"fp16\" } gives fp32's label order, scores within 6e-4", async () => {
  const c = readJson(caseFiles("clap")[0]!); // long_12s: cropped at random, hence seed 0 for both pipelines
  const options = { candidateLabels: c.zero_shot[0].call_kwargs.candidate_labels };
  const [exact, halved] = await Promise.all([
    pipeline("zero-shot-audio-classification", modelDir("clap"), { threads: 1, cache: false, seed: 0 }),
    pipeline("zero-shot-audio-classification", modelDir("clap"), { threads: 1, cache: false, seed: 0, dtype: "fp16", weightsCacheDir: false }),
  ]);
  try {
    const waveform = loadFloat(c.waveform);
    const [a, b] = [await exact(waveform, options), await halved(waveform, options)];
    assert.deepEqual(b.map((x) => x.label), a.map((x) => x.label));
    b.forEach((x, i) => assert.ok(Math.abs(x.score - a[i]!.score) <= 6e-4, `${x.label}: ${x.score} vs ${a[i]!.score}`));
  } finally {
    await Promise.all([exact.dispose(), halved.dispose()]);
  }
});
