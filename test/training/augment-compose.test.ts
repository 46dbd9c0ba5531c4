import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AUGMENTATION_PRESETS,
  AddBackgroundNoise,
  AddGaussianSNR,
  ClippingDistortion,
  Compose,
  Gain,
  GainTransition,
  Normalize,
  PitchShift,
  Shift,
  TimeStretch,
  augmentationPreset,
  type Transform,
} from "../../src/training/augment/index.js";
import { AugmentationError } from "../../src/training/errors.js";
import { Rng } from "../../src/training/random.js";
import { difference, noise, rmsOf, tone, withinBinomial } from "./support/signals.js";
import { tempDir } from "./support/wav-file.js";

const SR = 8000;

test("Compose runs with probability p, and each transform with its own p (binomial bounds over 3000 seeds)", () => {
  const x = noise(16, 1);
  const chain = new Compose([new Gain({ p: 0.5 }), new Normalize({ p: 0.2 })], { p: 0.7 });
  const runs = 3000;
  let ran = 0;
  let gains = 0;
  let normalizes = 0;
  for (let seed = 0; seed < runs; seed++) {
    const { applied } = chain.run(x, SR, new Rng(seed));
    const names = applied.map((a) => a.name);
    if (names.length > 0) ran++;
    if (names.includes("Gain")) gains++;
    if (names.includes("Normalize")) normalizes++;
  }
  // the chain's own draw cannot be seen directly when no child applies; P(any) = 0.7·(1 − 0.5·0.8)
  assert.ok(withinBinomial(ran, runs, 0.7 * (1 - 0.5 * 0.8)), `chain with something applied ${ran}/${runs}`);
  assert.ok(withinBinomial(gains, runs, 0.7 * 0.5), `Gain ${gains}/${runs}`);
  assert.ok(withinBinomial(normalizes, runs, 0.7 * 0.2), `Normalize ${normalizes}/${runs}`);
  const never = new Compose([new Gain({ p: 1 })], { p: 0 }).run(x, SR, new Rng(3));
  assert.deepEqual(never.applied, []);
  assert.deepEqual(never.samples, x);
});

test("Compose shuffle: every order of three transforms occurs about equally often; without shuffle the order is fixed", () => {
  const x = noise(16, 2);
  const parts = [new Gain({ p: 1 }), new Normalize({ p: 1 }), new Shift({ p: 1, fadeDuration: 0 })];
  const shuffled = new Compose(parts, { shuffle: true });
  const counts = new Map<string, number>();
  const runs = 3000;
  for (let seed = 0; seed < runs; seed++) {
    const key = shuffled.run(x, SR, new Rng(seed)).applied.map((a) => a.name).join(">");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 6);
  for (const [order, k] of counts) assert.ok(withinBinomial(k, runs, 1 / 6), `${order}: ${k}/${runs}`);
  const fixed = new Compose(parts);
  for (let seed = 0; seed < 20; seed++) {
    assert.deepEqual(fixed.run(x, SR, new Rng(seed)).applied.map((a) => a.name), ["Gain", "Normalize", "Shift"]);
  }
});

test("ast-recipe: same seed → same output, different seeds → different; the input is never modified; length kept", () => {
  const x = tone(440, 1, SR);
  const before = x.slice();
  const recipe = augmentationPreset("ast-recipe");
  const a = recipe.apply(x, SR, new Rng(42));
  const b = augmentationPreset("ast-recipe").apply(x, SR, new Rng(42));
  assert.deepEqual(a, b);
  assert.deepEqual(x, before);
  let differing = 0;
  for (let seed = 0; seed < 8; seed++) {
    const y = recipe.apply(x, SR, new Rng(seed));
    assert.equal(y.length, x.length);
    if (y.some((v, i) => v !== a[i])) differing++;
  }
  assert.ok(differing >= 7, `${differing} of 8 other seeds differ`);
});

