import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { FeatureExtractorInputError } from "../../src/features/index.js";
import { AutoFeatureExtractor } from "../../src/models/index.js";
import { AudioDataset, BatchLoader, FeatureCache, featureModeOf, loadWaveform, stackFeatures, type Batch } from "../../src/training/data/index.js";
import { tensor } from "../../src/tensor.js";
import { Compose, Gain, Shift } from "../../src/training/augment/index.js";
import { TrainingDataError } from "../../src/training/errors.js";
import { noise, tone } from "./support/signals.js";
import { tempDir, type TempDir } from "./support/wav-file.js";

const wav2vec2 = AutoFeatureExtractor.fromConfig({
  feature_extractor_type: "Wav2Vec2FeatureExtractor",
  sampling_rate: 16000,
  do_normalize: true,
  return_attention_mask: true,
});
const ast = AutoFeatureExtractor.fromConfig({ feature_extractor_type: "ASTFeatureExtractor", sampling_rate: 16000, num_mel_bins: 16, max_length: 48 });

let dir: TempDir;
let dataset: AudioDataset;
// 8 kHz files of different lengths (in samples at 8 kHz); resampled to 16 kHz they double
const LENGTHS = [800, 1200, 960, 1600, 400, 2000, 1440];

before(async () => {
  dir = tempDir();
  LENGTHS.forEach((n, i) => {
    const label = ["a", "b", "c"][i % 3]!;
    dir.wav(`${label}/${i}.wav`, i % 2 === 0 ? tone(200 + 50 * i, n / 8000, 8000) : noise(n, i, 0.4), 8000);
  });
  dataset = await AudioDataset.fromFolder(dir.root);
});

after(() => dir.remove());

async function epoch(loader: BatchLoader): Promise<Batch[]> {
  const batches: Batch[] = [];
  for await (const batch of loader) batches.push(batch);
  return batches;
}

test("an evaluation loader: batches in order, padded by the extractor with attention masks, labels as Int32Array", async () => {
  const loader = new BatchLoader(dataset, { featureExtractor: wav2vec2, batchSize: 3 });
  assert.equal(loader.batchesPerEpoch, 3);
  const batches = await epoch(loader);
  assert.deepEqual(batches.map((b) => b.size), [3, 3, 1]);
  const indices = batches.flatMap((b) => Array.from(b.indices));
  assert.deepEqual(indices, [0, 1, 2, 3, 4, 5, 6]);
  const first = batches[0]!;
  assert.ok(first.labels instanceof Int32Array);
  assert.deepEqual(Array.from(first.labels), Array.from(first.indices, (i) => dataset.labelId(i)));
  // the same batch through the extractor directly
  const waveforms = await Promise.all(Array.from(first.indices, (i) => loadWaveform(dataset.examples[i]!.path, { samplingRate: 16000 })));
  const expected = wav2vec2.extract(waveforms, { samplingRate: 16000, padding: "longest", returnAttentionMask: true });
  assert.deepEqual(first.inputs["input_values"]!.dims, expected["input_values"]!.dims);
  assert.deepEqual(first.inputs["input_values"]!.data, expected["input_values"]!.data);
  const mask = first.inputs["attention_mask"]!;
  const width = mask.dims[1]!;
  const rowSums = Array.from({ length: 3 }, (_, r) => (mask.data as Int32Array).subarray(r * width, (r + 1) * width).reduce((a, b) => a + b, 0));
  assert.deepEqual(rowSums, waveforms.map((w) => w.length));
  assert.equal(width, Math.max(...waveforms.map((w) => w.length)));
  assert.equal(loader.epoch, 1, "after the last batch the loader is at the next epoch");
});

test("dropLast leaves out the short last batch", async () => {
  const loader = new BatchLoader(dataset, { featureExtractor: wav2vec2, batchSize: 3, dropLast: true });
  assert.equal(loader.batchesPerEpoch, 2);
  assert.deepEqual((await epoch(loader)).map((b) => b.size), [3, 3]);
});

