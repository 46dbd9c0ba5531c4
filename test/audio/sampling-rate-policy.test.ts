/**
 * Sampling rates outside 1 kHz – 768 kHz: a header claiming one is a typed AudioFormatError
 * naming the file, before anything is resampled (a 1 Hz WAV once asked for a 16 G-sample array;
 * a 4 294 967 295 Hz one hung in the resampler). Rates inside the range, even coprime extremes,
 * resample in bounded time and memory.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AudioFormatError,
  MAX_SAMPLING_RATE,
  MIN_SAMPLING_RATE,
  decodeAudio,
  readAudio,
  resample,
  resampledLength,
} from "../../src/audio/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { buildWav, chunk, fmtBody, int16Body } from "./wav-builder.js";

function wavAt(rate: number, frames: number): Uint8Array {
  const values = Array.from({ length: frames }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
  return buildWav([chunk("fmt ", fmtBody({ channels: 1, rate, bits: 16 })), chunk("data", int16Body(values))]);
}

test("a header claiming 1 Hz, 8 Hz, 999 Hz, 768 001 Hz or 2^32 − 1 Hz is an AudioFormatError naming the file", async () => {
  for (const [rate, frames] of [[1, 1_000_000], [8, 100_000], [999, 1000], [768_001, 1000], [0xffffffff, 16_000]] as const) {
    await assert.rejects(decodeAudio(wavAt(rate, frames), { name: "poisoned.wav" }), (error: unknown) => {
      assert.ok(error instanceof AudioFormatError, `rate ${rate}: ${String(error)}`);
      assert.match(error.message, /poisoned\.wav/);
      assert.match(error.message, new RegExp(`${rate} Hz`));
      assert.match(error.message, /1000 – 768000 Hz/);
      assert.equal(error.code, "AUDIO_FORMAT");
      return true;
    });
  }
});

test("readAudio names the path of a file with an impossible rate", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-rate-"));
  try {
    const path = join(dir, "one-hertz.wav");
    writeFileSync(path, wavAt(1, 1_000_000));
    await assert.rejects(readAudio(path, { samplingRate: 16000 }), (e: unknown) => e instanceof AudioFormatError && e.input === path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the bounds themselves are accepted and resample to 16 kHz", async () => {
  assert.equal(MIN_SAMPLING_RATE, 1000);
  assert.equal(MAX_SAMPLING_RATE, 768000);
  for (const rate of [MIN_SAMPLING_RATE, MAX_SAMPLING_RATE]) {
    const audio = await readAudio(wavAt(rate, rate / 10), { samplingRate: 16000 });
    assert.equal(audio.samplingRate, 16000);
    assert.equal(audio.channels[0]!.length, 1600);
  }
});

test("a target rate outside the range is an InvalidArgumentError", async () => {
  for (const rate of [1, 999, 1e12]) {
    await assert.rejects(readAudio(wavAt(16000, 100), { samplingRate: rate }), (e: unknown) => e instanceof InvalidArgumentError && /768000/.test(e.message));
  }
});

test("coprime extremes inside the range resample with torchaudio's output length", () => {
  const x = Float32Array.from({ length: 30_000 }, (_, i) => Math.sin(i / 9));
  for (const [from, to] of [[767_999, 16_000], [767_999, 1_000], [1_000, 7_919], [44_100, 767_999]] as const) {
    const y = resample(x, from, to);
    assert.equal(y.length, resampledLength(x.length, from, to));
    assert.ok(y.every(Number.isFinite));
  }
});

test("a resampled length past 2^31 samples is refused before allocating", () => {
  assert.throws(() => resample(new Float32Array(1_000_000), 1, 16_000), (e: unknown) => e instanceof InvalidArgumentError && /16000000000 samples/.test(e.message));
});