test("the presets hold the documented chains; unknown names list the available ones", () => {
  assert.deepEqual([...AUGMENTATION_PRESETS], ["ast-recipe", "light"]);
  const recipe = augmentationPreset("ast-recipe").toJSON() as { p: number; shuffle: boolean; transforms: Record<string, unknown>[] };
  assert.equal(recipe.p, 0.8);
  assert.equal(recipe.shuffle, true);
  assert.deepEqual(
    recipe.transforms.map((t) => t["name"]),
    ["AddGaussianSNR", "Gain", "GainTransition", "ClippingDistortion", "TimeStretch", "PitchShift"],
  );
  assert.deepEqual(recipe.transforms[0], { name: "AddGaussianSNR", minSnrDb: 10, maxSnrDb: 20, p: 0.5 });
  assert.deepEqual(recipe.transforms[3], { name: "ClippingDistortion", minPercentileThreshold: 0, maxPercentileThreshold: 30, p: 0.5 });
  assert.equal(recipe.transforms[4]!["maxRate"], 1.2);
  assert.equal(recipe.transforms[5]!["minSemitones"], -4);
  const light = augmentationPreset("light").toJSON() as { transforms: Record<string, unknown>[] };
  assert.deepEqual(light.transforms.map((t) => t["name"]), ["Gain", "AddGaussianSNR", "Shift"]);
  assert.throws(() => augmentationPreset("heavy"), (e: unknown) => e instanceof AugmentationError && /ast-recipe, light/.test(e.message));
  assert.throws(() => augmentationPreset("toString"), AugmentationError);
  // each call gives a fresh chain
  assert.notEqual(augmentationPreset("light"), augmentationPreset("light"));
});

test("AddBackgroundNoise: relative SNR exact, absolute level exact, short noise looped, other rates resampled", () => {
  const x = tone(300, 0.5, SR); // 4000 samples
  const long = { name: "long", samples: noise(12000, 5, 0.2), sampleRate: SR };
  const relative = new AddBackgroundNoise({ sounds: [long], minSnrDb: 3, maxSnrDb: 30, p: 1 });
  for (let seed = 0; seed < 10; seed++) {
    const { samples, applied } = relative.run(x, SR, new Rng(seed));
    const p = applied[0]!.parameters as { snrDb: number; start: number };
    assert.ok(p.start >= 0 && p.start <= 12000 - 4000 - 1);
    const added = difference(samples, x);
    assert.ok(Math.abs(20 * Math.log10(rmsOf(x) / rmsOf(added)) - p.snrDb) < 1e-4);
    // the added noise is the excerpt at the drawn offset, scaled
    const scale = added[0]! / long.samples[p.start]!;
    for (let i = 0; i < 4000; i += 251) assert.ok(Math.abs(added[i]! - scale * long.samples[p.start + i]!) < 1e-5);
  }
  const absolute = new AddBackgroundNoise({ sounds: [long], noiseRms: "absolute", minAbsoluteRmsDb: -30, maxAbsoluteRmsDb: -20, p: 1 });
  const { samples, applied } = absolute.run(x, SR, new Rng(1));
  const level = 20 * Math.log10(rmsOf(difference(samples, x)));
  assert.ok(Math.abs(level - (applied[0]!.parameters["rmsDb"] as number)) < 1e-4);
  // a 1000-sample noise is looped: the added signal repeats with period 1000
  const short = new AddBackgroundNoise({ sounds: [{ name: "short", samples: noise(1000, 9), sampleRate: SR }], p: 1 });
  const looped = difference(short.apply(x, SR, new Rng(2)), x);
  for (let i = 0; i < 3000; i += 97) assert.ok(Math.abs(looped[i]! - looped[i + 1000]!) < 1e-5);
  // a 16 kHz noise used at 8 kHz is resampled first (length halves)
  const wide = new AddBackgroundNoise({ sounds: [{ name: "wide", samples: noise(32000, 4), sampleRate: 16000 }], p: 1 });
  const start = wide.run(x, SR, new Rng(3)).applied[0]!.parameters["start"] as number;
  assert.ok(start <= 16000 - 4000 - 1);
  // silent input gets no noise in relative mode
  assert.ok(relative.apply(new Float32Array(100), SR, new Rng(0)).every((v) => v === 0));
});

