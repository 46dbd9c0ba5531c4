import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/training/random.js";
import { InvalidArgumentError } from "../../src/errors.js";

test("xoshiro128** matches the reference sequence from state {1, 2, 3, 4}", () => {
  // First outputs of the reference C implementation (hand-checked: rotl(2·5, 7)·9 = 11520, …).
  const rng = Rng.fromState({ algorithm: "xoshiro128**", words: [1, 2, 3, 4], spareNormal: null });
  assert.deepEqual([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()], [11520, 0, 5927040, 70819200]);
});

test("same seed gives the same sequence, different seeds differ", () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const sa = Array.from({ length: 8 }, () => a.nextUint32());
  const sb = Array.from({ length: 8 }, () => b.nextUint32());
  const sc = Array.from({ length: 8 }, () => c.nextUint32());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
  // seeds above 2^32 use their high bits too
  assert.notEqual(new Rng(2 ** 32 + 5).nextUint32(), new Rng(5).nextUint32());
});

test("getState/setState resume the exact sequence, including a pending normal deviate", () => {
  const rng = new Rng(7);
  for (let i = 0; i < 10; i++) rng.random();
  rng.standardNormal(); // leaves the pair's second value pending
  const saved = JSON.parse(JSON.stringify(rng.getState()));
  assert.notEqual(saved.spareNormal, null);
  const expected = [rng.standardNormal(), rng.random(), rng.integer(0, 9), rng.standardNormal()];
  const resumed = Rng.fromState(saved);
  assert.deepEqual([resumed.standardNormal(), resumed.random(), resumed.integer(0, 9), resumed.standardNormal()], expected);
  const cloned = Rng.fromState(saved).clone();
  assert.equal(cloned.standardNormal(), expected[0]);
});

test("setState rejects malformed states with a message saying what works", () => {
  const rng = new Rng(1);
  assert.throws(() => rng.setState({ algorithm: "xoshiro128**", words: [0, 0, 0, 0], spareNormal: null }), InvalidArgumentError);
  assert.throws(() => rng.setState({ algorithm: "pcg" as "xoshiro128**", words: [1, 2, 3, 4], spareNormal: null }), /getState/);
  assert.throws(() => rng.setState({ algorithm: "xoshiro128**", words: [1, 2, 3] as unknown as [number, number, number, number], spareNormal: null }), /4 integers/);
  assert.throws(() => new Rng(-1), /non-negative/);
  assert.throws(() => new Rng(1.5), InvalidArgumentError);
});

test("random() is uniform on [0, 1): mean, variance and a 10-bin chi-square", () => {
  const rng = new Rng(123);
  const n = 100_000;
  const bins = new Array<number>(10).fill(0);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.random();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    sumSq += u * u;
    bins[Math.floor(u * 10)]!++;
  }
  const mean = sum / n;
  const variance = sumSq / n - mean * mean;
  assert.ok(Math.abs(mean - 0.5) < 4 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 12) < 0.002, `variance ${variance}`);
  const chi2 = bins.reduce((acc, c) => acc + (c - n / 10) ** 2 / (n / 10), 0);
  assert.ok(chi2 < 27.9, `chi-square ${chi2} (9 dof, p = 0.001 bound 27.9)`);
});

test("integer(min, max) covers both ends uniformly and rejects bad ranges", () => {
  const rng = new Rng(5);
  const counts = new Map<number, number>();
  const n = 60_000;
  for (let i = 0; i < n; i++) {
    const k = rng.integer(-2, 3);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort((a, b) => a - b), [-2, -1, 0, 1, 2, 3]);
  const chi2 = [...counts.values()].reduce((acc, c) => acc + (c - n / 6) ** 2 / (n / 6), 0);
  assert.ok(chi2 < 20.5, `chi-square ${chi2} (5 dof, p = 0.001 bound 20.5)`);
  assert.equal(rng.integer(4, 4), 4);
  assert.throws(() => rng.integer(3, 2), InvalidArgumentError);
  assert.throws(() => rng.integer(0.5, 2), InvalidArgumentError);
  const r = rng.randint(0, 2);
  assert.ok(r === 0 || r === 1);
});

test("standardNormal has mean 0, variance 1 and normal tails", () => {
  const rng = new Rng(99);
  const n = 100_000;
  let sum = 0;
  let sumSq = 0;
  let beyond2 = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.standardNormal();
    sum += z;
    sumSq += z * z;
    if (Math.abs(z) > 2) beyond2++;
  }
  assert.ok(Math.abs(sum / n) < 0.015, `mean ${sum / n}`);
  assert.ok(Math.abs(sumSq / n - 1) < 0.02, `variance ${sumSq / n}`);
  // P(|Z| > 2) = 0.0455; binomial sd at n = 1e5 is 0.00066
  assert.ok(Math.abs(beyond2 / n - 0.0455) < 0.003, `tail ${beyond2 / n}`);
  const scaled = new Rng(1).normal(10, 0);
  assert.equal(scaled, 10);
});

test("shuffle and permutation give every ordering of 3 items about equally often", () => {
  const rng = new Rng(2024);
  const counts = new Map<string, number>();
  const n = 30_000;
  for (let i = 0; i < n; i++) {
    const key = rng.permutation(3).join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 6);
  const chi2 = [...counts.values()].reduce((acc, c) => acc + (c - n / 6) ** 2 / (n / 6), 0);
  assert.ok(chi2 < 20.5, `chi-square ${chi2}`);
  assert.deepEqual(rng.permutation(0), []);
  assert.equal(rng.choice(["only"]), "only");
  assert.throws(() => rng.choice([]), InvalidArgumentError);
});

test("Rng.derive gives independent, order-free streams", () => {
  const a1 = Rng.derive(3, 0, 5).nextUint32();
  const b = Rng.derive(3, 0, 6).nextUint32();
  const a2 = Rng.derive(3, 0, 5).nextUint32();
  assert.equal(a1, a2);
  assert.notEqual(a1, b);
  assert.notEqual(Rng.derive(3, 1, 5).nextUint32(), a1);
  // an empty path is the plain seed
  assert.equal(Rng.derive(3).nextUint32(), new Rng(3).nextUint32());
});
