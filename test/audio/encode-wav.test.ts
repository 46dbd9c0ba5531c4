import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeWav, encodeWav } from "../../src/audio/index.js";
import { InvalidArgumentError } from "../../src/errors.js";

test("PCM16 WAVs round-trip exactly through decodeWav, clipping out-of-range samples", () => {
  const left = Float32Array.from([0, 1 / 32768, -1, 0.5, -12345 / 32768, 32767 / 32768]);
  const right = Float32Array.from([0.25, -0.25, 0, 0, 100 / 32768, -1 / 32768]);
  const audio = decodeWav(encodeWav([left, right], 22050));
  assert.equal(audio.samplingRate, 22050);
  assert.deepEqual(audio.channels, [left, right]);
  const clipped = decodeWav(encodeWav([Float32Array.from([2, -2, 1, Number.NaN])], 8000)).channels[0]!;
  assert.deepEqual([...clipped], [32767 / 32768, -1, 32767 / 32768, 0]);
});

test("float32 WAVs keep every sample bit for bit", () => {
  const samples = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.37) * 1.5);
  const bytes = encodeWav([samples], 16000, { format: "float32" });
  assert.equal(bytes.byteLength, 44 + 4000);
  assert.deepEqual(decodeWav(bytes).channels[0], samples);
});

test("bad arguments are InvalidArgumentErrors naming what would work", () => {
  assert.throws(() => encodeWav([], 16000), /1 to 65535 channels/);
  assert.throws(() => encodeWav([new Float32Array(3)], 0), InvalidArgumentError);
  assert.throws(() => encodeWav([new Float32Array(3), new Float32Array(2)], 16000), /one length/);
  assert.throws(() => encodeWav([new Float32Array(3)], 16000, { format: "pcm24" as never }), /"pcm16" or "float32"/);
});
