import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AudioDecodeError,
  FfmpegDecodeError,
  FfmpegNotFoundError,
  decodeWithFfmpeg,
  ffmpegReadArgs,
} from "../../src/audio/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { caseFiles, fixturePath, loadFloat, manifest, readJson, type ArrayRef } from "../helpers/fixtures.js";
import { needsFfmpeg } from "../helpers/ffmpeg.js";
import { codecFixtureBytes, firstBitDifference } from "./reference.js";

interface GoldenDecode {
  file: string;
  rate: number;
  waveform: ArrayRef;
}

/** Every (file, rate) → ffmpeg_read output recorded in the cases and in decode/ffmpeg_read.json. */
function goldenDecodes(): GoldenDecode[] {
  const byKey = new Map<string, GoldenDecode>();
  for (const model of manifest().models) {
    for (const file of caseFiles(model.id)) {
      const c = readJson(file);
      if (c.waveform === undefined) continue;
      byKey.set(`${c.audio_file}@${c.sampling_rate}`, { file: c.audio_file, rate: c.sampling_rate, waveform: c.waveform });
    }
  }
  for (const entry of readJson("decode/ffmpeg_read.json").entries) {
    byKey.set(`${entry.audio_file}@${entry.sampling_rate}`, { file: entry.audio_file, rate: entry.sampling_rate, waveform: entry.output });
  }
  return [...byKey.values()];
}

function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), "audioclass-ffmpeg-test-"));
}

