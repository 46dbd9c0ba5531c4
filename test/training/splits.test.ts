import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  AudioDataset,
  approximateMode,
  foldSplit,
  fsddSpeakerSplit,
  fsddSplit,
  parseFsddName,
  predicateSplit,
  splitSizes,
  stratifiedSplit,
  type AudioExample,
} from "../../src/training/data/index.js";
import { TrainingDataError } from "../../src/training/errors.js";
import { Rng } from "../../src/training/random.js";

/** A dataset over fake paths (splits never open the files). */
async function fake(labels: readonly string[], folds?: readonly string[]): Promise<AudioDataset> {
  const examples: AudioExample[] = labels.map((label, i) => ({ path: `/fake/${i}.wav`, labels: [label], ...(folds && { fold: folds[i]! }) }));
  return AudioDataset.fromExamples(examples, { verify: false });
}

function repeat(counts: Record<string, number>): string[] {
  return Object.entries(counts).flatMap(([label, n]) => Array.from({ length: n }, () => label));
}

function countLabels(ds: AudioDataset): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of ds.examples) out[e.labels[0]!] = (out[e.labels[0]!] ?? 0) + 1;
  return out;
}

test("split sizes follow train_test_split: ceil for a test fraction, floor for a train fraction, counts as given", () => {
  assert.deepEqual(splitSizes(10, { testSize: 0.25 }), { nTrain: 7, nTest: 3 });
  assert.deepEqual(splitSizes(10, {}), { nTrain: 7, nTest: 3 }, "default test_size 0.25");
  assert.deepEqual(splitSizes(10, { trainSize: 0.55 }), { nTrain: 5, nTest: 5 });
  assert.deepEqual(splitSizes(10, { testSize: 4 }), { nTrain: 6, nTest: 4 });
  assert.deepEqual(splitSizes(10, { testSize: 0.2, trainSize: 0.5 }), { nTrain: 5, nTest: 2 });
  assert.throws(() => splitSizes(10, { testSize: 1.5 }), /fraction in \(0, 1\)/);
  assert.throws(() => splitSizes(10, { testSize: 10 }), /1 … 9/);
  assert.throws(() => splitSizes(10, { testSize: 0.6, trainSize: 0.6 }), /must not exceed 1/);
  assert.throws(() => splitSizes(10, { testSize: 6, trainSize: 6 }), /dataset has 10/);
});

test("approximate mode: proportional shares, the remainder to the largest fractional parts", () => {
  assert.deepEqual(approximateMode([30, 20, 10], 48, new Rng(0)), [24, 16, 8]);
  assert.deepEqual(approximateMode([7, 5, 3], 11, new Rng(0)), [5, 4, 2]);
  // ties are broken at random but always sum to the draws
  for (let seed = 0; seed < 20; seed++) {
    const m = approximateMode([5, 5, 5, 5], 6, new Rng(seed));
    assert.equal(m.reduce((a, b) => a + b, 0), 6);
    assert.ok(m.every((v) => v === 1 || v === 2));
  }
});

test("stratifiedSplit keeps every label's share, is disjoint and complete, and is deterministic per seed", async () => {
  const ds = await fake(repeat({ dog: 30, rain: 20, rooster: 10 }));
  const { train, test: held } = stratifiedSplit(ds, { testSize: 0.2, seed: 0 });
  assert.deepEqual(countLabels(held), { dog: 6, rain: 4, rooster: 2 });
  assert.deepEqual(countLabels(train), { dog: 24, rain: 16, rooster: 8 });
  const paths = [...train.examples, ...held.examples].map((e) => e.path);
  assert.equal(new Set(paths).size, 60);
  assert.equal(train.labelMap, ds.labelMap, "both parts share the label map");
  const again = stratifiedSplit(ds, { testSize: 0.2, seed: 0 });
  assert.deepEqual(again.test.examples.map((e) => e.path), held.examples.map((e) => e.path));
  const other = stratifiedSplit(ds, { testSize: 0.2, seed: 1 });
  assert.notDeepEqual(other.test.examples.map((e) => e.path), held.examples.map((e) => e.path));
  // uneven classes: per-class test counts stay within one of the proportional share
  const uneven = await fake(repeat({ a: 7, b: 5, c: 3, d: 13, e: 2 }));
  for (let seed = 0; seed < 10; seed++) {
    const split = stratifiedSplit(uneven, { testSize: 0.3, seed });
    const counts = countLabels(split.test);
    assert.equal(split.test.size, Math.ceil(0.3 * 30));
    for (const [label, n] of Object.entries({ a: 7, b: 5, c: 3, d: 13, e: 2 })) {
      assert.ok(Math.abs((counts[label] ?? 0) - (9 * n) / 30) <= 1, `seed ${seed}: ${label} has ${counts[label]} test examples`);
      assert.ok((counts[label] ?? 0) >= 1 && countLabels(split.train)[label]! >= 1);
    }
  }
});

test("stratifiedSplit without stratification: shuffled, or the first n_train in order when shuffle is off", async () => {
  const ds = await fake(repeat({ a: 5, b: 5 }));
  const ordered = stratifiedSplit(ds, { testSize: 0.3, stratify: false, shuffle: false });
  assert.deepEqual(ordered.train.examples.map((e) => e.path), Array.from({ length: 7 }, (_, i) => `/fake/${i}.wav`));
  assert.deepEqual(ordered.test.examples.map((e) => e.path), ["/fake/7.wav", "/fake/8.wav", "/fake/9.wav"]);
  const shuffled = stratifiedSplit(ds, { testSize: 0.3, stratify: false, seed: 4 });
  assert.equal(shuffled.test.size, 3);
  assert.notDeepEqual(shuffled.train.examples.map((e) => e.path), ordered.train.examples.map((e) => e.path));
});

