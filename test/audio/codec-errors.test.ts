import { test } from "node:test";
import assert from "node:assert/strict";
import { AudioDecodeError, AudioTooLargeError, UnsupportedAudioFormatError, decodeAudio, decodeFlac, decodeMp3, decodeOggOpus, decodeOggVorbis } from "../../src/audio/index.js";
import { codecFixtureBytes } from "./reference.js";

const NAME = "upload.bin";

async function rejectsNaming(promise: Promise<unknown>, pattern: RegExp, kind: new (...args: never[]) => Error = AudioDecodeError): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    assert.match(error.message, /upload\.bin/);
    assert.match(error.message, pattern);
    return true;
  });
}

/** The file with 200 bytes a third of the way in overwritten by junk. */
function damaged(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  const start = Math.floor(copy.length / 3);
  for (let i = start; i < start + 200; i++) copy[i] = (i * 73) & 0xff;
  return copy;
}

test("codec files cut down to their headers decode nothing: AudioDecodeError naming the input", async () => {
  const cases: [string, number, RegExp][] = [
    ["mp3-stereo-44100.mp3", 600, /as MP3: no audio could be decoded.*truncated or corrupt/],
    ["flac-mono-16bit-44100.flac", 600, /as FLAC: no audio could be decoded/],
    ["ogg-vorbis-stereo-44100.ogg", 600, /as Ogg Vorbis: no audio could be decoded/],
    ["ogg-flac-stereo-16000.oga", 600, /as Ogg FLAC: no audio could be decoded/],
  ];
  for (const [file, keep, pattern] of cases) {
    await rejectsNaming(decodeAudio(codecFixtureBytes(file).subarray(0, keep), { name: NAME }), pattern);
  }
});

test("headers cut inside the codec's own header are decode errors too, never crashes", async () => {
  await rejectsNaming(decodeFlac(codecFixtureBytes("flac-mono-16bit-44100.flac").subarray(0, 20), { name: NAME }), /STREAMINFO header is missing or cut short/);
  await rejectsNaming(decodeOggVorbis(codecFixtureBytes("ogg-vorbis-stereo-44100.ogg").subarray(0, 64), { name: NAME }), /Ogg Vorbis/);
  await rejectsNaming(decodeOggOpus(codecFixtureBytes("ogg-opus-mono-48000.opus").subarray(0, 64), { name: NAME }), /Ogg Opus/);
  await rejectsNaming(decodeOggOpus(codecFixtureBytes("ogg-opus-mono-48000.opus").subarray(0, 30), { name: NAME }), /OpusHead header is missing or cut short/);
  await rejectsNaming(decodeMp3(new Uint8Array(0), { name: NAME }), /no audio could be decoded/);
});

test("a truncated MP3 or Opus file gives the audio that is there", async () => {
  const mp3 = await decodeMp3(codecFixtureBytes("mp3-mono-22050.mp3").subarray(0, 1300));
  assert.ok(mp3.channels[0]!.length > 0 && mp3.channels[0]!.length < 11025, `${mp3.channels[0]!.length} frames`);
  const opus = await decodeOggOpus(codecFixtureBytes("ogg-opus-mono-48000.opus").subarray(0, 1700));
  assert.ok(opus.channels[0]!.length > 0 && opus.channels[0]!.length < 24000, `${opus.channels[0]!.length} frames`);
});

test("damaged frames in the middle are skipped like ffmpeg skips them, or fail cleanly", async () => {
  for (const file of ["mp3-mono-22050.mp3", "flac-mono-16bit-44100.flac", "ogg-opus-mono-48000.opus", "ogg-flac-stereo-16000.oga", "ogg-vorbis-stereo-44100.ogg"]) {
    try {
      const audio = await decodeAudio(damaged(codecFixtureBytes(file)), { name: NAME });
      assert.ok(audio.channels[0]!.length > 0, file);
      for (const channel of audio.channels) for (const v of channel) assert.ok(Number.isFinite(v), file);
    } catch (error) {
      assert.ok(error instanceof AudioDecodeError, `${file}: ${String(error)}`);
      assert.match(error.message, /upload\.bin/);
    }
  }
});

test("damaged frames do not reach the console; other console.error output still does", async () => {
  const seen: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void seen.push(args);
  try {
    await decodeAudio(damaged(codecFixtureBytes("ogg-opus-mono-48000.opus")));
    await decodeAudio(damaged(codecFixtureBytes("mp3-mono-22050.mp3")));
    assert.deepEqual(seen, []);
    console.error("ours");
    assert.deepEqual(seen, [["ours"]]);
  } finally {
    console.error = original;
  }
});

test("MP2 with an MP3 extension is refused by content, not decoded as silence", async () => {
  await rejectsNaming(decodeMp3(codecFixtureBytes("mp2-mono-32000.mp2"), { name: NAME }), /MPEG-1 Layer II \(MP2\).*decoder: "ffmpeg"/, UnsupportedAudioFormatError);
});

test("decodeAudio bounds the decoded size of compressed audio (AudioTooLargeError), and below the bound gives the codecs' whole-file samples", async () => {
  // 14 MB of silent Opus is 12 hours (8 GB of float32): the bound is what stops such a file.
  const whole: Record<string, (bytes: Uint8Array) => Promise<{ channels: Float32Array[]; samplingRate: number }>> = {
    "mp3-stereo-44100.mp3": (b) => decodeMp3(b),
    "flac-stereo-24bit-48000.flac": (b) => decodeFlac(b),
    "ogg-vorbis-stereo-44100.ogg": (b) => decodeOggVorbis(b),
    "ogg-opus-stereo-48000.opus": (b) => decodeOggOpus(b),
  };
  for (const [file, decodeWhole] of Object.entries(whole)) {
    const bytes = codecFixtureBytes(file);
    const expected = await decodeWhole(bytes);
    const size = expected.channels.length * expected.channels[0]!.length * 4;
    const exact = await decodeAudio(bytes, { name: file, maxDecodedBytes: size });
    assert.equal(exact.samplingRate, expected.samplingRate, file);
    assert.deepEqual(exact.channels, expected.channels, `${file}: the same samples as the whole-file decode`);
    await assert.rejects(
      decodeAudio(bytes, { name: file, maxDecodedBytes: size - 4 }),
      (e: unknown) => e instanceof AudioTooLargeError && e instanceof AudioDecodeError && e.message.includes(file) && /--window/.test(e.message),
      file,
    );
  }
});
