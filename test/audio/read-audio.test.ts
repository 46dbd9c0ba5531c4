import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import {
  AudioDecodeError,
  AudioSourceError,
  UnsupportedAudioFormatError,
  decodeWav,
  readAudio,
  resample,
  toMono,
} from "../../src/audio/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { fixturePath, loadFloat, readJson } from "../helpers/fixtures.js";
import { needsFfmpeg } from "../helpers/ffmpeg.js";
import { codecFixture, codecFixtureBytes, firstBitDifference } from "./reference.js";

const SPEECH = fixturePath("audio/speech_16k.wav");
const STEREO = fixturePath("audio/stereo_48k.wav");

let server: Server;
let base: string;

before(async () => {
  const wav = readFileSync(SPEECH);
  server = createServer((request, response) => {
    if (request.url === "/speech.wav") {
      response.writeHead(200, { "content-type": "audio/wav" });
      response.end(wav);
    } else if (request.url === "/page") {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<!DOCTYPE html><html><body>A page about audio</body></html>");
    } else {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not here");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Asserts a rejection of class `kind` whose message contains `name`. */
async function rejectsNaming(promise: Promise<unknown>, kind: new (...args: never[]) => Error, name: string, pattern?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    assert.ok(error.message.includes(name), `"${error.message}" does not name ${name}`);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

test("a path, a file: URL (string or object), a Buffer, an ArrayBuffer and a Blob give the same audio", async () => {
  const expected = decodeWav(readFileSync(SPEECH));
  const bytes = readFileSync(SPEECH);
  const inputs = [
    SPEECH,
    pathToFileURL(SPEECH),
    pathToFileURL(SPEECH).href,
    bytes,
    new Uint8Array(bytes),
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    new Blob([bytes]),
  ];
  for (const input of inputs) {
    const audio = await readAudio(input as Parameters<typeof readAudio>[0]);
    assert.equal(audio.samplingRate, 16000);
    assert.deepEqual(audio.channels, expected.channels);
  }
});

test("an http URL is fetched (string or URL object)", async () => {
  const expected = decodeWav(readFileSync(SPEECH));
  for (const input of [`${base}/speech.wav`, new URL("/speech.wav", base)]) {
    const audio = await readAudio(input);
    assert.deepEqual(audio.channels, expected.channels);
  }
});

test("an HTTP error names the URL and the status; an unreachable host names the URL", async () => {
  const url = `${base}/missing.wav`;
  await rejectsNaming(readAudio(url), AudioSourceError, url, /HTTP 404 Not Found/);
  await assert.rejects(readAudio(url), (e: unknown) => e instanceof AudioSourceError && e.status === 404 && e.input === url);
  // A port nobody listens on: bind one, note it, close it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const unreachable = `http://127.0.0.1:${closedPort}/clip.wav`;
  await rejectsNaming(readAudio(unreachable), AudioSourceError, unreachable, /ECONNREFUSED/);
});

test("a web page served instead of audio is named as such", async () => {
  await rejectsNaming(readAudio(`${base}/page`), UnsupportedAudioFormatError, `${base}/page`, /it is HTML \(a web page\), not audio$/);
});

test("samplingRate resamples each channel with resample(); the file's rate is kept otherwise", async () => {
  const native = decodeWav(readFileSync(STEREO));
  const audio = await readAudio(STEREO, { samplingRate: 16000 });
  assert.equal(audio.samplingRate, 16000);
  assert.equal(audio.channels.length, 2);
  for (let c = 0; c < 2; c++) assert.deepEqual(audio.channels[c], resample(native.channels[c]!, 48000, 16000));
  const same = await readAudio(STEREO, { samplingRate: 48000 });
  assert.deepEqual(same.channels, native.channels);
});

test("the dict-path golden: speech_22k resampled to 16 kHz matches torchaudio's output", async () => {
  const entry = readJson("cases/ast/speech_22k.json").dict_input;
  const audio = await readAudio(fixturePath("audio/speech_22k.wav"), { samplingRate: 16000 });
  const expected = loadFloat(entry.resampled);
  assert.equal(audio.channels[0]!.length, expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(audio.channels[0]![i]! - expected[i]!));
  assert.ok(max < 1e-5, `max difference ${max}`);
});

test("mono: true downmixes as ffmpeg -ac 1 before resampling", async () => {
  const native = decodeWav(readFileSync(STEREO));
  const mono = await readAudio(STEREO, { mono: true });
  assert.equal(mono.channels.length, 1);
  assert.equal(mono.channelPositions, undefined);
  assert.deepEqual(mono.channels[0], toMono(native));
  const at16k = await readAudio(STEREO, { mono: true, samplingRate: 16000 });
  assert.deepEqual(at16k.channels[0], resample(toMono(native), 48000, 16000));
});

test('decoder: "ffmpeg" through readAudio gives Python\'s ffmpeg_read waveform', needsFfmpeg, async () => {
  const audio = await readAudio(STEREO, { decoder: "ffmpeg", samplingRate: 16000 });
  assert.equal(audio.samplingRate, 16000);
  assert.equal(firstBitDifference(audio.channels[0]!, loadFloat(readJson("cases/ast/stereo_48k.json").waveform)), -1);
  const m4a = await readAudio(codecFixture("aac-stereo-44100.m4a"), { decoder: "ffmpeg" });
  assert.equal(m4a.samplingRate, 44100);
});

test("FLAC behind an ID3 tag decodes", async () => {
  const flac = codecFixtureBytes("flac-mono-16bit-44100.flac");
  const tagged = new Uint8Array(10 + 20 + flac.length);
  tagged.set([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 20], 0);
  tagged.set(flac, 30);
  const audio = await readAudio(tagged);
  assert.deepEqual(audio.channels, (await readAudio(flac)).channels);
});

test("a missing path, a directory and an empty file are errors naming the path", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-read-audio-"));
  try {
    const missing = join(dir, "nope.wav");
    await rejectsNaming(readAudio(missing), AudioSourceError, missing, /no such file/);
    await rejectsNaming(readAudio(dir), AudioSourceError, dir, /is a directory/);
    const empty = join(dir, "empty.wav");
    writeFileSync(empty, new Uint8Array(0));
    await rejectsNaming(readAudio(empty), AudioDecodeError, empty, /empty \(0 bytes\)/);
    await rejectsNaming(readAudio(empty, { decoder: "ffmpeg" }), AudioDecodeError, empty, /empty \(0 bytes\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("formats the built-in decoders refuse name the format and point at ffmpeg", async () => {
  for (const [file, format] of [
    ["aac-stereo-44100.m4a", 'MP4/M4A (brand "M4A")'],
    ["opus-mono-48000.webm", "WebM"],
    ["mp2-mono-32000.mp2", "MPEG-1 Layer II (MP2)"],
  ] as const) {
    const path = codecFixture(file);
    await rejectsNaming(readAudio(path), UnsupportedAudioFormatError, path, /decoder: "ffmpeg"/);
    await assert.rejects(readAudio(path), (e: unknown) => e instanceof UnsupportedAudioFormatError && e.format === format);
  }
  await rejectsNaming(readAudio(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9)), UnsupportedAudioFormatError, "the 9-byte audio buffer", /not recognised \(first bytes 01 02 03/);
});

test("bad options and inputs are InvalidArgumentError", async () => {
  for (const samplingRate of [0, -8000, 22050.5, Number.NaN, Number.POSITIVE_INFINITY, "16000"]) {
    await assert.rejects(readAudio(SPEECH, { samplingRate: samplingRate as number }), (e: unknown) => e instanceof InvalidArgumentError && /samplingRate/.test((e as Error).message));
  }
  await assert.rejects(readAudio(SPEECH, { decoder: "sox" as "ffmpeg" }), /decoder must be "builtin" or "ffmpeg", got "sox"/);
  await assert.rejects(readAudio(SPEECH, { mono: "yes" as unknown as boolean }), InvalidArgumentError);
  for (const input of [42, null, undefined, { path: SPEECH }, "", "http://", new URL("ftp://example.com/a.wav")]) {
    await assert.rejects(readAudio(input as unknown as string), InvalidArgumentError, String(input));
  }
});