test("stratifiedSplit refuses what cannot be stratified, saying what would work", async () => {
  await assert.rejects(async () => stratifiedSplit(await fake(["a", "a", "b"]), { testSize: 0.5 }), /at least 2 examples of every class; class id 1 has only one/);
  await assert.rejects(async () => stratifiedSplit(await fake(repeat({ a: 10, b: 10, c: 10 })), { testSize: 2 }), /test split \(2 examples\) must hold at least one example of each of the 3 classes/);
  await assert.rejects(async () => stratifiedSplit(await fake(repeat({ a: 4, b: 4 })), { shuffle: false }), /needs shuffle: true/);
  await assert.rejects(async () => stratifiedSplit(await fake(repeat({ a: 4, b: 4 })), { test_size: 0.2 } as never), /unknown option "test_size"/);
});

test("foldSplit holds out whole folds and lists the folds when asked for a missing one", async () => {
  const labels = repeat({ dog: 10, rain: 10 });
  const folds = labels.map((_, i) => String((i % 5) + 1));
  const ds = await fake(labels, folds);
  assert.deepEqual(ds.folds(), ["1", "2", "3", "4", "5"]);
  const { train, test: held } = foldSplit(ds, 5);
  assert.ok(held.examples.every((e) => e.fold === "5"));
  assert.ok(train.examples.every((e) => e.fold !== "5"));
  assert.equal(held.size + train.size, 20);
  assert.equal(foldSplit(ds, ["4", 5]).test.size, 8);
  assert.throws(() => foldSplit(ds, 6), (e: unknown) => e instanceof TrainingDataError && /fold "6" is not in .*; its folds are 1, 2, 3, 4, 5/.test(e.message));
  const noFolds = await fake(["a", "b"]);
  assert.throws(() => foldSplit(noFolds, 1), /has no folds/);
  assert.throws(() => predicateSplit(ds, () => false), /leaves no test examples/);
});

test("FSDD: file names parse, the standard split takes takes 0–4 as test, speakers can be held out", async () => {
  assert.deepEqual(parseFsddName("/x/7_jackson_32.wav"), { digit: "7", speaker: "jackson", take: 32 });
  assert.throws(() => parseFsddName("seven.wav"), /\{digit\}_\{speaker\}_\{take\}\.wav/);
  const examples: AudioExample[] = [];
  for (const speaker of ["jackson", "nicolas"]) for (let digit = 0; digit < 3; digit++) for (let take = 0; take < 10; take++) {
    examples.push({ path: `/fsdd/${digit}_${speaker}_${take}.wav`, labels: [String(digit)] });
  }
  const ds = await AudioDataset.fromExamples(examples, { verify: false });
  const { train, test: held } = fsddSplit(ds);
  assert.equal(held.size, 30);
  assert.ok(held.examples.every((e) => parseFsddName(e.path).take < 5));
  assert.ok(train.examples.every((e) => parseFsddName(e.path).take >= 5));
  const bySpeaker = fsddSpeakerSplit(ds, ["nicolas"]);
  assert.ok(bySpeaker.test.examples.every((e) => e.path.includes("_nicolas_")));
  assert.equal(bySpeaker.train.size, 30);
  assert.throws(() => fsddSpeakerSplit(ds, ["theo"]), /group "theo" does not occur .*; its groups are jackson, nicolas/);
});

const FSDD = "/work/shared/data/fsdd";

test("real FSDD recordings: a handful load, label by digit and split by take", { skip: !existsSync(FSDD) && "FSDD data not present" }, async () => {
  const picked = readdirSync(FSDD)
    .filter((f) => /^[01]_(jackson|george)_(3|7)\.wav$/.test(f))
    .map((f) => join(FSDD, f));
  assert.equal(picked.length, 8);
  const ds = await AudioDataset.fromFiles(picked, (p) => parseFsddName(p).digit);
  assert.deepEqual(ds.labelMap.labels, ["0", "1"]);
  assert.ok(ds.examples.every((e) => e.duration! > 0.1 && e.duration! <= 1.0));
  const { train, test: held } = fsddSplit(ds);
  assert.equal(held.size, 4);
  assert.equal(train.size, 4);
});

const ESC10 = "/work/shared/data/esc10/metadata.csv";

test("real ESC-10 metadata: ESC-50's columns map onto a fold-split dataset", { skip: !existsSync(ESC10) && "ESC-10 data not present" }, async () => {
  // metadata only (verify: false), so no audio is decoded here
  const ds = await AudioDataset.fromCsv(ESC10, { pathColumn: "filename", labelColumn: "category", verify: false });
  assert.equal(ds.numLabels, 10);
  assert.deepEqual(ds.labelMap.labels.slice(0, 3), ["chainsaw", "clock_tick", "crackling_fire"]);
  assert.deepEqual(ds.folds(), ["3", "4"]);
  assert.equal(ds.examples[0]!.columns!["target"], "10");
  const { train, test: held } = foldSplit(ds, 3);
  assert.equal(held.size, 1);
  assert.equal(held.examples[0]!.labels[0], "rain");
  assert.equal(train.size, ds.size - 1);
});
