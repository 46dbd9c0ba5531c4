import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { FeatureExtractorInputError, NumpyRandomState } from "../../src/features/index.js";

// Reference values from numpy's legacy RandomState (frozen stream), see test/fixtures/features/README.md
const ref = JSON.parse(readFileSync(new URL("../fixtures/features/numpy-random-state.json", import.meta.url), "utf8"));

test("MT19937 outputs equal numpy's for several seeds, including 2**32 − 1", () => {
  for (const [seed, { uint32 }] of Object.entries<{ uint32: number[] }>(ref.uint32)) {
    const rng = new NumpyRandomState(Number(seed));
    assert.deepEqual(uint32.map(() => rng.nextUint32()), uint32, `seed ${seed}`);
  }
});

test("randint reproduces numpy's masked rejection sampling over 32- and 64-bit ranges", () => {
  const rng = new NumpyRandomState(0);
  for (const call of ref.randint_sequence_seed0 as { low: number; high: number; value: number }[]) {
    assert.equal(rng.randint(call.low, call.high), call.value, `randint(${call.low}, ${call.high})`);
  }
});

test("choice, random_sample and the legacy standard normal match numpy", () => {
  const rng = new NumpyRandomState(42);
  const { population_sizes: sizes, values } = ref.choice_seed42 as { population_sizes: number[]; values: number[] };
  assert.deepEqual(
    sizes.map((n) => rng.choice(Array.from({ length: n }, (_, i) => i))),
    values,
  );
  const uniform = new NumpyRandomState(7);
  assert.deepEqual(ref.random_sample_seed7.map(() => uniform.randomSample()), ref.random_sample_seed7);
  const normal = new NumpyRandomState(7);
  assert.deepEqual(ref.standard_normal_seed7.map(() => normal.standardNormal()), ref.standard_normal_seed7);
});

test("seed() restarts the stream like np.random.seed", () => {
  const rng = new NumpyRandomState(5);
  const first = [rng.randint(0, 1000), rng.standardNormal()];
  rng.seed(0);
  assert.equal(rng.randint(0, 96001), ref.clap_rand_trunc_offset_seed0_overflow96000);
  rng.seed(5);
  assert.deepEqual([rng.randint(0, 1000), rng.standardNormal()], first);
  // unseeded generators draw their seed from the platform
  assert.notDeepEqual([new NumpyRandomState().nextUint32(), new NumpyRandomState().nextUint32()], [0, 0]);
});

test("bad seeds and bounds raise typed errors", () => {
  assert.throws(() => new NumpyRandomState(-1), FeatureExtractorInputError);
  assert.throws(() => new NumpyRandomState(2 ** 32), /between 0 and 2\*\*32 - 1/);
  assert.throws(() => new NumpyRandomState(0).randint(3, 3), /low < high/);
  assert.throws(() => new NumpyRandomState(0).randint(0.5, 3), /safe integers/);
  assert.throws(() => new NumpyRandomState(0).choice([]), /non-empty/);
});
