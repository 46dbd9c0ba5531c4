import { test } from "node:test";
import assert from "node:assert/strict";
import { UnsupportedAudioFormatError, decodeAudio, decodeFlac, decodeMp3, decodeOggOpus, decodeOggVorbis, type AudioData } from "../../src/audio/index.js";
import { codecFixtureBytes, firstBitDifference } from "./reference.js";
import { fixtureGoldenName } from "./ffmpeg-decode-specs.js";
import { ffmpegGoldenChannels } from "./ffmpeg-goldens.js";

/** Largest difference over the frames both decodes have. */
function maxDiffOverCommonFrames(audio: AudioData, reference: Float32Array[]): number {
  let max = 0;
  for (let c = 0; c < audio.channels.length; c++) {
    const n = Math.min(audio.channels[c]!.length, reference[c]!.length);
    for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(audio.channels[c]![i]! - reference[c]![i]!));
  }
  return max;
}

test("MP3: mono MPEG-2 and stereo MPEG-1, gapless-trimmed to the encoded length, within 1e-5 of ffmpeg", async () => {
  // [file, rate, channels, frames]: 0.5 s clips; the LAME header's delay and padding are removed.
  for (const [file, rate, channels, frames] of [
    ["mp3-mono-22050.mp3", 22050, 1, 11025],
    ["mp3-stereo-44100.mp3", 44100, 2, 22050],
  ] as const) {
    const audio = await decodeMp3(codecFixtureBytes(file));
    assert.equal(audio.samplingRate, rate, file);
    assert.equal(audio.channels.length, channels, file);
    for (const channel of audio.channels) assert.equal(channel.length, frames, file);
    // ffmpeg reading the file trims the same delay and padding: same length, same alignment.
    const reference = ffmpegGoldenChannels(fixtureGoldenName(file));
    assert.equal(reference[0]!.length, frames, `ffmpeg's length for ${file}`);
    // mpg123 and ffmpeg's mp3float are different float implementations: measured 1.6e-6.
    assert.ok(maxDiffOverCommonFrames(audio, reference) < 1e-5, file);
  }
});

test("MP3 read through a pipe, as Python's ffmpeg_read does, keeps ffmpeg's end padding; our start still aligns", async () => {
  const reference = ffmpegGoldenChannels(fixtureGoldenName("mp3-stereo-44100.mp3", "stdin"));
  assert.equal(reference[0]!.length, 23087); // 22050 + 1037 frames of encoder padding left in
  const audio = await decodeMp3(codecFixtureBytes("mp3-stereo-44100.mp3"));
  assert.ok(maxDiffOverCommonFrames(audio, reference) < 1e-5);
});

test("FLAC 16- and 24-bit, 5.1, and FLAC in Ogg decode bit-identically to ffmpeg (the package's 1/(2^(b−1)−1) scale is undone)", async () => {
  for (const [file, rate, channels, frames] of [
    ["flac-mono-16bit-44100.flac", 44100, 1, 13230],
    ["flac-stereo-24bit-48000.flac", 48000, 2, 12000],
    ["flac-5.1-16bit-8000.flac", 8000, 6, 800],
    ["ogg-flac-stereo-16000.oga", 16000, 2, 4000],
  ] as const) {
    const audio = await decodeFlac(codecFixtureBytes(file));
    assert.equal(audio.samplingRate, rate, file);
    assert.equal(audio.channels.length, channels, file);
    const reference = ffmpegGoldenChannels(fixtureGoldenName(file));
    for (let c = 0; c < channels; c++) {
      assert.equal(audio.channels[c]!.length, frames, file);
      assert.equal(firstBitDifference(audio.channels[c]!, reference[c]!), -1, `${file} channel ${c}`);
    }
  }
  assert.deepEqual((await decodeFlac(codecFixtureBytes("flac-5.1-16bit-8000.flac"))).channelPositions, ["FL", "FR", "FC", "LFE", "BL", "BR"]);
});

