/**
 * Long audio as a timeline: windows slide over a stream (the last is the first to reach the
 * end), events merge consecutive windows, and a file assembled from FSDD digits at known offsets
 * gives, for each window starting where a digit starts, exactly the clip's own scores.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav, readAudio } from "../../src/audio/index.js";
import { pipeline, slideWindows, timelineEvents, type LabelScore, type Segment } from "../../src/pipelines/index.js";
import { PipelineOptionError } from "../../src/pipelines/errors.js";
import { fixturePath, modelDir } from "../helpers/fixtures.js";

/** Same labels in the same order, scores within 1e-6 (windows run in batches: float32 summation order differs). */
function assertSameScores(got: ReadonlyArray<{ label: string; score: number }>, want: ReadonlyArray<{ label: string; score: number }>, what: string): void {
  assert.deepEqual(got.map((p) => p.label), want.map((p) => p.label), `${what}: labels`);
  got.forEach((p, i) => assert.ok(Math.abs(p.score - want[i]!.score) <= 1e-6, `${what}: ${p.label} ${p.score} vs ${want[i]!.score}`));
}

async function* chunked(samples: Float32Array, size: number): AsyncGenerator<Float32Array> {
  for (let i = 0; i < samples.length; i += size) yield samples.subarray(i, i + size);
}

async function windowsOf(length: number, window: number, hop: number, chunk = 7): Promise<Array<[number, number]>> {
  const samples = Float32Array.from({ length }, (_, i) => i);
  const out: Array<[number, number]> = [];
  for await (const w of slideWindows(chunked(samples, chunk), window, hop)) {
    assert.equal(w.samples[0], w.startSample, "a window holds its own samples");
    out.push([w.startSample, w.startSample + w.samples.length]);
  }
  return out;
}

test("windows start every hop; the last is the first that reaches the end", async () => {
  assert.deepEqual(await windowsOf(10, 4, 2), [[0, 4], [2, 6], [4, 8], [6, 10]]);
  assert.deepEqual(await windowsOf(11, 4, 2), [[0, 4], [2, 6], [4, 8], [6, 10], [8, 11]]);
  assert.deepEqual(await windowsOf(3, 4, 2), [[0, 3]]);
  assert.deepEqual(await windowsOf(10, 4, 4), [[0, 4], [4, 8], [8, 10]]);
  assert.deepEqual(await windowsOf(10, 2, 5), [[0, 2], [5, 7]], "a hop longer than the window leaves gaps; nothing reaches the end after 5..7 but 10 > 7");
  assert.deepEqual(await windowsOf(1000, 100, 30, 1), await windowsOf(1000, 100, 30, 333), "chunking does not matter");
});

test("events: runs of the same top label (softmax); each label over the threshold (sigmoid)", () => {
  const seg = (start: number, ...scores: Array<[string, number]>): Segment => ({ start, end: start + 1, predictions: scores.map(([label, score]) => ({ label, score })) });
  const segments = [seg(0, ["dog", 0.9], ["cat", 0.1]), seg(1, ["dog", 0.7], ["cat", 0.6]), seg(2, ["cat", 0.8], ["dog", 0.55]), seg(3, ["cat", 0.4], ["dog", 0.3])];
  assert.deepEqual(timelineEvents(segments, { multiLabel: false, threshold: -Infinity }), [
    { label: "dog", start: 0, end: 2, score: 0.9 },
    { label: "cat", start: 2, end: 4, score: 0.8 },
  ]);
  assert.deepEqual(timelineEvents(segments, { multiLabel: true, threshold: 0.5 }), [
    { label: "dog", start: 0, end: 3, score: 0.9 },
    { label: "cat", start: 1, end: 3, score: 0.8 },
  ]);
  assert.deepEqual(timelineEvents(segments, { multiLabel: false, threshold: 0.75 }), [
    { label: "dog", start: 0, end: 1, score: 0.9 },
    { label: "cat", start: 2, end: 3, score: 0.8 },
  ]);
});

const DIGITS = [
  { name: "0_george_3", at: 1.0 },
  { name: "3_jackson_7", at: 4.5 },
  { name: "5_yweweler_11", at: 7.0 },
  { name: "8_nicolas_20", at: 11.5 },
];

test("a file of FSDD digits at known offsets: windows starting at a digit give the clip's own scores", async () => {
  const classify = await pipeline("audio-classification", undefined, { threads: 1 });
  const dir = mkdtempSync(join(tmpdir(), "audioclass-timeline-"));
  try {
    const rate = 16000;
    const long = new Float32Array(rate * 14);
    const alone = new Map<number, LabelScore[]>();
    for (const d of DIGITS) {
      const clip = (await readAudio(fixturePath(`../fsdd/${d.name}.wav`), { samplingRate: rate, mono: true })).channels[0]!;
      long.set(clip, Math.round(d.at * rate));
      alone.set(d.at, await classify(clip));
    }
    const path = join(dir, "digits.wav");
    writeFileSync(path, encodeWav([long], rate));
    const timeline = await classify(path, { window: 1, hop: 0.5 });
    assert.equal(timeline.segments.length, 27, "0, 0.5, … 13.0; the window at 13.0 reaches the end");
    for (const d of DIGITS) {
      const segment = timeline.segments.find((s) => Math.abs(s.start - d.at) < 1e-9)!;
      assertSameScores(segment.predictions.slice(0, 3), alone.get(d.at)!.slice(0, 3), `the window at ${d.at} s`);
      assert.equal(segment.predictions[0]!.label, d.name[0]);
    }
    // events name each digit where it is
    for (const d of DIGITS) assert.ok(timeline.events.some((e) => e.label === d.name[0] && e.start <= d.at && e.end > d.at), `an event for ${d.name[0]} around ${d.at} s`);
    // the same from the samples in memory, and windows batched differently
    const fromArray = await classify(long, { window: 1, hop: 0.5, batchSize: 3 });
    assert.deepEqual(fromArray.segments.map((s) => [s.start, s.end]), timeline.segments.map((s) => [s.start, s.end]));
    fromArray.segments.forEach((s, i) => assertSameScores(s.predictions.slice(0, 3), timeline.segments[i]!.predictions.slice(0, 3), `window ${i}`));
    // default window: the model's own input (1 s for the bundled model)
    assert.equal((await classify(path, { hop: 1 })).segments[0]!.end, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await classify.dispose();
  }
});

test("window options are checked; models that take any length need an explicit window", async () => {
  const classify = await pipeline("audio-classification", modelDir("wav2vec2"), { threads: 1 });
  const audio = new Float32Array(16000 * 3).map((_, i) => Math.sin(i / 9) * 0.2);
  await assert.rejects(classify(audio, { hop: 1 } as never), (e: unknown) => e instanceof PipelineOptionError && /any length/.test(e.message));
  await assert.rejects(classify(audio, { window: -1 }), (e: unknown) => e instanceof PipelineOptionError && /window must be a positive number/.test(e.message));
  await assert.rejects(classify(audio, { threshold: 0.5 } as never), (e: unknown) => e instanceof PipelineOptionError && /give window/.test(e.message));
  const timeline = await classify(audio, { window: 1, functionToApply: "sigmoid", threshold: 0.4 });
  assert.equal(timeline.segments.length, 3);
  await classify.dispose();
});
