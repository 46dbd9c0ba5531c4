/**
 * The pipeline refuses what would only produce garbage or exhaust the machine: non-finite audio,
 * non-finite scores (typed, per input), runs estimated above the memory limit (before they
 * start), and options it does not know, at construction as at call time.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryLimitError } from "../../src/index.js";
import { UnknownDeviceError } from "../../src/runtime/errors.js";
import { pipeline } from "../../src/pipelines/index.js";
import { NonFiniteOutputError, PipelineInputError, PipelineOptionError } from "../../src/pipelines/errors.js";
import { modelDir } from "../helpers/fixtures.js";

const tone = (n: number, amplitude = 0.3) => Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin(i / 3));

test("huge finite samples give a NonFiniteOutputError naming the input and the cause, not null scores", async () => {
  for (const model of ["ast", "whisper"]) {
    const classify = await pipeline("audio-classification", modelDir(model), { threads: 1 });
    await assert.rejects(classify(tone(16000, 1e30)), (e: unknown) => e instanceof NonFiniteOutputError && e.index === 0 && /1\.0e\+30/.test(e.message) && /\[-1, 1\]/.test(e.message));
    // per input: the ordinary clip of the batch keeps its scores
    const each = await classify.classifyEach([tone(16000), tone(16000, 1e30), tone(8000)], { batchSize: 2 });
    assert.ok(Array.isArray(each[0]) && Array.isArray(each[2]), "the finite clips are scored");
    assert.ok(each[1] instanceof NonFiniteOutputError && each[1].index === 1);
    await classify.dispose();
  }
});

test("NaN or infinite samples in an array are refused before the model runs", async () => {
  const classify = await pipeline("audio-classification", modelDir("ast"), { threads: 1 });
  const bad = tone(1000);
  bad[123] = Number.NaN;
  await assert.rejects(classify(bad), (e: unknown) => e instanceof PipelineInputError && /NaN at sample 123/.test(e.message));
  await assert.rejects(classify({ samplingRate: 8000, raw: [0, Infinity, 0] }), (e: unknown) => e instanceof PipelineInputError && /Infinity at sample 1/.test(e.message));
  await classify.dispose();
});

test("a run estimated above maxMemoryMB is refused with a MemoryLimitError that says how to proceed", async () => {
  const classify = await pipeline("audio-classification", modelDir("wav2vec2"), { threads: 1, maxMemoryMB: 64 });
  assert.ok((await classify(tone(16000))).length > 0, "a 1 s clip fits in 64 MiB");
  // 120 s: attention over 6000 frames, ~550 MB of intermediate tensors (measured RSS growth ~640 MB)
  await assert.rejects(classify(tone(16000 * 120)), (e: unknown) => {
    assert.ok(e instanceof MemoryLimitError, String(e));
    assert.ok(e.estimatedBytes > 400 * 2 ** 20 && e.estimatedBytes < 800 * 2 ** 20, `estimate ${e.estimatedBytes}`);
    assert.equal(e.limitBytes, 64 * 2 ** 20);
    assert.match(e.message, /input_values \[1, 1920000\]/);
    assert.match(e.message, /shorter inputs/);
    assert.match(e.message, /--max-memory/);
    return true;
  });
  await classify.dispose();
});

test("an hour of audio through full attention is refused at once under the default limit", async () => {
  const classify = await pipeline("audio-classification", modelDir("wav2vec2"), { threads: 1 });
  const hour = new Float32Array(16000 * 3600);
  await assert.rejects(classify(hour), (e: unknown) => e instanceof MemoryLimitError && e.estimatedBytes > 100 * 2 ** 30);
  await classify.dispose();
});

test("unknown pipeline options are refused at construction, as at call time", async () => {
  for (const [options, pattern] of [
    [{ devices: "cpu" }, /unknown audio-classification pipeline option "devices"/],
    [{ chunkLengthS: 10 }, /"chunkLengthS"/],
    [{ top_k: 3 }, /did you mean topK\?/],
    [{ max_memory_mb: 3 }, /"max_memory_mb"/],
  ] as const) {
    await assert.rejects(pipeline("audio-classification", modelDir("ast"), options as never), (e: unknown) => e instanceof PipelineOptionError && pattern.test(e.message));
  }
  await assert.rejects(pipeline("zero-shot-audio-classification", modelDir("clap"), { devices: "cpu" } as never), (e: unknown) => e instanceof PipelineOptionError && /"devices"/.test(e.message));
  // device is an option of both tasks; a device no backend has is refused before anything loads.
  for (const task of ["audio-classification", "zero-shot-audio-classification"] as const) {
    await assert.rejects(pipeline(task as "audio-classification", modelDir(task === "audio-classification" ? "ast" : "clap"), { device: "cuda" } as never), (e: unknown) => e instanceof UnknownDeviceError && /"cpu"/.test(e.message));
  }
  await assert.rejects(pipeline("audio-classification", modelDir("ast"), { maxMemoryMB: -1 }), /maxMemoryMB must be a positive number/);
});
