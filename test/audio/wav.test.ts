import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { decodeWav } from "../../src/audio/index.js";
import { fixturePath, loadFloat, maxAbsDiff, readJson } from "../helpers/fixtures.js";
import { codecFixtureBytes, deinterleave, firstBitDifference } from "./reference.js";
import { fixtureGoldenName } from "./ffmpeg-decode-specs.js";
import { ffmpegGoldenChannels } from "./ffmpeg-goldens.js";
import { buildWav, chunk, extensibleFmtBody, float32Body, fmtBody, int16Body, pcm16Wav } from "./wav-builder.js";

interface AudioEntry {
  name: string;
  file: string;
  sampling_rate: number;
  channels: number;
  frames: number;
  subtype: string;
  native: { file: string; dtype: "float32"; shape: number[] };
}

const GOLDEN: AudioEntry[] = readJson<{ audio: AudioEntry[] }>("audio/audio.json").audio;

test("every golden fixture WAV decodes to soundfile's samples (PCM16 exactly, float within 1e-7)", () => {
  assert.equal(GOLDEN.length, 8);
  for (const entry of GOLDEN) {
    const audio = decodeWav(readFileSync(fixturePath(entry.file)));
    assert.equal(audio.samplingRate, entry.sampling_rate, entry.name);
    assert.equal(audio.channels.length, entry.channels, entry.name);
    const expected = deinterleave(loadFloat(entry.native), entry.channels);
    for (let c = 0; c < entry.channels; c++) {
      assert.equal(audio.channels[c]!.length, entry.frames, entry.name);
      if (entry.subtype === "PCM_16") {
        assert.equal(firstBitDifference(audio.channels[c]!, expected[c]!), -1, `${entry.name} channel ${c} is not bit-exact`);
      } else {
        assert.ok(maxAbsDiff(audio.channels[c]!, expected[c]!) <= 1e-7, `${entry.name} channel ${c}`);
      }
    }
  }
});

// [file, channels, frames, rate]: every WAV variant ffmpeg itself decodes correctly.
const VARIANTS: [string, number, number, number][] = [
  ["wav-u8-mono-8000.wav", 1, 2000, 8000],
  ["wav-s24-stereo-48000-extensible.wav", 2, 4800, 48000],
  ["wav-s24-stereo-8000-plain.wav", 2, 800, 8000],
  ["wav-s32-mono-16000-extensible.wav", 1, 1600, 16000],
  ["wav-f64-stereo-8000-extensible.wav", 2, 800, 8000],
  ["wav-s16-5.1-8000-extensible.wav", 6, 800, 8000],
  ["wav-alaw-mono-8000.wav", 1, 800, 8000],
  ["wav-mulaw-mono-8000.wav", 1, 800, 8000],
  ["wav-alaw-all-codes.wav", 1, 256, 8000],
  ["wav-mulaw-all-codes.wav", 1, 256, 8000],
  ["wav-s16-stereo-8000-rf64.wav", 2, 800, 8000],
  ["wav-s16-mono-8000-streamed.wav", 1, 800, 8000],
  ["wav-s16-mono-8000-odd-chunks.wav", 1, 800, 8000],
];

test("WAV variants (8/24/32-bit, float64, EXTENSIBLE, 5.1, A-law, µ-law, RF64, streamed, odd chunks) equal ffmpeg bit for bit", () => {
  for (const [file, channels, frames, rate] of VARIANTS) {
    const audio = decodeWav(codecFixtureBytes(file), { name: file });
    assert.equal(audio.samplingRate, rate, file);
    assert.equal(audio.channels.length, channels, file);
    assert.equal(audio.channels[0]!.length, frames, file);
    const reference = ffmpegGoldenChannels(fixtureGoldenName(file));
    for (let c = 0; c < channels; c++) {
      assert.equal(firstBitDifference(audio.channels[c]!, reference[c]!), -1, `${file} channel ${c}`);
    }
  }
});

test("channel positions come from the EXTENSIBLE channel mask, and only from it", () => {
  assert.deepEqual(decodeWav(codecFixtureBytes("wav-s16-5.1-8000-extensible.wav")).channelPositions, ["FL", "FR", "FC", "LFE", "BL", "BR"]);
  assert.deepEqual(decodeWav(codecFixtureBytes("wav-s32-mono-16000-extensible.wav")).channelPositions, ["FC"]);
  assert.equal(decodeWav(codecFixtureBytes("wav-s24-stereo-8000-plain.wav")).channelPositions, undefined);
  // A mask whose bit count disagrees with the channel count is ignored, as ffmpeg ignores it.
  const mismatched = buildWav([
    chunk("fmt ", extensibleFmtBody({ subTag: 1, channels: 2, rate: 8000, bits: 16, mask: 0x3f })),
    chunk("data", int16Body([1, 2, 3, 4])),
  ]);
  assert.equal(decodeWav(mismatched).channelPositions, undefined);
});

