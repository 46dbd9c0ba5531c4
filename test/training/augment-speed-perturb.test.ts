import { test } from "node:test";
import assert from "node:assert/strict";
import { AugmentationError } from "../../src/training/errors.js";
import { SpeedPerturb } from "../../src/training/augment/index.js";
import { Rng } from "../../src/training/random.js";
import { peakFrequency, rmsOf, tone } from "./support/signals.js";

const SR = 16000;

test("SpeedPerturb: a tone moves to f·factor, the clip lasts duration/factor, the level is kept", () => {
  const x = tone(500, 2, SR);
  const t = new SpeedPerturb({ minFactor: 0.85, maxFactor: 1.15, p: 1 });
  const factors = new Set<number>();
  for (const seed of [1, 2, 3, 4, 5]) {
    const { samples, applied } = t.run(x, SR, new Rng(seed));
    const factor = applied[0]!.parameters["factor"] as number;
    factors.add(factor);
    assert.ok(factor >= 0.85 && factor <= 1.15);
    assert.equal(samples.length, Math.ceil(x.length / factor));
    const { frequency, binWidth } = peakFrequency(samples, SR, 2048, 16384);
    assert.ok(Math.abs(frequency - 500 * factor) <= binWidth, `factor ${factor.toFixed(3)}: peak at ${frequency} Hz, expected ${500 * factor}`);
    const middle = (a: Float32Array) => a.subarray(Math.floor(a.length * 0.25), Math.floor(a.length * 0.75));
    const levelDb = 20 * Math.log10(rmsOf(middle(samples)) / rmsOf(middle(x)));
    assert.ok(Math.abs(levelDb) < 0.1, `level changed by ${levelDb} dB`);
  }
  assert.equal(factors.size, 5, "each seed draws its own factor");
  assert.deepEqual(t.apply(x, SR, new Rng(9)), t.apply(x, SR, new Rng(9)), "same seed, same output");
});

test("SpeedPerturb: p 0 leaves the audio alone; bad ranges are typed errors", () => {
  const x = tone(500, 0.1, SR);
  assert.deepEqual(new SpeedPerturb({ p: 0 }).apply(x, SR, new Rng(1)), x);
  assert.throws(() => new SpeedPerturb({ minFactor: 1.2, maxFactor: 1.1 }), AugmentationError);
  assert.throws(() => new SpeedPerturb({ minFactor: 0.1 }), AugmentationError);
  assert.throws(() => new SpeedPerturb({ min_factor: 0.9 } as never), (e: unknown) => e instanceof AugmentationError && /did you mean minFactor/.test((e as Error).message));
});
