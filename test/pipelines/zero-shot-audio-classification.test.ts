import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resample } from "../../src/audio/index.js";
import { PipelineInputError, PipelineOptionError } from "../../src/pipelines/errors.js";
import "../../src/models/node-platform.js"; // Node's model loaders (the entries install them; this test imports a pipeline file)
import { createZeroShotAudioClassificationPipeline } from "../../src/pipelines/zero-shot-audio-classification.js";
import type { LabelScore } from "../../src/pipelines/classification-scores.js";
import { caseFiles, fixturePath, loadArray, loadFloat, maxAbsDiff, modelDir, readJson } from "../helpers/fixtures.js";
import { needsFfmpeg } from "../helpers/ffmpeg.js";
import { FakeHub, fixtureFiles } from "../hub/fake-hub.js";
import { hubOptions, makeSandbox } from "../hub/hub-test-env.js";

const DIR = modelDir("clap");

interface ZeroShotEntry {
  call_kwargs: { candidate_labels: string[]; hypothesis_template?: string };
  output: LabelScore[];
  output_from_file: LabelScore[];
  text_embeds: Parameters<typeof loadArray>[0];
  audio_embeds: Parameters<typeof loadArray>[0];
  sequences: string[];
}

function assertSameResult(got: LabelScore[], want: LabelScore[], what: string): void {
  assert.deepEqual(got.map((r) => r.label), want.map((r) => r.label), `${what}: order`);
  got.forEach((r, i) => assert.ok(Math.abs(r.score - want[i]!.score) <= 1e-5, `${what}: ${r.label} ${r.score} vs ${want[i]!.score}`));
}

/** Every recorded clip and label set: `run` scores the clips with one call's options. */
async function forEachRecordedCall(run: (options: { candidateLabels: string[]; hypothesisTemplate?: string; seed: number }, entries: ZeroShotEntry[]) => Promise<void>): Promise<void> {
  const cases = caseFiles("clap").map((file) => readJson(file));
  for (let k = 0; k < 4; k++) {
    const entries: ZeroShotEntry[] = cases.map((c) => c.zero_shot[k]);
    const kwargs = entries[0]!.call_kwargs;
    assert.ok(entries.every((e) => JSON.stringify(e.call_kwargs) === JSON.stringify(kwargs)));
    // the long clip's crop is random: Python ran np.random.seed(0) before each call
    await run({ candidateLabels: kwargs.candidate_labels, hypothesisTemplate: kwargs.hypothesis_template, seed: 0 }, entries);
  }
}

test("fixture: every clip and label set, from the array, in Python's order within 1e-5", async () => {
  const zs = await createZeroShotAudioClassificationPipeline(DIR, { threads: 1 });
  try {
    const cases = caseFiles("clap").map((file) => readJson(file));
    const waveforms = cases.map((c) => loadFloat(c.waveform));
    await forEachRecordedCall(async (options, entries) => {
      const fromArrays = await Promise.all(waveforms.map((w) => zs(w, options)));
      cases.forEach((c, i) => assertSameResult(fromArrays[i]!, entries[i]!.output, `${c.audio} ${options.candidateLabels} (array)`));
    });
  } finally {
    await zs.dispose();
  }
});

test("fixture: every clip and label set, from the file (decoder ffmpeg), in Python's order within 1e-5", needsFfmpeg, async () => {
  const zs = await createZeroShotAudioClassificationPipeline(DIR, { threads: 1, decoder: "ffmpeg" });
  try {
    const cases = caseFiles("clap").map((file) => readJson(file));
    const files = cases.map((c) => fixturePath(c.audio_file));
    await forEachRecordedCall(async (options, entries) => {
      // concurrent calls: the ffmpeg decodes overlap (each call still runs alone through the model)
      const fromFiles = await Promise.all(files.map((f) => zs(f, options)));
      cases.forEach((c, i) => assertSameResult(fromFiles[i]!, entries[i]!.output_from_file, `${c.audio} ${options.candidateLabels} (file)`));
    });
  } finally {
    await zs.dispose();
  }
});