test("AddBackgroundNoise.fromPaths loads noise files from folders; a noiseTransform shapes the noise", async () => {
  const dir = tempDir();
  try {
    dir.wav("noises/rain.wav", noise(8000, 1, 0.5), SR);
    dir.wav("noises/sub/traffic.wav", noise(8000, 2, 0.5), 16000);
    dir.text("noises/readme.txt", "not audio");
    const t = await AddBackgroundNoise.fromPaths(dir.root, { minSnrDb: 10, maxSnrDb: 10, p: 1 });
    assert.deepEqual(t.sounds.map((s) => s.name.slice(dir.root.length + 1)), ["noises/rain.wav", "noises/sub/traffic.wav"]);
    const picked = new Set<string>();
    for (let seed = 0; seed < 20; seed++) picked.add(t.run(tone(200, 0.25, SR), SR, new Rng(seed)).applied[0]!.parameters["sound"] as string);
    assert.equal(picked.size, 2);
    const shaped = new AddBackgroundNoise({ sounds: t.sounds, noiseRms: "absolute", minAbsoluteRmsDb: -20, maxAbsoluteRmsDb: -20, noiseTransform: new Gain({ minGainDb: -40, maxGainDb: -40, p: 1 }), p: 1 });
    // absolute mode rescales after the transform, so the level is still −20 dBFS
    const x = tone(200, 0.25, SR);
    assert.ok(Math.abs(20 * Math.log10(rmsOf(difference(shaped.apply(x, SR, new Rng(0)), x))) + 20) < 1e-3);
    await assert.rejects(AddBackgroundNoise.fromPaths(`${dir.root}/none`), (e: unknown) => e instanceof AugmentationError && /does not exist/.test(e.message));
    await assert.rejects(AddBackgroundNoise.fromPaths(`${dir.root}/noises/readme.txt`), AugmentationError);
  } finally {
    dir.remove();
  }
});

test("AddBackgroundNoise validates its sounds and levels", () => {
  assert.throws(() => new AddBackgroundNoise({ sounds: [] }), /fromPaths/);
  assert.throws(() => new AddBackgroundNoise({ sounds: [{ name: "a", samples: new Float32Array(0), sampleRate: SR }] }), /non-empty/);
  assert.throws(() => new AddBackgroundNoise({ sounds: [{ name: "a", samples: new Float32Array(4), sampleRate: SR }], maxAbsoluteRmsDb: 3 }), /0 dBFS/);
  assert.throws(() => new Compose([new AddGaussianSNR(), 3 as never]), /transforms\[1\]/);
});

test("every transform keeps the length, never modifies its input, and repeats itself for a seed", () => {
  const x = tone(440, 0.5, SR);
  const before = x.slice();
  const transforms: Transform[] = [
    new AddGaussianSNR({ p: 1 }),
    new Gain({ p: 1 }),
    new GainTransition({ p: 1 }),
    new ClippingDistortion({ minPercentileThreshold: 10, p: 1 }),
    new TimeStretch({ p: 1 }),
    new PitchShift({ p: 1 }),
    new AddBackgroundNoise({ sounds: [{ name: "n", samples: noise(3000, 8), sampleRate: SR }], p: 1 }),
    new Shift({ p: 1 }),
    new Normalize({ p: 1 }),
  ];
  for (const t of transforms) {
    const a = t.apply(x, SR, new Rng(21));
    assert.equal(a.length, x.length, `${t.name} keeps the length`);
    assert.ok(a instanceof Float32Array && a !== x);
    assert.deepEqual(x, before, `${t.name} leaves its input alone`);
    assert.deepEqual(t.apply(x, SR, new Rng(21)), a, `${t.name} repeats for a seed`);
    assert.ok(a.some((v, i) => v !== x[i]), `${t.name} changed something`);
    assert.ok(a.every(Number.isFinite), `${t.name} output is finite`);
  }
});