test("big-endian RIFX decodes to the same samples as its little-endian twin", () => {
  // ffmpeg 5.1 misreads RIFX PCM as little-endian, so the reference is the same tone stored LE.
  const rifx = decodeWav(codecFixtureBytes("wav-s16be-mono-8000-rifx.wav"));
  const twin = decodeWav(codecFixtureBytes("wav-s16-mono-8000-odd-chunks.wav"));
  assert.equal(rifx.samplingRate, 8000);
  assert.equal(firstBitDifference(rifx.channels[0]!, twin.channels[0]!), -1);
});

test("integer PCM is scaled by 1/2^(bits−1), never 1/(2^(bits−1)−1)", () => {
  const audio = decodeWav(pcm16Wav([-32768, -16384, 0, 1, 32767]));
  assert.deepEqual(Array.from(audio.channels[0]!), [-1, -0.5, 0, 1 / 32768, 32767 / 32768]);

  const u8 = buildWav([chunk("fmt ", fmtBody({ channels: 1, rate: 8000, bits: 8 })), chunk("data", Uint8Array.of(0, 64, 128, 255))]);
  assert.deepEqual(Array.from(decodeWav(u8).channels[0]!), [-1, -0.5, 0, 127 / 128]);

  const s24 = buildWav([chunk("fmt ", fmtBody({ channels: 1, rate: 8000, bits: 24 })), chunk("data", Uint8Array.of(0x00, 0x00, 0x80, 0xff, 0xff, 0x7f, 0x01, 0x00, 0x00))]);
  assert.deepEqual(Array.from(decodeWav(s24).channels[0]!), [-1, Math.fround(8388607 / 8388608), 2 ** -23]);

  const s32 = new Uint8Array(8);
  new DataView(s32.buffer).setInt32(0, -2147483648, true);
  new DataView(s32.buffer).setInt32(4, 1 << 30, true);
  const s32Wav = buildWav([chunk("fmt ", fmtBody({ channels: 1, rate: 8000, bits: 32 })), chunk("data", s32)]);
  assert.deepEqual(Array.from(decodeWav(s32Wav).channels[0]!), [-1, 0.5]);
});

test("samples narrower than their container are read as the container (20-bit in 24, 24-bit in 32)", () => {
  const twenty = buildWav([chunk("fmt ", fmtBody({ channels: 1, rate: 8000, bits: 20, blockAlign: 3 })), chunk("data", Uint8Array.of(0x00, 0x00, 0x40))]);
  assert.deepEqual(Array.from(decodeWav(twenty).channels[0]!), [0.5]);
  const body = new Uint8Array(4);
  new DataView(body.buffer).setInt32(0, -(1 << 30), true);
  const inThirtyTwo = buildWav([
    chunk("fmt ", extensibleFmtBody({ subTag: 1, channels: 1, rate: 8000, bits: 32, validBits: 24, mask: 4 })),
    chunk("data", body),
  ]);
  assert.deepEqual(Array.from(decodeWav(inThirtyTwo).channels[0]!), [-0.5]);
});

test("a data chunk of size 0 or 0xFFFFFFFF (streamed WAV) runs to the end of the file", () => {
  const samples = [100, -200, 300, -400];
  for (const declaredSize of [0, 0xffffffff]) {
    const wav = buildWav([chunk("fmt ", fmtBody({ channels: 2, rate: 8000, bits: 16 })), chunk("data", int16Body(samples), { declaredSize })], { riffSize: 0xffffffff });
    const audio = decodeWav(wav);
    assert.deepEqual(Array.from(audio.channels[0]!), [100 / 32768, 300 / 32768], `size ${declaredSize}`);
    assert.deepEqual(Array.from(audio.channels[1]!), [-200 / 32768, -400 / 32768]);
  }
});

test("a truncated data chunk gives the whole frames present; a trailing partial frame is dropped", () => {
  const full = pcm16Wav([1, 2, 3, 4, 5, 6, 7, 8], 2); // 4 frames declared
  const cut = full.subarray(0, full.length - 5); // 2 whole frames + 3 bytes of the third
  const audio = decodeWav(cut);
  assert.deepEqual(Array.from(audio.channels[0]!), [1 / 32768, 3 / 32768]);
  assert.deepEqual(Array.from(audio.channels[1]!), [2 / 32768, 4 / 32768]);
});

