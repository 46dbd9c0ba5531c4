/**
 * Streaming decode for long inputs: the chunks of openAudioStream, concatenated, equal
 * readAudio(input, { samplingRate, mono: true }) bit for bit — whatever the chunk size, for every
 * WAV variant (read incrementally), MP3/FLAC/Ogg (fed to their codecs piece by piece), other
 * inputs (decoded whole) and ffmpeg (piped) —
 * and StreamingResampler equals resample on the whole signal.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AudioDecodeError, AudioFormatError, StreamingResampler, UnsupportedAudioFormatError, openAudioStream, readAudio, resample } from "../../src/audio/index.js";
import { fixturePath } from "../helpers/fixtures.js";
import { needsFfmpeg } from "../helpers/ffmpeg.js";
import { buildWav, chunk, float32Body, fmtBody, int16Body } from "./wav-builder.js";

async function collect(stream: AsyncIterable<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const part of stream) parts.push(Float32Array.from(part));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function assertBitEqual(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) assert.fail(`${what}: sample ${i} is ${got[i]}, want ${want[i]}`);
}

test("StreamingResampler equals resample on the whole signal, bit for bit, for any chunking", () => {
  const x = Float32Array.from({ length: 30_000 }, (_, i) => Math.sin(i * 0.013) + 0.3 * Math.cos(i * 0.71));
  for (const [from, to] of [[44100, 16000], [8000, 16000], [22050, 16000], [16000, 44100], [7919, 16000], [48000, 16000], [16000, 16000]] as const) {
    const whole = resample(x, from, to);
    for (const size of [1, 37, 4096, 30_000]) {
      const r = new StreamingResampler(from, to);
      const parts: Float32Array[] = [];
      for (let i = 0; i < x.length; i += size) parts.push(Float32Array.from(r.push(x.subarray(i, i + size))));
      parts.push(r.end());
      const got = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) (got.set(p, o), (o += p.length));
      assertBitEqual(got, whole, `${from} → ${to} Hz in chunks of ${size}`);
    }
  }
});

test("every WAV fixture streams to readAudio's samples at 16 kHz, whatever the chunk size", async () => {
  const dir = fixturePath("../audio");
  const files = [
    ...readdirSync(dir).filter((f) => f.endsWith(".wav")).map((f) => join(dir, f)),
    ...["long_12s", "stereo_48k", "noise_16k_float", "tone_44k"].map((n) => fixturePath(`audio/${n}.wav`)),
  ];
  for (const file of files) {
    const whole = (await readAudio(file, { samplingRate: 16000, mono: true })).channels[0]!;
    for (const chunkFrames of [1000, 48_000]) {
      const stream = await openAudioStream(file, { samplingRate: 16000, chunkFrames });
      assert.equal(stream.route, "wav", file);
      assertBitEqual(await collect(stream), whole, `${file} (chunks of ${chunkFrames})`);
    }
  }
});

test("MP3, FLAC, Ogg FLAC, Ogg Vorbis and Ogg Opus files are decoded piece by piece, to readAudio's samples bit for bit", async () => {
  const dir = fixturePath("../audio");
  const files = readdirSync(dir).filter((f) => /\.(mp3|flac|oga|ogg|opus)$/.test(f));
  assert.ok(files.length >= 9, "every compressed fixture");
  for (const name of files) {
    const file = join(dir, name);
    const whole = (await readAudio(file, { samplingRate: 16000, mono: true })).channels[0]!;
    // pieces far smaller than a frame or a page, odd-sized ones, and the default
    for (const codecPieceBytes of [97, 4093, undefined]) {
      const stream = await openAudioStream(file, { samplingRate: 16000, ...(codecPieceBytes !== undefined && { codecPieceBytes }) });
      assert.equal(stream.route, "codec", name);
      assertBitEqual(await collect(stream), whole, `${name} (pieces of ${codecPieceBytes ?? "default"} bytes)`);
    }
  }
});

test("piecewise decoding refuses what the whole-file decoder refuses, with the same errors", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-codec-stream-"));
  try {
    await assert.rejects(openAudioStream(fixturePath("../audio/mp2-mono-32000.mp2"), { samplingRate: 16000 }), (e: unknown) => e instanceof UnsupportedAudioFormatError && /Layer II/.test(e.message));
    // other formats keep the whole-file route and its message
    const m4a = fixturePath("../audio/aac-stereo-44100.m4a");
    await assert.rejects(openAudioStream(m4a, { samplingRate: 16000 }), UnsupportedAudioFormatError);
    // a FLAC cut after its headers: no audio at all
    const flac = readFileSync(fixturePath("../audio/flac-mono-16bit-44100.flac"));
    const cut = join(dir, "cut.flac");
    writeFileSync(cut, flac.subarray(0, 60));
    const wholeError = await readAudio(cut, { samplingRate: 16000 }).then(() => undefined, (e: unknown) => e);
    assert.ok(wholeError instanceof AudioDecodeError, "the whole-file decoder refuses it");
    await assert.rejects(openAudioStream(cut, { samplingRate: 16000 }), (e: unknown) => e instanceof AudioDecodeError && e.message === (wholeError as Error).message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bytes, URLs and formats without a piecewise decoder are decoded whole, then handed out in chunks", async () => {
  const bytes = readFileSync(fixturePath("../audio/mp3-stereo-44100.mp3"));
  const stream = await openAudioStream(bytes, { samplingRate: 16000 });
  assert.equal(stream.route, "whole");
  assertBitEqual(await collect(stream), (await readAudio(bytes, { samplingRate: 16000, mono: true })).channels[0]!, "MP3 bytes");
});

test("streamed WAVs apply the same checks: rate policy, non-finite samples named with their frame", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-stream-"));
  try {
    const slow = join(dir, "one-hertz.wav");
    writeFileSync(slow, buildWav([chunk("fmt ", fmtBody({ channels: 1, rate: 1, bits: 16 })), chunk("data", int16Body([1, 2, 3]))]));
    await assert.rejects(openAudioStream(slow, { samplingRate: 16000 }), AudioFormatError);
    const nan = join(dir, "nan.wav");
    const values = Array.from({ length: 5000 }, () => 0.1);
    values[4321] = Number.NaN;
    writeFileSync(nan, buildWav([chunk("fmt ", fmtBody({ tag: 3, channels: 1, rate: 16000, bits: 32 })), chunk("data", float32Body(values))]));
    const stream = await openAudioStream(nan, { samplingRate: 16000, chunkFrames: 1000 });
    await assert.rejects(collect(stream), (e: unknown) => e instanceof AudioDecodeError && /at frame 4321/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("decoder ffmpeg streams through pipes and equals readAudio's ffmpeg decode", needsFfmpeg, async () => {
  for (const file of [fixturePath("audio/stereo_48k.wav"), fixturePath("../audio/mp3-stereo-44100.mp3")]) {
    const stream = await openAudioStream(file, { samplingRate: 16000, decoder: "ffmpeg" });
    assert.equal(stream.route, "ffmpeg");
    assertBitEqual(await collect(stream), (await readAudio(file, { samplingRate: 16000, decoder: "ffmpeg" })).channels[0]!, file);
  }
});
