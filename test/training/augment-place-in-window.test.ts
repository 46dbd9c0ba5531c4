import { test } from "node:test";
import assert from "node:assert/strict";
import { AugmentationError } from "../../src/training/errors.js";
import { PlaceInWindow } from "../../src/training/augment/index.js";
import { Rng } from "../../src/training/random.js";

const SR = 1000;
/** 1, 2, 3, … n: every sample says where it came from. */
const ramp = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i + 1);

test("PlaceInWindow: the clip lands whole at the drawn offset, silence around it, output as long as the window", () => {
  const t = new PlaceInWindow({ windowSeconds: 1, p: 1 });
  const x = ramp(300);
  const offsets = new Set<number>();
  for (let seed = 1; seed <= 40; seed++) {
    const { samples, applied } = t.run(x, SR, new Rng(seed));
    const offset = applied[0]!.parameters["offset"] as number;
    offsets.add(offset);
    assert.equal(samples.length, 1000);
    assert.ok(offset >= 0 && offset <= 700, `offset ${offset} outside [0, 700]`);
    assert.deepEqual(samples.subarray(offset, offset + 300), x);
    assert.ok(samples.subarray(0, offset).every((v) => v === 0));
    assert.ok(samples.subarray(offset + 300).every((v) => v === 0));
  }
  assert.ok(offsets.size > 30, "offsets differ between seeds");
  assert.deepEqual(t.apply(x, SR, new Rng(5)), t.apply(x, SR, new Rng(5)), "same seed, same output");
});

test("PlaceInWindow: with maxCutFraction, up to that share falls off either edge, and both extremes are reachable", () => {
  const t = new PlaceInWindow({ windowSeconds: 1, maxCutFraction: 0.2, p: 1 });
  assert.deepEqual(t.offsetRange(300, SR), { min: -60, max: 760 });
  const x = ramp(300);
  // cut at the start: the clip's first 60 samples are gone, the rest starts the window
  const early = t.applyWith(x, SR, { offset: -60 }, new Rng(1));
  assert.equal(early[0], 61);
  assert.equal(early[239], 300);
  assert.equal(early[240], 0);
  // cut at the end: the clip's last 60 samples are gone
  const late = t.applyWith(x, SR, { offset: 760 }, new Rng(1));
  assert.equal(late[759], 0);
  assert.equal(late[760], 1);
  assert.equal(late[999], 240);
  let min = Infinity;
  let max = -Infinity;
  for (let seed = 1; seed <= 400; seed++) {
    const offset = t.run(x, SR, new Rng(seed)).applied[0]!.parameters["offset"] as number;
    min = Math.min(min, offset);
    max = Math.max(max, offset);
  }
  assert.ok(min >= -60 && min < 0 && max <= 760 && max > 700, `offsets drawn in [${min}, ${max}]`);
});

test("PlaceInWindow: a clip longer than the window becomes an excerpt of the window's length", () => {
  const t = new PlaceInWindow({ windowSeconds: 0.5, p: 1 });
  assert.deepEqual(t.offsetRange(800, SR), { min: -300, max: 0 });
  const x = ramp(800);
  for (let seed = 1; seed <= 10; seed++) {
    const { samples, applied } = t.run(x, SR, new Rng(seed));
    const offset = applied[0]!.parameters["offset"] as number;
    assert.equal(samples.length, 500);
    assert.deepEqual(samples, x.subarray(-offset, -offset + 500));
  }
});

test("PlaceInWindow: p 0 leaves the audio alone; bad options are typed errors", () => {
  const x = ramp(10);
  assert.deepEqual(new PlaceInWindow({ p: 0 }).apply(x, SR, new Rng(1)), x);
  assert.throws(() => new PlaceInWindow({ windowSeconds: 0 }), AugmentationError);
  assert.throws(() => new PlaceInWindow({ maxCutFraction: 1 }), AugmentationError);
  assert.throws(() => new PlaceInWindow({ maxCutFraction: -0.1 }), AugmentationError);
  assert.throws(() => new PlaceInWindow({ window_seconds: 1 } as never), (e: unknown) => e instanceof AugmentationError && /did you mean windowSeconds/.test((e as Error).message));
  assert.throws(() => new PlaceInWindow().applyWith(x, SR, { offset: 0.5 }, new Rng(1)), AugmentationError);
});