test("24-bit FLAC at full scale (−2^23 … 2^23−1) is recovered exactly", async () => {
  const file = "flac-mono-24bit-8000-full-scale.flac";
  const audio = await decodeFlac(codecFixtureBytes(file));
  const reference = ffmpegGoldenChannels(fixtureGoldenName(file))[0]!;
  assert.equal(audio.channels[0]!.length, 4096);
  assert.equal(audio.channels[0]![0], -1);
  assert.equal(audio.channels[0]![2047], Math.fround(8388607 / 8388608));
  assert.equal(firstBitDifference(audio.channels[0]!, reference), -1);
});

test("FLAC bit depths the package cannot scale (e.g. 20-bit) are refused before decoding", async () => {
  const bytes = codecFixtureBytes("flac-mono-16bit-44100.flac").slice();
  // STREAMINFO bits-per-sample − 1 lives in the low bit of byte 20 and the high nibble of byte 21.
  bytes[20] = (bytes[20]! & 0xfe) | (19 >> 4);
  bytes[21] = ((19 & 0x0f) << 4) | (bytes[21]! & 0x0f);
  await assert.rejects(decodeFlac(bytes, { name: "deep.flac" }), (e: unknown) => {
    assert.ok(e instanceof UnsupportedAudioFormatError);
    assert.equal(e.format, "FLAC (20-bit)");
    assert.match(e.message, /deep\.flac.*20-bit FLAC.*decoder: "ffmpeg"/);
    return true;
  });
});

test("Ogg Vorbis: exactly the encoded length (granule position), within 1e-6 of ffmpeg on the common frames", async () => {
  for (const [file, rate, channels, frames] of [
    ["ogg-vorbis-stereo-44100.ogg", 44100, 2, 22050],
    ["ogg-vorbis-mono-16000.ogg", 16000, 1, 8000],
  ] as const) {
    const audio = await decodeOggVorbis(codecFixtureBytes(file));
    assert.equal(audio.samplingRate, rate, file);
    assert.equal(audio.channels.length, channels, file);
    for (const channel of audio.channels) assert.equal(channel.length, frames, file);
    // ffmpeg 5.1 ignores the final granule: 21922 and 8192 frames here. Measured 2.4e-7.
    const reference = ffmpegGoldenChannels(fixtureGoldenName(file));
    assert.ok(maxDiffOverCommonFrames(audio, reference) < 1e-6, file);
  }
});

test("Ogg Opus: 48 kHz, granule − pre-skip frames, within 2e-4 of libopus as ffmpeg runs it", async () => {
  for (const [file, channels] of [
    ["ogg-opus-mono-48000.opus", 1],
    ["ogg-opus-stereo-48000.opus", 2],
  ] as const) {
    const audio = await decodeOggOpus(codecFixtureBytes(file));
    assert.equal(audio.samplingRate, 48000, file);
    assert.equal(audio.channels.length, channels, file);
    for (const channel of audio.channels) assert.equal(channel.length, 24000, file); // 0.5 s, not 24312
    // Same decoder library, different build and version: measured 6.4e-5. (ffmpeg's default
    // native Opus decoder is not bit-exact to libopus at all: up to 0.15 on this mono clip.)
    const reference = ffmpegGoldenChannels(fixtureGoldenName(file, "libopus"));
    assert.equal(reference[0]!.length, 24000);
    assert.ok(maxDiffOverCommonFrames(audio, reference) < 2e-4, file);
  }
});

test("decodeAudio picks the decoder from the bytes, whatever the file is called", async () => {
  const cases = [
    ["mp3-mono-22050.mp3", 22050, 1],
    ["flac-stereo-24bit-48000.flac", 48000, 2],
    ["ogg-flac-stereo-16000.oga", 16000, 2],
    ["ogg-vorbis-mono-16000.ogg", 16000, 1],
    ["ogg-opus-stereo-48000.opus", 48000, 2],
    ["wav-s24-stereo-8000-plain.wav", 8000, 2],
  ] as const;
  for (const [file, rate, channels] of cases) {
    const audio = await decodeAudio(codecFixtureBytes(file), { name: "renamed.bin" });
    assert.equal(audio.samplingRate, rate, file);
    assert.equal(audio.channels.length, channels, file);
  }
});
