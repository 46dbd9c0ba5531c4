import { test } from "node:test";
import assert from "node:assert/strict";
import { AudioDecodeError, UnsupportedAudioFormatError, decodeWav } from "../../src/audio/index.js";
import { AudioclassError } from "../../src/errors.js";
import { buildWav, chunk, extensibleFmtBody, float32Body, fmtBody, int16Body, pcm16Wav } from "./wav-builder.js";

const NAME = "clip.wav";

/** Asserts decodeWav throws `kind` with a message naming the input and matching `pattern`. */
function rejects(bytes: Uint8Array, kind: new (...args: never[]) => AudioDecodeError, pattern: RegExp): void {
  assert.throws(
    () => decodeWav(bytes, { name: NAME }),
    (error: unknown) => {
      assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
      assert.ok(error instanceof AudioclassError);
      assert.match(error.message, /clip\.wav/);
      assert.match(error.message, pattern);
      assert.equal((error as AudioDecodeError).input, NAME);
      return true;
    },
  );
}

test("empty input and a WAV with no frames are decode errors", () => {
  rejects(new Uint8Array(0), AudioDecodeError, /empty \(0 bytes\)/);
  rejects(pcm16Wav([]), AudioDecodeError, /no audio \(0 frames\)/);
});

test("without a name, messages describe the bytes", () => {
  assert.throws(() => decodeWav(new Uint8Array(0)), /the 0-byte audio buffer/);
});

test("a header cut short names what is missing", () => {
  const wav = pcm16Wav([1, 2, 3]);
  rejects(wav.subarray(0, 10), AudioDecodeError, /header is cut short \(10 bytes/);
  rejects(wav.subarray(0, 30), AudioDecodeError, /chunk "fmt " at byte 12 declares 16 bytes but only 10 follow/);
  rejects(wav.subarray(0, 36), AudioDecodeError, /no "data" chunk/);
  rejects(buildWav([chunk("data", int16Body([1]))]), AudioDecodeError, /no "fmt " chunk/);
});

test("a truncated data chunk without one whole frame is an error", () => {
  const wav = pcm16Wav([1, 2, 3, 4], 2);
  rejects(wav.subarray(0, 44 + 3), AudioDecodeError, /truncated.*declares 8 bytes but only 3 are present.*4-byte frame/);
});

test("chunk sizes that overrun the file before the samples are corrupt, not a hang or a crash", () => {
  const wav = buildWav([
    chunk("fmt ", fmtBody({ channels: 1, rate: 8000, bits: 16 })),
    chunk("LIST", new Uint8Array(4), { declaredSize: 1_000_000 }),
    chunk("data", int16Body([1, 2])),
  ]);
  rejects(wav, AudioDecodeError, /"LIST" at byte 36 declares 1000000 bytes.*truncated or corrupt/);
  const garbage = pcm16Wav([1, 2]);
  garbage.set([0x00, 0x01, 0x02, 0x03], 36); // the data chunk id turned into binary junk
  rejects(garbage, AudioDecodeError, /corrupt chunk header at byte 36/);
});

test("RIFF files that are not WAVE, and nonsense fmt fields, are refused", () => {
  const notWave = pcm16Wav([1]);
  notWave.set(new TextEncoder().encode("AVI "), 8);
  rejects(notWave, AudioDecodeError, /form type is "AVI ", not "WAVE"/);
  rejects(buildWav([chunk("fmt ", fmtBody({ channels: 0, rate: 8000, bits: 16 })), chunk("data", int16Body([1]))]), AudioDecodeError, /0 channels/);
  rejects(buildWav([chunk("fmt ", fmtBody({ channels: 1, rate: 0, bits: 16 })), chunk("data", int16Body([1]))]), AudioDecodeError, /sample rate of 0/);
  rejects(buildWav([chunk("fmt ", fmtBody({ channels: 2, rate: 8000, bits: 16, blockAlign: 3 })), chunk("data", int16Body([1, 2]))]), AudioDecodeError, /3 bytes per frame.*need 4/);
  rejects(buildWav([chunk("fmt ", new Uint8Array(12)), chunk("data", int16Body([1]))]), AudioDecodeError, /"fmt " chunk is 12 bytes/);
});

test("compressed and unusual WAV encodings are UnsupportedAudioFormatError pointing at ffmpeg", () => {
  const adpcm = buildWav([chunk("fmt ", fmtBody({ tag: 2, channels: 1, rate: 8000, bits: 4, blockAlign: 1 })), chunk("data", new Uint8Array(8))]);
  rejects(adpcm, UnsupportedAudioFormatError, /Microsoft ADPCM.*decoder: "ffmpeg"/);
  assert.throws(() => decodeWav(adpcm), (e: unknown) => e instanceof UnsupportedAudioFormatError && e.format === "WAV (Microsoft ADPCM)");
  rejects(buildWav([chunk("fmt ", fmtBody({ tag: 3, channels: 1, rate: 8000, bits: 24 })), chunk("data", new Uint8Array(3))]), UnsupportedAudioFormatError, /24-bit floating-point/);
  rejects(buildWav([chunk("fmt ", fmtBody({ tag: 0x1234, channels: 1, rate: 8000, bits: 16 })), chunk("data", new Uint8Array(2))]), UnsupportedAudioFormatError, /format tag 0x1234/);
  const oddGuid = extensibleFmtBody({ subTag: 1, channels: 1, rate: 8000, bits: 16, mask: 4 });
  oddGuid[30] = 0x99;
  rejects(buildWav([chunk("fmt ", oddGuid), chunk("data", int16Body([1]))]), UnsupportedAudioFormatError, /unknown sub-format GUID/);
});

test("NaN or Infinity in a float WAV is an error naming the first bad frame and channel", () => {
  const nan = buildWav([chunk("fmt ", fmtBody({ tag: 3, channels: 2, rate: 8000, bits: 32 })), chunk("data", float32Body([0, 0, 0.5, 0.5, 0, NaN, Infinity, 0]))]);
  rejects(nan, AudioDecodeError, /sample NaN at frame 2 \(channel 1, 2 channel\(s\)\) is not finite/);
  const inf = buildWav([chunk("fmt ", fmtBody({ tag: 3, channels: 1, rate: 8000, bits: 32 })), chunk("data", float32Body([0.1, -Infinity]))]);
  rejects(inf, AudioDecodeError, /sample -Infinity at frame 1/);
});