/** An executable shell script standing in for ffmpeg. */
function fakeFfmpeg(dir: string, body: string): string {
  const path = join(dir, "fake-ffmpeg");
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

test("the ffmpeg decoder reproduces every golden ffmpeg_read output bit for bit", needsFfmpeg, async () => {
  const golden = goldenDecodes();
  assert.ok(golden.length >= 16, `only ${golden.length} golden decodes found`);
  const rates = new Set(golden.map((g) => g.rate));
  assert.deepEqual([...rates].sort(), [16000, 48000]);
  for (const { file, rate, waveform } of golden) {
    const audio = await decodeWithFfmpeg(readFileSync(fixturePath(file)), { samplingRate: rate });
    assert.equal(audio.samplingRate, rate);
    assert.equal(audio.channels.length, 1);
    assert.equal(firstBitDifference(audio.channels[0]!, loadFloat(waveform)), -1, `${file} @ ${rate}`);
  }
});

test("it runs ffmpeg with exactly ffmpeg_read's arguments", () => {
  assert.deepEqual(ffmpegReadArgs(16000), ["-i", "pipe:0", "-ac", "1", "-ar", "16000", "-f", "f32le", "-hide_banner", "-loglevel", "quiet", "pipe:1"]);
});

test("without samplingRate it keeps the file's own rate, learned from ffmpeg's report", needsFfmpeg, async () => {
  const stereo = await decodeWithFfmpeg(readFileSync(fixturePath("audio/stereo_48k.wav")));
  assert.equal(stereo.samplingRate, 48000);
  assert.equal(firstBitDifference(stereo.channels[0]!, loadFloat(readJson("cases/clap/stereo_48k.json").waveform)), -1);
  const speech = await decodeWithFfmpeg(readFileSync(fixturePath("audio/speech_22k.wav")));
  assert.equal(speech.samplingRate, 22050);
  assert.equal(speech.channels[0]!.length, 91388);
});

test("it decodes formats the built-in decoders refuse (AAC in M4A, Opus in WebM)", needsFfmpeg, async () => {
  const m4a = await decodeWithFfmpeg(codecFixtureBytes("aac-stereo-44100.m4a"));
  assert.equal(m4a.samplingRate, 44100);
  assert.equal(m4a.channels.length, 1);
  // 0.3 s = 13230 frames; through a pipe ffmpeg drops the AAC priming but not the last frame's padding.
  assert.equal(m4a.channels[0]!.length, 13312);
  const webm = await decodeWithFfmpeg(codecFixtureBytes("opus-mono-48000.webm"), { samplingRate: 16000 });
  assert.equal(webm.samplingRate, 16000);
  assert.ok(Math.abs(webm.channels[0]!.length - 4800) <= 320, `${webm.channels[0]!.length} samples`);
});

test("a missing ffmpeg is an FfmpegNotFoundError naming the binary and how to install it", async () => {
  const missing = "/nonexistent/dir/ffmpeg";
  await assert.rejects(decodeWithFfmpeg(codecFixtureBytes("wav-u8-mono-8000.wav"), { ffmpegPath: missing }), (e: unknown) => {
    assert.ok(e instanceof FfmpegNotFoundError);
    assert.equal(e.ffmpegPath, missing);
    assert.match(e.message, /"\/nonexistent\/dir\/ffmpeg" was not found \(ENOENT\)/);
    assert.match(e.message, /apt-get install ffmpeg/);
    assert.match(e.message, /decoder: "builtin"/);
    return true;
  });
});

test("AUDIOCLASS_FFMPEG chooses the binary; ffmpegPath wins over it", async () => {
  const saved = process.env["AUDIOCLASS_FFMPEG"];
  const dir = scratchDir();
  process.env["AUDIOCLASS_FFMPEG"] = "/nonexistent/env-ffmpeg";
  try {
    await assert.rejects(decodeWithFfmpeg(codecFixtureBytes("wav-u8-mono-8000.wav")), (e: unknown) => e instanceof FfmpegNotFoundError && e.ffmpegPath === "/nonexistent/env-ffmpeg");
    // A stand-in that writes the float32 samples 0.5 and 1 (needs no real ffmpeg on PATH).
    const standIn = fakeFfmpeg(dir, "cat > /dev/null\nprintf '\\000\\000\\000\\077\\000\\000\\200\\077'");
    const audio = await decodeWithFfmpeg(codecFixtureBytes("wav-u8-mono-8000.wav"), { ffmpegPath: standIn, samplingRate: 8000 });
    assert.deepEqual(Array.from(audio.channels[0]!), [0.5, 1]);
  } finally {
    if (saved === undefined) delete process.env["AUDIOCLASS_FFMPEG"];
    else process.env["AUDIOCLASS_FFMPEG"] = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a binary that cannot be executed is an FfmpegNotFoundError too", async () => {
  const dir = scratchDir();
  try {
    const path = join(dir, "not-executable");
    writeFileSync(path, "#!/bin/sh\n");
    chmodSync(path, 0o644);
    await assert.rejects(decodeWithFfmpeg(codecFixtureBytes("wav-u8-mono-8000.wav"), { ffmpegPath: path }), /could not be executed \(EACCES\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("input ffmpeg cannot read is an FfmpegDecodeError naming it", needsFfmpeg, async () => {
  const junk = new TextEncoder().encode("this is not audio at all, just some text\n".repeat(20));
  await assert.rejects(decodeWithFfmpeg(junk, { name: "notes.txt", samplingRate: 16000 }), (e: unknown) => {
    assert.ok(e instanceof FfmpegDecodeError);
    assert.ok(e instanceof AudioDecodeError);
    assert.match(e.message, /ffmpeg decoded no audio from notes\.txt \(exit code 1\)/);
    return true;
  });
});

test("empty input is refused before spawning ffmpeg", async () => {
  // A binary that is not there: spawning would give FfmpegNotFoundError instead.
  const options = { name: "empty.wav", ffmpegPath: "/nonexistent/dir/ffmpeg" };
  await assert.rejects(decodeWithFfmpeg(new Uint8Array(0), options), (e: unknown) => e instanceof AudioDecodeError && /empty\.wav: it is empty/.test(e.message));
});

test("ffmpeg's failure report and exit code reach the error; a binary that stops reading (EPIPE) is no crash", async () => {
  const dir = scratchDir();
  try {
    const failing = fakeFfmpeg(dir, 'echo "Invalid data found when processing input" >&2\nexit 3');
    await assert.rejects(decodeWithFfmpeg(new Uint8Array(100), { ffmpegPath: failing, name: "x.bin" }), (e: unknown) => {
      assert.ok(e instanceof FfmpegDecodeError);
      assert.equal(e.exitCode, 3);
      assert.match(e.message, /x\.bin \(exit code 3\): Invalid data found when processing input/);
      return true;
    });
    const quitter = fakeFfmpeg(dir, "head -c 16 > /dev/null\nexit 1");
    await assert.rejects(decodeWithFfmpeg(new Uint8Array(8 << 20), { ffmpegPath: quitter }), FfmpegDecodeError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an abort signal kills ffmpeg and rejects with the signal's reason", async () => {
  const dir = scratchDir();
  try {
    const sleeper = fakeFfmpeg(dir, "cat > /dev/null\nexec sleep 30"); // exec: the kill reaches sleep itself
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error("stop now")), 100);
    await assert.rejects(decodeWithFfmpeg(new Uint8Array(10), { ffmpegPath: sleeper, signal: controller.signal }), /stop now/);
    assert.ok(Date.now() - started < 5000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a bad samplingRate is an InvalidArgumentError", async () => {
  for (const bad of [0, -16000, 16000.5, Number.NaN, "16000"]) {
    await assert.rejects(decodeWithFfmpeg(new Uint8Array(10), { samplingRate: bad as number }), InvalidArgumentError);
  }
});
