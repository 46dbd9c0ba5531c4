/**
 * The audio-classification pipeline against every recorded Python pipeline call: same labels in
 * the same order, scores within 1e-5 (raw logits, function "none", within 1e-4).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { AudioClassificationPipeline, callablePipeline, pipeline, type AudioClassifier } from "../../src/pipelines/index.js";
import { PipelineInputError, PipelineOptionError } from "../../src/pipelines/errors.js";
import { caseFiles, fixturePath, loadFloat, modelDir, readJson } from "../helpers/fixtures.js";
import { needsFfmpeg } from "../helpers/ffmpeg.js";

const MODELS = ["ast", "wav2vec2", "hubert", "wavlm", "whisper", "unispeech", "unispeech-sat", "sew", "sew-d", "wav2vec2-conformer-relative", "wav2vec2-conformer-rotary", "wav2vec2-bert"];

interface Expected {
  label: string;
  score: number;
}

function assertSameOutput(got: Expected[], expected: Expected[], what: string, tolerance = 1e-5): void {
  assert.deepEqual(got.map((x) => x.label), expected.map((x) => x.label), `${what}: labels`);
  got.forEach((x, i) => {
    const d = Math.abs(x.score - expected[i]!.score);
    assert.ok(d <= tolerance, `${what}: score #${i} ${x.score} vs ${expected[i]!.score} (diff ${d})`);
  });
}

interface RecordedCall {
  name: string;
  call_kwargs: Record<string, unknown>;
  init_kwargs: Record<string, unknown>;
  output: Expected[];
}

/** Raw logits (function "none") are compared within 1e-4, probabilities within 1e-5. */
function toleranceFor(p: RecordedCall): number {
  return (p.call_kwargs["function_to_apply"] ?? p.init_kwargs["function_to_apply"]) === "none" ? 1e-4 : 1e-5;
}

function callOptions(kwargs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ("top_k" in kwargs) out["topK"] = kwargs["top_k"];
  if ("function_to_apply" in kwargs) out["functionToApply"] = kwargs["function_to_apply"];
  return out;
}

/**
 * Dict inputs are resampled by our resampler, which is within 1 float32 ulp of torchaudio's, not
 * bit-exact. Wav2Vec2-BERT's per-bin normalised fbank amplifies that where a band is empty (8 kHz
 * audio upsampled: 1 ulp of waveform moves the 7.5 kHz bin by 1e-2), so for it the dict calls are
 * checked in two parts: everything after the resampler at the usual 1e-5, fed torchaudio's own
 * resampled waveform (recorded in the fixture), and the end-to-end call for Python's label order.
 * The remaining gap is the resampler's last ulp (see the issue notes), not a looser tolerance.
 */
const RESAMPLER_ULP_SENSITIVE = new Set(["wav2vec2-bert"]);

const pipelines = new Map<string, AudioClassifier>();
async function classifierFor(model: string): Promise<AudioClassifier> {
  let p = pipelines.get(model);
  if (!p) {
    p = await pipeline("audio-classification", modelDir(model), { threads: 1 });
    pipelines.set(model, p);
  }
  return p;
}

