import { test } from "node:test";
import assert from "node:assert/strict";
import { detectAudioFormat } from "../../src/audio/index.js";
import { codecFixtureBytes } from "./reference.js";
import { pcm16Wav } from "./wav-builder.js";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
};

/** A single Ogg page (beginning of stream) holding `packet`. */
function oggFirstPage(packet: Uint8Array): Uint8Array {
  const header = new Uint8Array(28);
  header.set(ascii("OggS"), 0);
  header[5] = 0x02; // beginning of stream
  header[26] = 1; // one lacing value
  header[27] = packet.length;
  return concat(header, packet);
}

/** An ID3v2.4 tag with `size` bytes of zero padding. */
function id3Tag(size: number): Uint8Array {
  const tag = new Uint8Array(10 + size);
  tag.set(ascii("ID3"), 0);
  tag[3] = 4;
  tag[6] = (size >> 21) & 0x7f;
  tag[7] = (size >> 14) & 0x7f;
  tag[8] = (size >> 7) & 0x7f;
  tag[9] = size & 0x7f;
  return tag;
}

test("every generated fixture is recognised from its bytes", () => {
  const expected: Record<string, [string | undefined, string]> = {
    "mp3-mono-22050.mp3": ["mp3", "MP3"],
    "mp3-stereo-44100.mp3": ["mp3", "MP3"],
    "mp2-mono-32000.mp2": [undefined, "MPEG-1 Layer II (MP2)"],
    "flac-mono-16bit-44100.flac": ["flac", "FLAC"],
    "ogg-flac-stereo-16000.oga": ["ogg-flac", "Ogg FLAC"],
    "ogg-vorbis-stereo-44100.ogg": ["ogg-vorbis", "Ogg Vorbis"],
    "ogg-opus-mono-48000.opus": ["ogg-opus", "Ogg Opus"],
    "aac-stereo-44100.m4a": [undefined, 'MP4/M4A (brand "M4A")'],
    "opus-mono-48000.webm": [undefined, "WebM"],
    "wav-s16-stereo-8000-rf64.wav": ["wav", "WAV"],
    "wav-s16be-mono-8000-rifx.wav": ["wav", "WAV"],
    "wav-u8-mono-8000.wav": ["wav", "WAV"],
  };
  for (const [file, [format, name]] of Object.entries(expected)) {
    assert.deepEqual(detectAudioFormat(codecFixtureBytes(file)), { format, name }, file);
  }
});

test("formats the built-in decoders do not read are named", () => {
  const cases: [Uint8Array, string][] = [
    [concat(ascii("FORM\0\0\0\x20AIFFCOMM"), new Uint8Array(20)), "AIFF"],
    [concat(ascii("FORM\0\0\0\x20AIFCFVER"), new Uint8Array(20)), "AIFF-C"],
    [concat(ascii("\0\0\0\x20ftypisom"), new Uint8Array(20)), 'MP4/M4A (brand "isom")'],
    [concat(ascii("\0\0\0\x1cftyp3gp4"), new Uint8Array(20)), "3GP"],
    [concat(Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3), ascii("\x9f\x42\x86\x81\x01\x42\x82\x88matroska")), "Matroska"],
    [concat(ascii("caff\0\x01\0\0"), new Uint8Array(20)), "CAF (Core Audio)"],
    [concat(ascii(".snd\0\0\0\x18"), new Uint8Array(20)), "Sun AU"],
    [ascii("#!AMR\n\x3c\x00\x00\x00"), "AMR"],
    [concat(Uint8Array.of(0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc), new Uint8Array(20)), "AAC (ADTS)"],
    [concat(ascii("RIFF\0\0\0\0AVI LIST"), new Uint8Array(10)), "AVI"],
    [oggFirstPage(ascii("Speex   1.2")), "Ogg Speex"],
    [oggFirstPage(ascii("\x80theora\x03\x02")), "Ogg Theora (video)"],
  ];
  for (const [bytes, name] of cases) assert.deepEqual(detectAudioFormat(bytes), { format: undefined, name }, name);
});

test("content that is not audio at all is flagged as such", () => {
  const cases: [Uint8Array, string][] = [
    [ascii("<!DOCTYPE html><html><body>Not Found</body></html>"), "HTML (a web page)"],
    [ascii('  {"error": "no such clip"}'), "JSON text"],
    [ascii("hello\nworld\n"), "plain text"],
    [concat(ascii("MThd\0\0\0\x06"), new Uint8Array(10)), "MIDI (notes, not recorded sound)"],
  ];
  for (const [bytes, name] of cases) assert.deepEqual(detectAudioFormat(bytes), { format: undefined, name, notAudio: true }, name);
});

test("MP3 needs two consecutive frame headers, so a stray 0xFFFB is not MP3", () => {
  const mp3 = codecFixtureBytes("mp3-stereo-44100.mp3");
  assert.equal(detectAudioFormat(mp3).format, "mp3");
  const stray = Uint8Array.of(0xff, 0xfb, 0x90, 0x64, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
  assert.deepEqual(detectAudioFormat(stray), { format: undefined, name: "unknown" });
});

test("ID3v2 tags are skipped: MP3 after padding, FLAC behind a tag, and a tag with nothing after it goes to the MP3 decoder", () => {
  const mp3 = codecFixtureBytes("mp3-stereo-44100.mp3");
  assert.equal(detectAudioFormat(concat(id3Tag(300), new Uint8Array(50), mp3)).format, "mp3");
  assert.equal(detectAudioFormat(concat(id3Tag(40), codecFixtureBytes("flac-mono-16bit-44100.flac"))).format, "flac");
  assert.equal(detectAudioFormat(id3Tag(100)).format, "mp3");
});

test("tiny and empty inputs are unknown, never an exception", () => {
  for (const bytes of [new Uint8Array(0), Uint8Array.of(0xff), ascii("RIF"), ascii("OggS"), pcm16Wav([1]).subarray(0, 11)]) {
    assert.equal(detectAudioFormat(bytes).format, undefined);
  }
});