test("shuffling: each epoch is a new permutation; the same seed repeats the orders, another seed does not", async () => {
  const orders = async (seed: number): Promise<number[][]> => {
    const loader = new BatchLoader(dataset, { featureExtractor: wav2vec2, batchSize: 4, shuffle: true, seed });
    const out: number[][] = [];
    for (let e = 0; e < 3; e++) out.push((await epoch(loader)).flatMap((b) => Array.from(b.indices)));
    return out;
  };
  const a = await orders(11);
  for (const order of a) assert.deepEqual([...order].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6]);
  assert.ok(new Set(a.map((o) => o.join())).size > 1, "epochs differ");
  assert.deepEqual(await orders(11), a);
  assert.notDeepEqual(await orders(12), a);
});

test("resume: a loader restored from getState() yields the same next batches, augmentations included", async () => {
  const augment = new Compose([new Gain({ p: 0.7 }), new Shift({ p: 0.7 })]);
  const options = { featureExtractor: wav2vec2, batchSize: 2, shuffle: true, seed: 5, augment, maxDurationSeconds: 0.1, crop: "random" as const };
  const a = new BatchLoader(dataset, options);
  await epoch(a); // epoch 0
  await a.next(); // one batch into epoch 1
  const saved = JSON.parse(JSON.stringify(a.getState()));
  assert.equal(saved.epoch, 1);
  assert.equal(saved.position, 2);
  const expected = [await a.next(), await a.next(), await a.next(), await a.next(), await a.next()];
  const b = new BatchLoader(dataset, options);
  b.setState(saved);
  const resumed = [await b.next(), await b.next(), await b.next(), await b.next(), await b.next()];
  assert.equal(expected[3], null, "epoch 1 ends after its fourth batch");
  for (const [i, batch] of expected.entries()) {
    const other = resumed[i]!;
    if (batch === null) {
      assert.equal(other, null);
      continue;
    }
    assert.deepEqual(Array.from(other!.indices), Array.from(batch.indices));
    assert.deepEqual(other!.inputs["input_values"]!.data, batch.inputs["input_values"]!.data);
    assert.deepEqual(other!.augmentations, batch.augmentations);
  }
  assert.ok(expected.some((bt) => bt !== null && bt.augmentations.some((applied) => applied.length > 0)), "augmentations did run");
  assert.throws(() => new BatchLoader(dataset, { ...options, batchSize: 3 }).setState(saved), /batches of 2, but this loader has 7 in batches of 3/);
});

test("per-example extractors (AST) are stacked and equal one extractor call on the whole batch", async () => {
  const loader = new BatchLoader(dataset, { featureExtractor: ast, batchSize: 4 });
  const [batch] = await epoch(loader);
  const waveforms = await Promise.all(Array.from(batch!.indices, (i) => loadWaveform(dataset.examples[i]!.path, { samplingRate: 16000 })));
  const direct = ast.extract(waveforms, { samplingRate: 16000 });
  assert.deepEqual(batch!.inputs["input_values"]!.dims, [4, 48, 16]);
  assert.deepEqual(batch!.inputs["input_values"]!.data, direct["input_values"]!.data);
});

test("the feature cache serves unchanged examples from the second epoch on, never augmented ones", async () => {
  const cache = new FeatureCache();
  const loader = new BatchLoader(dataset, { featureExtractor: ast, batchSize: 3, cache });
  const first = await epoch(loader);
  assert.deepEqual({ hits: cache.stats.hits, entries: cache.stats.entries }, { hits: 0, entries: 7 });
  const second = await epoch(loader);
  assert.equal(cache.stats.hits, 7);
  second.forEach((b, i) => assert.deepEqual(b.inputs["input_values"]!.data, first[i]!.inputs["input_values"]!.data));
  // a loader over the same files and extractor config shares the entries
  const evalLoader = new BatchLoader(dataset, { featureExtractor: ast, batchSize: 7, cache });
  await epoch(evalLoader);
  assert.equal(cache.stats.hits, 14);
  // a different crop is a different key
  await epoch(new BatchLoader(dataset, { featureExtractor: ast, batchSize: 7, cache, maxDurationSeconds: 0.05 }));
  assert.equal(cache.stats.entries, 14);
  // augmented training never reads or fills the cache
  const augmented = new FeatureCache();
  const training = new BatchLoader(dataset, { featureExtractor: ast, batchSize: 7, cache: augmented, augment: new Gain({ p: 1 }) });
  await epoch(training);
  await epoch(training);
  assert.deepEqual({ hits: augmented.stats.hits, entries: augmented.stats.entries }, { hits: 0, entries: 0 });
  assert.equal(new BatchLoader(dataset, { featureExtractor: ast, batchSize: 1, cache: false }).cacheStats, undefined);
});

