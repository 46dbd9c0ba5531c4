import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { decodeFlac, decodeWav, monoDownmixCoefficients, toMono, type AudioData } from "../../src/audio/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { fixturePath, loadFloat, readJson } from "../helpers/fixtures.js";
import { codecFixtureBytes, firstBitDifference } from "./reference.js";
import { DEFAULT_LAYOUT_CHANNEL_COUNTS, DOWNMIX_CHANNEL_MASKS, channelsInMask, floatWav } from "./downmix-wavs.js";
import { downmixGoldenName, fixtureGoldenName } from "./ffmpeg-decode-specs.js";
import { ffmpegGolden } from "./ffmpeg-goldens.js";

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
  assert.deepEqual(DEFAULT_LAYOUT_CHANNEL_COUNTS, [1, 2, 3, 4, 5, 6, 7, 8]);
  for (const channels of DEFAULT_LAYOUT_CHANNEL_COUNTS) {
    const mono = toMono(decodeWav(floatWav(channels)));
    // ffmpeg -ac 1 on the same WAV fed on stdin (as Python feeds it)
    assert.equal(firstBitDifference(mono, ffmpegGolden(downmixGoldenName(channels))), -1, `${channels} channels`);
  }
});

test("layouts from a channel mask (quad, 5.1 side, 7.1, 2.1, FC+LFE, lone FL) downmix bit-identically", () => {
  for (const mask of DOWNMIX_CHANNEL_MASKS) {
    const channels = channelsInMask(mask);
    const audio = decodeWav(floatWav(channels, mask));
    assert.ok(audio.channelPositions !== undefined, `mask 0x${mask.toString(16)}`);
    assert.equal(firstBitDifference(toMono(audio), ffmpegGolden(downmixGoldenName(channels, mask))), -1, `mask 0x${mask.toString(16)}`);
  }
});

test("5.1 WAV and 5.1 FLAC fixtures: built-in decode + toMono equals ffmpeg -ac 1 exactly", async () => {
  const wav = decodeWav(codecFixtureBytes("wav-s16-5.1-8000-extensible.wav"));
  assert.equal(firstBitDifference(toMono(wav), ffmpegGolden(fixtureGoldenName("wav-s16-5.1-8000-extensible.wav", "mono"))), -1);
  const flac = await decodeFlac(codecFixtureBytes("flac-5.1-16bit-8000.flac"));
  assert.equal(firstBitDifference(toMono(flac), ffmpegGolden(fixtureGoldenName("flac-5.1-16bit-8000.flac", "mono"))), -1);
});

test("float64 sources differ from ffmpeg only by the float32 rounding of the channels (ffmpeg mixes them in float64)", () => {
  const file = "wav-f64-stereo-8000-extensible.wav";
  const audio = decodeWav(codecFixtureBytes(file));
  const mono = toMono(audio);
  const reference = ffmpegGolden(fixtureGoldenName(file, "mono"));
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