for (const model of MODELS) {
  test(`${model}: every recorded pipeline call (waveform, file, dict, init options) matches Python`, async () => {
    const classify = await classifierFor(model);
    for (const file of caseFiles(model)) {
      const c = readJson(file);
      const waveform = loadFloat(c.waveform);
      const byName = new Map<string, { output: Expected[] }>(c.pipeline.map((p: { name: string; output: Expected[] }) => [p.name, p]));
      for (const p of c.pipeline) {
        const what = `${file} ${p.name}`;
        const tolerance = toleranceFor(p);
        if (p.name === "from_file") {
          // Python decoded the file with ffmpeg: the built-in decoder gives the same waveform only
          // for mono files at the model's rate (the ffmpeg decoder is checked in the next test).
          const path = fixturePath(c.audio_file);
          const audio = readJson("audio/audio.json").audio.find((a: { name: string }) => a.name === c.audio);
          if (audio.sampling_rate === classify.samplingRate && audio.channels === 1) {
            assertSameOutput(await classify(path), p.output, `${what} (built-in decoder)`, tolerance);
          }
          continue;
        }
        if (p.name.startsWith("init_")) {
          // Our semantics: construction options are defaults a call may override.
          const custom = callablePipeline(new AudioClassificationPipeline(classify.model, classify.featureExtractor, callOptions(p.init_kwargs)));
          const merged = { ...p.init_kwargs, ...p.call_kwargs };
          const reference = merged.function_to_apply === "sigmoid" ? byName.get("sigmoid")! : byName.get("default")!;
          const expected = reference.output.slice(0, merged.top_k ?? reference.output.length);
          assertSameOutput(await custom(waveform, callOptions(p.call_kwargs)), expected, what, tolerance);
          continue;
        }
        assertSameOutput(await classify(waveform, callOptions(p.call_kwargs)), p.output, what, tolerance);
      }
      const d = c.dict_input;
      if (d.error) {
        const native = loadFloat(readJson("audio/audio.json").audio.find((a: { name: string }) => a.name === c.audio).native);
        const frames = Array.from({ length: 2 }, (_, ch) => native.filter((_, i) => i % 2 === ch));
        await assert.rejects(classify({ sampling_rate: d.from_sampling_rate, raw: frames as unknown as number[] }), (e: unknown) => e instanceof PipelineInputError && /single channel/.test(e.message));
        continue;
      }
      const raw = loadFloat(d.input);
      for (const p of d.pipeline) {
        const input = p.input_key === "array" ? { sampling_rate: d.from_sampling_rate, array: raw } : { sampling_rate: d.from_sampling_rate, raw };
        const got = await classify(input, callOptions(p.call_kwargs));
        if (!RESAMPLER_ULP_SENSITIVE.has(model) || d.resampled_by_pipeline !== true) {
          assertSameOutput(got, p.output, `${file} dict ${p.name}`);
          continue;
        }
        assert.deepEqual(got.map((x) => x.label), p.output.map((x: Expected) => x.label), `${file} dict ${p.name}: labels`);
        assertSameOutput(await classify(loadFloat(d.resampled), callOptions(p.call_kwargs)), p.output, `${file} dict ${p.name} (torchaudio's resampled waveform)`);
      }
    }
  });

  test(`${model}: every recorded call on a file matches Python with decoder "ffmpeg"`, needsFfmpeg, async () => {
    const classify = await classifierFor(model);
    let calls = 0;
    for (const file of caseFiles(model)) {
      const c = readJson(file);
      for (const p of (c.pipeline as RecordedCall[]).filter((p) => p.name === "from_file")) {
        assertSameOutput(await classify(fixturePath(c.audio_file), { decoder: "ffmpeg" }), p.output, `${file} ${p.name} (ffmpeg)`, toleranceFor(p));
        calls++;
      }
    }
    assert.ok(calls > 0, `no recorded file calls for ${model}`);
  });

  test(`${model}: a list input with batchSize 2 equals Python's list output`, async () => {
    const classify = await classifierFor(model);
    const list = readJson(`cases/${model}/_list_input.json`);
    const inputs: Float32Array[] = list.inputs.map((i: { waveform: never }) => loadFloat(i.waveform));
    for (const batchSize of [1, 2]) {
      const results = await classify(inputs, { ...callOptions(list.call_kwargs), batchSize });
      assert.equal(results.length, inputs.length);
      results.forEach((r: Expected[], i: number) => assertSameOutput(r, list.output[i], `${model} list #${i} batchSize ${batchSize}`));
    }
  });
}

for (const model of [...MODELS, "default"]) {
  test(`${model}: clips of different lengths in one batch give their one-by-one results`, async () => {
    const classify = model === "default" ? await pipeline("audio-classification", undefined, { threads: 1 }) : await classifierFor(model);
    // All shorter than every model's input length (the default model takes 1 s), then with one
    // longer: Whisper pads each clip to its fixed length, Wav2Vec2 to the longest in the batch.
    const lengths = [0.2, 0.45, 0.7, 12].map((s) => Math.round(s * classify.samplingRate));
    const clips = lengths.map((n, k) => Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin((i * (k + 1)) / 7) + 0.01 * Math.cos(i * 0.37)));
    const alone = await classify(clips, { batchSize: 1 });
    for (const batchSize of [3, 4]) {
      const batched = await classify(clips, { batchSize });
      batched.forEach((r, i) => assertSameOutput(r, alone[i]!, `${model} clip ${i}, batchSize ${batchSize}`));
    }
    if (model === "default") await classify.dispose();
  });
}

test("options: unknown keys, Python spellings and bad values get typed errors", async () => {
  const classify = await classifierFor("ast");
  const x = loadFloat(readJson("cases/ast/speech_16k.json").waveform);
  await assert.rejects(classify(x, { top_k: 2 } as never), (e: unknown) => e instanceof PipelineOptionError && /did you mean topK/.test(e.message));
  await assert.rejects(classify(x, { functionToApply: "relu" as never }), (e: unknown) => e instanceof PipelineOptionError && /Valid options are \['softmax', 'sigmoid', 'none'\]/.test(e.message));
  await assert.rejects(classify(x, { batchSize: 0 }), PipelineOptionError);
  await assert.rejects(classify(x, { decoder: "sox" as never }), PipelineOptionError);
  assert.throws(() => new AudioClassificationPipeline(classify.model, classify.featureExtractor, { topK: -1 }), PipelineOptionError);
  assert.deepEqual(await classify([]), []);
  // an explicit null at call time means all labels even with a construction default
  const top2 = callablePipeline(new AudioClassificationPipeline(classify.model, classify.featureExtractor, { topK: 2 }));
  assert.equal((await top2(x)).length, 2);
  assert.equal((await top2(x, { topK: null })).length, 8);
});

test("a missing model folder and an unknown task are explained", async () => {
  await assert.rejects(pipeline("audio-classification", "/nonexistent/model-dir"), /nonexistent/);
  await assert.rejects(pipeline("text-classification" as never, modelDir("ast")), (e: unknown) => e instanceof PipelineOptionError && /audio-classification/.test(e.message));
});
