/**
 * The zero-shot pipeline on a fused checkpoint (enable_fusion, truncation "fusion"): 4-channel
 * mel input, is_longer from the feature extractor, seeded random crops of long clips.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NumpyRandomState } from "../../src/features/index.js";
import "../../src/models/node-platform.js"; // Node's model loaders (the entries install them; this test imports a pipeline file)
import { createZeroShotAudioClassificationPipeline } from "../../src/pipelines/zero-shot-audio-classification.js";
import { maxAbsDiff } from "../helpers/fixtures.js";
import { seededRandom, writeTinyClapCheckpoint } from "../models/support/tiny-clap-checkpoint.js";

function chirp(seconds: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const n = Math.round(seconds * 48000);
  return Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * (200 + i / 40) * i) / 48000) + 0.05 * (random() - 0.5));
}

test("fused checkpoint: long clips are cropped reproducibly by seed, short ones flagged is_longer, batches equal single runs", async () => {
  const checkpoint = await writeTinyClapCheckpoint({
    audio: { enable_fusion: true, fusion_type: "aff_2d", depths: [2, 2], spec_size: 128 },
    preprocessor: { max_length_s: 2.5 },
    seed: 21,
  });
  const zs = await createZeroShotAudioClassificationPipeline(checkpoint.dir, { threads: 1, seed: 5 });
  try {
    assert.equal(zs.featureExtractor.truncation, "fusion");
    assert.deepEqual(zs.model.audioInput, { channels: 4, frames: 251, bins: 64 });
    const long = chirp(6, 1);
    const short = chirp(1, 2);

    // what the pipeline feeds the model: Python's feature extractor output for one clip
    const features = zs.featureExtractor(long, { samplingRate: 48000, rng: new NumpyRandomState(3) });
    assert.deepEqual(features["input_features"]!.dims, [1, 4, 251, 64]);
    assert.deepEqual(Array.from(features["is_longer"]!.data), [1]);
    const single = zs.featureExtractor(short, { samplingRate: 48000, rng: new NumpyRandomState(3) });
    assert.deepEqual(Array.from(single["is_longer"]!.data), [1], "a lone short clip is flagged, as Python does");
    const direct = await zs.model.audioEmbeddings(features);
    assert.ok(maxAbsDiff((await zs.getAudioEmbeddings(long, { seed: 3 })).data, direct.data) < 1e-6);

    const options = { candidateLabels: ["a rising tone", "noise", "speech"] };
    const a = await zs(long, { ...options, seed: 3 });
    const b = await zs(long, { ...options, seed: 3 });
    assert.deepEqual(a, b, "same seed, same crops, same scores");
    const crops = await zs.getAudioEmbeddings([long, long, long], { seed: 3 });
    assert.ok(maxAbsDiff(crops.data.subarray(0, 16), crops.data.subarray(16, 32)) > 1e-4, "later clips draw other crops");
    assert.equal(a.reduce((s, r) => s + r.score, 0).toFixed(5), "1.00000");

    // one call with a list = clip by clip with one generator, whatever the batch size
    const inputs = [long, short, chirp(4, 3)];
    const oneByOne = await zs(inputs, { ...options, seed: 9 });
    const batched = await zs(inputs, { ...options, seed: 9, batchSize: 3 });
    oneByOne.forEach((result, i) => {
      assert.deepEqual(result.map((r) => r.label), batched[i]!.map((r) => r.label));
      result.forEach((r, j) => assert.ok(Math.abs(r.score - batched[i]![j]!.score) < 1e-6));
    });
    // the construction seed makes whole runs reproducible
    const [again, replay] = await Promise.all([1, 2].map(() => createZeroShotAudioClassificationPipeline(checkpoint.dir, { threads: 1, seed: 5, cache: false })));
    try {
      assert.deepEqual((await again!.getAudioEmbeddings([long, long])).data, (await replay!.getAudioEmbeddings([long, long])).data);
    } finally {
      await again!.dispose();
      await replay!.dispose();
    }
  } finally {
    await zs.dispose();
    checkpoint.cleanup();
  }
});