test("the text tower runs once per label set; calls with the same labels reuse its embeddings", async () => {
  const zs = await createZeroShotAudioClassificationPipeline(DIR, { threads: 1, textCacheSize: 2 });
  try {
    let textRuns = 0;
    const original = zs.model.textEmbeddings.bind(zs.model);
    zs.model.textEmbeddings = (inputs) => {
      textRuns++;
      return original(inputs);
    };
    const c = readJson("cases/clap/speech_16k.json");
    const w = loadFloat(c.waveform);
    const labels = ["dog barking", "a person speaking", "music"];
    const first = await zs(w, { candidateLabels: labels });
    const second = await zs(w, { candidateLabels: labels });
    assert.equal(textRuns, 1);
    assert.deepEqual(second, first);
    await zs(w, { candidateLabels: labels, hypothesisTemplate: "a recording of {}" });
    await zs([w, w], { candidateLabels: ["rain", "a siren"] });
    assert.equal(textRuns, 3);
    await zs(w, { candidateLabels: labels, hypothesisTemplate: "a recording of {}" });
    assert.equal(textRuns, 3, "still cached");
    await zs(w, { candidateLabels: labels });
    assert.equal(textRuns, 4, "evicted: the cache holds 2 label sets");
  } finally {
    await zs.dispose();
  }
});

test("getTextEmbeddings and getAudioEmbeddings give Python's text_embeds and audio_embeds", async () => {
  const zs = await createZeroShotAudioClassificationPipeline(DIR, { threads: 1 });
  try {
    const c = readJson("cases/clap/speech_22k.json");
    const z: ZeroShotEntry = c.zero_shot[2];
    const text = await zs.getTextEmbeddings(z.sequences);
    assert.deepEqual(text.dims, [4, 16]);
    assert.ok(maxAbsDiff(text.data, loadArray(z.text_embeds)) < 1e-4);
    const audio = await zs.getAudioEmbeddings(loadFloat(c.waveform));
    assert.deepEqual(audio.dims, [1, 16]);
    assert.ok(maxAbsDiff(audio.data, loadArray(z.audio_embeds)) < 1e-4);
    // unit length, ready for cosine similarity
    assert.ok(Math.abs(Math.hypot(...audio.data) - 1) < 1e-6);
  } finally {
    await zs.dispose();
  }
});

test("getAudioEmbeddings on a batch of an array and a file (decoder ffmpeg) gives Python's audio_embeds, unit length", needsFfmpeg, async () => {
  const zs = await createZeroShotAudioClassificationPipeline(DIR, { threads: 1 });
  try {
    const c = readJson("cases/clap/speech_22k.json");
    const other = readJson("cases/clap/tone_44k.json");
    const both = await zs.getAudioEmbeddings([loadFloat(c.waveform), fixturePath(other.audio_file)], { batchSize: 2, decoder: "ffmpeg" });
    assert.deepEqual(both.dims, [2, 16]);
    assert.ok(maxAbsDiff(both.data.subarray(16), loadArray(other.zero_shot[0].audio_embeds)) < 1e-4);
    // unit length, ready for cosine similarity
    const norm = Math.hypot(...both.data.subarray(0, 16));
    assert.ok(Math.abs(norm - 1) < 1e-6);
  } finally {
    await zs.dispose();
  }
});

test("inputs beyond Python: { samplingRate, raw } is resampled, bytes and lists work, batchSize does not change results", async () => {
  const zs = await createZeroShotAudioClassificationPipeline(DIR, { threads: 1, hypothesisTemplate: "a recording of {}" });
  try {
    const options = { candidateLabels: ["dog barking", "a person speaking", "music"] };
    const native = new Float32Array(readFileSync(fixturePath("audio/speech_16k.native.bin")).buffer.slice(0));
    const fromDict = await zs({ samplingRate: 16000, raw: native }, options);
    const direct = await zs(resample(native, 16000, 48000), options);
    assert.deepEqual(fromDict, direct);
    const expected = readJson("cases/clap/speech_16k.json").zero_shot[1].output;
    // the construction-time template is the default for calls; torchaudio's resampler is not ffmpeg's
    assert.deepEqual(fromDict.map((r) => r.label), expected.map((r: LabelScore) => r.label));

    const bytes = new Uint8Array(readFileSync(fixturePath("audio/tone_44k.wav")));
    const list = [fixturePath("audio/short_0p3s.wav"), bytes, loadFloat(readJson("cases/clap/noise_16k_float.json").waveform)];
    const one = await zs(list, options);
    const batched = await zs(list, { ...options, batchSize: 3 });
    assert.equal(one.length, 3);
    one.forEach((r, i) => assertSameResult(batched[i]!, r, `item ${i}`));
    assert.deepEqual(await zs([], options), []);
    assert.deepEqual(await zs(fixturePath("audio/tone_44k.wav"), { candidateLabels: "dog barking, music" }), await zs(bytes, { candidateLabels: ["dog barking", "music"] }));
  } finally {
    await zs.dispose();
  }
});