test("unknown and odd-sized chunks are skipped, with or without their pad byte; fmt may follow data", () => {
  const data = chunk("data", int16Body([7, -7]));
  const fmt = chunk("fmt ", fmtBody({ channels: 1, rate: 22050, bits: 16 }));
  const layouts = [
    [fmt, chunk("odd!", Uint8Array.of(1, 2, 3)), chunk("LIST", new TextEncoder().encode("INFOxyz")), data],
    [fmt, chunk("odd!", Uint8Array.of(1, 2, 3), { noPad: true }), data],
    [chunk("JUNK", new Uint8Array(28)), data, fmt],
  ];
  for (const chunks of layouts) {
    const audio = decodeWav(buildWav(chunks));
    assert.equal(audio.samplingRate, 22050);
    assert.deepEqual(Array.from(audio.channels[0]!), [7 / 32768, -7 / 32768]);
  }
});

test("misaligned input (odd byteOffset) decodes like aligned input", () => {
  const wav = buildWav([chunk("fmt ", fmtBody({ tag: 3, channels: 2, rate: 8000, bits: 32 })), chunk("data", float32Body([0.25, -0.5, 0.125, 1]))]);
  const padded = new Uint8Array(wav.length + 1);
  padded.set(wav, 1);
  const shifted = padded.subarray(1);
  assert.deepEqual(decodeWav(shifted).channels, decodeWav(wav).channels);
  const pcm = pcm16Wav([1, -1, 2, -2], 2);
  const pcmPadded = new Uint8Array(pcm.length + 1);
  pcmPadded.set(pcm, 1);
  assert.deepEqual(decodeWav(pcmPadded.subarray(1)).channels, decodeWav(pcm).channels);
});

test("a misaligned Node Buffer (a slice of a larger one, as a server or IPC hands out) decodes like aligned input", () => {
  // Buffer.prototype.slice is a view, not a copy: decoding once read the big buffer's first bytes.
  for (const wav of [
    buildWav([chunk("fmt ", fmtBody({ tag: 3, channels: 2, rate: 8000, bits: 32 })), chunk("data", float32Body([0.25, -0.5, 0.125, 1]))]),
    pcm16Wav([1, -1, 2, -2], 2),
  ]) {
    const big = Buffer.alloc(wav.length + 35, 0x7f);
    big.set(wav, 35);
    assert.deepEqual(decodeWav(big.subarray(35)).channels, decodeWav(wav).channels);
  }
});

test("decodeWav accepts an ArrayBuffer and never aliases the input bytes", () => {
  const wav = buildWav([chunk("fmt ", fmtBody({ tag: 3, channels: 1, rate: 8000, bits: 32 })), chunk("data", float32Body([0.5, 0.25]))]);
  const audio = decodeWav(wav.buffer as ArrayBuffer);
  assert.deepEqual(Array.from(audio.channels[0]!), [0.5, 0.25]);
  assert.notEqual(audio.channels[0]!.buffer, wav.buffer);
});

test("the RIFF size field is advisory (0, too small, too large, 0xFFFFFFFF), as in soundfile and ffmpeg", () => {
  const expected = decodeWav(pcm16Wav([5, -5, 9]));
  for (const riffSize of [0, 4, 12, 1 << 30, 0xffffffff]) {
    const wav = buildWav([chunk("fmt ", fmtBody({ channels: 1, rate: 8000, bits: 16 })), chunk("data", int16Body([5, -5, 9]))], { riffSize });
    assert.deepEqual(decodeWav(wav).channels, expected.channels, `RIFF size ${riffSize}`);
  }
});

test("RF64 takes the data size from ds64, so chunks after the samples are not read as audio", () => {
  const ds64 = new Uint8Array(28);
  const view = new DataView(ds64.buffer);
  view.setBigUint64(8, 8n, true); // data size: 4 mono 16-bit frames
  view.setBigUint64(16, 4n, true);
  const wav = buildWav(
    [
      chunk("ds64", ds64),
      chunk("fmt ", fmtBody({ channels: 1, rate: 8000, bits: 16 })),
      chunk("data", int16Body([1, 2, 3, 4]), { declaredSize: 0xffffffff }),
      chunk("LIST", new TextEncoder().encode("INFOtrailing metadata")),
    ],
    { magic: "RF64", riffSize: 0xffffffff },
  );
  assert.deepEqual(Array.from(decodeWav(wav).channels[0]!), [1, 2, 3, 4].map((v) => v / 32768));
});
