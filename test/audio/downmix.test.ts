import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { decodeFlac, decodeWav, monoDownmixCoefficients, toMono, type AudioData } from "../../src/audio/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { fixturePath, loadFloat, readJson } from "../helpers/fixtures.js";
import { codecFixture, codecFixtureBytes, ffmpegDecode, firstBitDifference } from "./reference.js";
import { buildWav, chunk, extensibleFmtBody, fmtBody } from "./wav-builder.js";

/** ffmpeg -ac 1 at the file's own rate, from bytes on stdin (as Python feeds it). */
function ffmpegMono(bytes: Uint8Array): Float32Array {
  const run = spawnSync("ffmpeg", ["-i", "pipe:0", "-ac", "1", "-f", "f32le", "-v", "error", "pipe:1"], { input: bytes, maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`ffmpeg failed: ${run.stderr.toString()}`);
  return new Float32Array(Uint8Array.from(run.stdout).buffer);
}

/** Distinct, non-trivial float32 signals per channel (so any wrong weight or order shows). */
function floatSignals(channels: number, frames: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) out.push(Math.fround(0.9 * Math.sin(0.01 * (i + 1) * (c + 1.37) + c) * Math.cos(0.003 * i * (c + 2))));
  }
  return out;
}

function floatWav(channels: number, mask?: number): Uint8Array {
  const frames = 500;
  const values = floatSignals(channels, frames);
  const data = new Uint8Array(values.length * 4);
  const view = new DataView(data.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  const fmt = mask === undefined
    ? fmtBody({ tag: 3, channels, rate: 8000, bits: 32 })
    : extensibleFmtBody({ subTag: 3, channels, rate: 8000, bits: 32, mask });
  return buildWav([chunk("fmt ", fmt), chunk("data", data)]);
}

test("stereo fixture: built-in decode + toMono is bit-identical to Python's ffmpeg_read at 48 kHz", () => {
  const audio = decodeWav(readFileSync(fixturePath("audio/stereo_48k.wav")));
  assert.equal(audio.channels.length, 2);
  const entry = readJson("cases/clap/stereo_48k.json");
  assert.equal(entry.sampling_rate, 48000);
  const expected = loadFloat(entry.waveform); // ffmpeg_read(bytes, 48000): (L+R)/√2 in float32
  const mono = toMono(audio);
  assert.equal(mono.length, 96000);
  assert.equal(firstBitDifference(mono, expected), -1);
  // …and it is (L+R)/√2, not the mean.
  const i = 12345;
  assert.ok(Math.abs(mono[i]! - (audio.channels[0]![i]! + audio.channels[1]![i]!) * Math.SQRT1_2) < 1e-7);
});

test("ffmpeg's default layouts for 1–8 channels (mono … 7.1) downmix bit-identically", () => {
  for (let channels = 1; channels <= 8; channels++) {
    const wav = floatWav(channels);
    const mono = toMono(decodeWav(wav));
    assert.equal(firstBitDifference(mono, ffmpegMono(wav)), -1, `${channels} channels`);
  }
});

test("layouts from a channel mask (quad, 5.1 side, 7.1, 2.1, FC+LFE, lone FL) downmix bit-identically", () => {
  for (const mask of [0x33, 0x60f, 0x63f, 0x0b, 0x0c, 0x01, 0x107]) {
    const channels = mask.toString(2).split("1").length - 1;
    const wav = floatWav(channels, mask);
    const audio = decodeWav(wav);
    assert.ok(audio.channelPositions !== undefined, `mask 0x${mask.toString(16)}`);
    assert.equal(firstBitDifference(toMono(audio), ffmpegMono(wav)), -1, `mask 0x${mask.toString(16)}`);
  }
});

test("5.1 WAV and 5.1 FLAC fixtures: built-in decode + toMono equals ffmpeg -ac 1 exactly", async () => {
  const wav = decodeWav(codecFixtureBytes("wav-s16-5.1-8000-extensible.wav"));
  assert.equal(firstBitDifference(toMono(wav), ffmpegDecode(codecFixture("wav-s16-5.1-8000-extensible.wav"), { outputArgs: ["-ac", "1"] })), -1);
  const flac = await decodeFlac(codecFixtureBytes("flac-5.1-16bit-8000.flac"));
  assert.equal(firstBitDifference(toMono(flac), ffmpegDecode(codecFixture("flac-5.1-16bit-8000.flac"), { outputArgs: ["-ac", "1"] })), -1);
});

test("float64 sources differ from ffmpeg only by the float32 rounding of the channels (ffmpeg mixes them in float64)", () => {
  const file = "wav-f64-stereo-8000-extensible.wav";
  const audio = decodeWav(codecFixtureBytes(file));
  const mono = toMono(audio);
  const reference = ffmpegDecode(codecFixture(file), { outputArgs: ["-ac", "1"] });
  assert.equal(mono.length, reference.length);
  let differing = 0;
  for (let i = 0; i < mono.length; i++) {
    // Each channel was rounded to float32 (relative error ≤ 2^−24) before mixing; plus the final rounding.
    const bound = 2 ** -24 * (Math.abs(audio.channels[0]![i]!) + Math.abs(audio.channels[1]![i]!) + Math.abs(reference[i]!));
    assert.ok(Math.abs(mono[i]! - reference[i]!) <= bound, `frame ${i}`);
    if (mono[i] !== reference[i]) differing++;
  }
  assert.ok(differing < mono.length / 2, `${differing} of ${mono.length} frames differ`);
});

test("weights follow swresample: √½ for FL/FR, 1 for FC, ½ for surrounds, 0 for LFE; layouts ffmpeg refuses get none", () => {
  const s = Math.fround(Math.SQRT1_2);
  assert.deepEqual(monoDownmixCoefficients(["FL", "FR", "FC", "LFE", "BL", "BR"]), [s, s, 1, 0, 0.5, 0.5]);
  assert.deepEqual(monoDownmixCoefficients(["FL", "FR", "FC", "LFE", "BC", "SL", "SR"]), [s, s, 1, 0, 0.5, 0.5, 0.5]);
  assert.deepEqual(monoDownmixCoefficients(["BL"]), [1]); // any single speaker is mono
  assert.equal(monoDownmixCoefficients(["FL", "FC"]), undefined); // a lone half of a pair
  assert.equal(monoDownmixCoefficients(["BL", "BR"]), undefined); // no front speaker
  assert.equal(monoDownmixCoefficients(["FL", "FL"]), undefined);
});

test("layouts ffmpeg cannot downmix (9+ channels, lopsided masks) fall back to the mean", () => {
  const nine: AudioData = { samplingRate: 8000, channels: Array.from({ length: 9 }, (_, c) => Float32Array.of(c, -c)) };
  assert.deepEqual(Array.from(toMono(nine)), [4, -4]);
  const lopsided: AudioData = { samplingRate: 8000, channels: [Float32Array.of(1), Float32Array.of(0.5)], channelPositions: ["FL", "FC"] };
  assert.deepEqual(Array.from(toMono(lopsided)), [0.75]);
});

test("mono passes through untouched (the same array), −0 included", () => {
  const samples = Float32Array.of(-0, 0.25);
  const audio: AudioData = { samplingRate: 16000, channels: [samples] };
  assert.equal(toMono(audio), samples);
  const centreAndLfe: AudioData = { samplingRate: 8000, channels: [Float32Array.of(-0, 0.5), Float32Array.of(1, 1)], channelPositions: ["FC", "LFE"] };
  assert.ok(Object.is(toMono(centreAndLfe)[0], -0));
});

test("toMono rejects malformed audio with InvalidArgumentError", () => {
  assert.throws(() => toMono({ samplingRate: 8000, channels: [] }), InvalidArgumentError);
  assert.throws(() => toMono({ samplingRate: 8000, channels: [new Float32Array(3), new Float32Array(4)] }), /channel 0 has 3 samples, channel 1 has 4/);
  assert.throws(
    () => toMono({ samplingRate: 8000, channels: [new Float32Array(3), new Float32Array(3)], channelPositions: ["FC"] }),
    /lists 1 positions for 2 channels/,
  );
  assert.throws(() => toMono({ samplingRate: 8000, channels: [[1, 2] as unknown as Float32Array] }), /must be a Float32Array/);
});