test("maxDurationSeconds crops long audio; multi-label datasets give multi-hot Float32Array targets", async () => {
  const cropped = await epoch(new BatchLoader(dataset, { featureExtractor: wav2vec2, batchSize: 7, maxDurationSeconds: 0.1 }));
  assert.equal(cropped[0]!.inputs["input_values"]!.dims[1], 1600);
  const jsonl = dir.text("tags.jsonl", '{"path": "a/0.wav", "label": ["tone", "short"]}\n{"path": "b/1.wav", "label": "noise"}\n');
  const tags = await AudioDataset.fromJsonl(jsonl);
  const [batch] = await epoch(new BatchLoader(tags, { featureExtractor: wav2vec2, batchSize: 2 }));
  assert.ok(batch!.labels instanceof Float32Array);
  // labels sorted: noise 0, short 1, tone 2
  assert.deepEqual(Array.from(batch!.labels), [0, 1, 1, 1, 0, 0]);
});

test("loader errors are typed and say what works", async () => {
  assert.throws(() => new BatchLoader(dataset, { featureExtractor: wav2vec2, batchSize: 0 }), (e: unknown) => e instanceof TrainingDataError && /batchSize must be/.test(e.message));
  assert.throws(() => new BatchLoader(dataset, { featureExtractor: wav2vec2, batchSize: 2, batch_size: 2 } as never), /unknown option "batch_size"/);
  assert.throws(() => new BatchLoader(dataset, { featureExtractor: {} as never, batchSize: 2 }), /AutoFeatureExtractor/);
  assert.throws(() => new BatchLoader(dataset, { featureExtractor: wav2vec2, batchSize: 2, crop: "middle" as "center" }), /crop must be/);
  const broken = dir.text("broken/x.wav", "not audio at all");
  const unchecked = await AudioDataset.fromExamples([{ path: broken, labels: ["x"] }], { verify: false });
  await assert.rejects(new BatchLoader(unchecked, { featureExtractor: wav2vec2, batchSize: 1 }).next(), (e: unknown) => e instanceof TrainingDataError && e.message.includes(broken));
});

test("feature modes: fixed-size deterministic extractors per example, the rest per batch; stacking checks shapes", () => {
  assert.equal(featureModeOf(ast), "per-example");
  assert.equal(featureModeOf(wav2vec2), "per-batch");
  assert.equal(featureModeOf(AutoFeatureExtractor.fromConfig({ feature_extractor_type: "WhisperFeatureExtractor" })), "per-example");
  assert.equal(featureModeOf(AutoFeatureExtractor.fromConfig({ feature_extractor_type: "WhisperFeatureExtractor", dither: 0.1 })), "per-batch");
  assert.equal(featureModeOf(AutoFeatureExtractor.fromConfig({ feature_extractor_type: "ClapFeatureExtractor" })), "per-batch");
  const a = { input_values: tensor("float32", [1, 2, 2], new Float32Array([1, 2, 3, 4])) };
  const b = { input_values: tensor("float32", [1, 2, 2], new Float32Array([5, 6, 7, 8])) };
  const stacked = stackFeatures([a, b]);
  assert.deepEqual(stacked["input_values"]!.dims, [2, 2, 2]);
  assert.deepEqual(Array.from(stacked["input_values"]!.data), [1, 2, 3, 4, 5, 6, 7, 8]);
  const c = { input_values: tensor("float32", [1, 3, 2], new Float32Array(6)) };
  assert.throws(() => stackFeatures([a, c]), (e: unknown) => e instanceof FeatureExtractorInputError && /example 1 of the batch has input_values \[1, 3, 2\] but example 0 has \[1, 2, 2\]/.test(e.message));
});
