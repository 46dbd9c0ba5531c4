import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { esc10NoiseFiles, withoutSilence } from "../../scripts/esc10-noise.js";

test("esc10NoiseFiles: within each class the clips alternate between train and eval halves", () => {
  const dir = mkdtempSync(join(tmpdir(), "esc10-split-"));
  try {
    for (const name of ["4-1-A-0.wav", "4-2-A-0.wav", "4-3-A-0.wav", "4-1-A-10.wav", "4-2-B-10.wav", "notes.txt"]) writeFileSync(join(dir, name), "");
    const train = esc10NoiseFiles(dir, "train").map((p) => basename(p));
    const evaluation = esc10NoiseFiles(dir, "eval").map((p) => basename(p));
    assert.deepEqual(train.sort(), ["4-1-A-0.wav", "4-1-A-10.wav", "4-3-A-0.wav"]);
    assert.deepEqual(evaluation.sort(), ["4-2-A-0.wav", "4-2-B-10.wav"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("withoutSilence: drops the digitally silent 50 ms frames and keeps the rest in order", () => {
  const rate = 1000; // 50-sample frames
  const x = new Float32Array(300);
  x.fill(0.5, 50, 100); // frame 1
  x.fill(-0.25, 200, 250); // frame 4
  x[260] = 1e-6; // frame 5: below the threshold
  const y = withoutSilence(x, rate);
  assert.equal(y.length, 100);
  assert.ok(y.subarray(0, 50).every((v) => v === 0.5));
  assert.ok(y.subarray(50).every((v) => v === -0.25));
  assert.equal(withoutSilence(new Float32Array(120), rate).length, 0);
});