test("the template is applied as Python's str.format; duplicates are kept and ties keep the candidate order", async () => {
  const zs = await createZeroShotAudioClassificationPipeline(DIR, { threads: 1 });
  try {
    const w = loadFloat(readJson("cases/clap/speech_16k.json").waveform);
    const result = await zs(w, { candidateLabels: ["music", "rain"], hypothesisTemplate: "{{{0}}}" });
    // the same numbers by hand: texts "{music}" and "{rain}", softmax over the scaled similarities
    const logits = zs.model.logitsPerAudio(await zs.getAudioEmbeddings(w), await zs.getTextEmbeddings(["{music}", "{rain}"]));
    const e = Array.from(logits.data, Math.exp);
    const byLabel = new Map(result.map((r) => [r.label, r.score]));
    assert.ok(Math.abs(byLabel.get("music")! - e[0]! / (e[0]! + e[1]!)) < 1e-6);
    const same = await zs(w, { candidateLabels: ["music", "dog barking", "music"] });
    assert.deepEqual(same.map((r) => r.label).filter((l) => l === "music").length, 2);
    const [first, second] = same.filter((r) => r.label === "music");
    assert.equal(first!.score, second!.score);
  } finally {
    await zs.dispose();
  }
});

test("bad options and inputs are typed errors that say what works", async () => {
  const zs = await createZeroShotAudioClassificationPipeline(DIR, { threads: 1 });
  try {
    const w = new Float32Array(48000);
    await assert.rejects(zs(w, undefined as never), (e: unknown) => e instanceof PipelineOptionError && /candidateLabels/.test(e.message));
    await assert.rejects(zs(w, { candidateLabels: [] }), /non-empty list of labels/);
    await assert.rejects(zs(w, { candidateLabels: ["a", 3 as unknown as string] }), /candidateLabels\[1\] must be a string/);
    await assert.rejects(zs(w, { candidateLabels: ["a"], hypothesisTemplate: "a sound" }), /has no "\{\}"/);
    await assert.rejects(zs(w, { candidateLabels: ["a"], hypothesisTemplate: "a {label}" }), /field "\{label\}"/);
    await assert.rejects(zs(w, { candidateLabels: ["a"], hypothesisTemplate: "a } {}" }), /single "\}"/);
    await assert.rejects(zs(w, { candidateLabels: ["a"], batchSize: 0 }), /batchSize must be a positive integer/);
    await assert.rejects(zs(w, { candidateLabels: ["a"], decoder: "sox" as "ffmpeg" }), /decoder must be/);
    await assert.rejects(zs({ samplingRate: 16000, raw: [[0.1], [0.2]] as unknown as number[] }, { candidateLabels: ["a"] }), PipelineInputError);
    await assert.rejects(zs(w, { candidateLabels: ["dog ".repeat(80)] }), /at most 64/);
    await assert.rejects(zs(fixturePath("audio/does-not-exist.wav"), { candidateLabels: ["a"] }), /does-not-exist/);
  } finally {
    await zs.dispose();
  }
  await assert.rejects(createZeroShotAudioClassificationPipeline(modelDir("ast")), (e: unknown) => e instanceof PipelineInputError && /ClapFeatureExtractor/.test(e.message));
  await assert.rejects(createZeroShotAudioClassificationPipeline(DIR, { hypothesisTemplate: "no placeholder" }), PipelineOptionError);
  await assert.rejects(createZeroShotAudioClassificationPipeline(DIR, { seed: -1 }), /seed must be an integer/);
});


test("a hub id is resolved through the cache: downloaded once (tokenizer files included), then used offline", async () => {
  const hub = await new FakeHub().start();
  const box = makeSandbox();
  try {
    hub.addRepo({ id: "acme/tiny-clap", files: fixtureFiles("clap") });
    const c = readJson("cases/clap/speech_16k.json");
    const expected: LabelScore[] = c.zero_shot[3].output;
    const online = await createZeroShotAudioClassificationPipeline("acme/tiny-clap", { ...hubOptions(hub, box), threads: 1, cache: false });
    try {
      assertSameResult(await online(loadFloat(c.waveform), { candidateLabels: ["rain", "a siren"] }), expected, "downloaded");
    } finally {
      await online.dispose();
    }
    await hub.close();
    const offline = await createZeroShotAudioClassificationPipeline("acme/tiny-clap", { ...hubOptions(undefined, box), localFilesOnly: true, threads: 1, cache: false });
    try {
      assertSameResult(await offline(loadFloat(c.waveform), { candidateLabels: ["rain", "a siren"] }), expected, "cached");
    } finally {
      await offline.dispose();
    }
  } finally {
    await hub.close().catch(() => undefined);
    box.cleanup();
  }
});
