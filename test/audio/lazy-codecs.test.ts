import { test } from "node:test";
import assert from "node:assert/strict";
import { fixturePath } from "../helpers/fixtures.js";
import { codecFixture } from "./reference.js";

// Runs in its own process (node --test isolates files), so no other test has loaded a codec yet.
test("reading a WAV starts no WebAssembly; the first MP3 does", async () => {
  let wasmStarts = 0;
  const { compile, instantiate } = WebAssembly;
  WebAssembly.compile = (...args: Parameters<typeof compile>) => (wasmStarts++, compile(...args));
  WebAssembly.instantiate = ((...args: Parameters<typeof instantiate>) => (wasmStarts++, instantiate(...args))) as typeof instantiate;
  try {
    const { readAudio } = await import("../../src/audio/index.js");
    await readAudio(fixturePath("audio/speech_16k.wav"));
    await readAudio(fixturePath("audio/stereo_48k.wav"), { mono: true, samplingRate: 16000 });
    assert.equal(wasmStarts, 0);
    await readAudio(codecFixture("mp3-mono-22050.mp3"));
    assert.ok(wasmStarts > 0);
  } finally {
    WebAssembly.compile = compile;
    WebAssembly.instantiate = instantiate;
  }
});
