// WavLMForSequenceClassification on tiny random checkpoints, and its relative-position buckets.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ModelConfig, ModelConfigError } from "../../src/models/index.js";
import { relativePositionBucket, relativePositionBucketTable, wavlmArchitecture } from "../../src/models/wav2vec2/index.js";
import { MissingWeightError, WeightShapeError } from "../../src/nn/index.js";
import { tinyWav2Vec2Checkpoint, tinyWav2Vec2Config } from "./support/tiny-wav2vec2-checkpoint.js";
import { checkTinyConfig, tryLoadTinyModel } from "./support/tiny-wav2vec2-runs.js";

/** transformers' formula in float64, to compare the float32-emulating implementation with. */
function bucket64(relative: number, numBuckets: number, maxDistance: number): number {
  const half = Math.floor(numBuckets / 2);
  const maxExact = Math.floor(half / 2);
  const a = Math.abs(relative);
  const base = relative > 0 ? half : 0;
  if (a < maxExact) return base + a;
  const large = maxExact + (Math.log(a / maxExact) / Math.log(maxDistance / maxExact)) * (half - maxExact);
  return base + Math.min(Math.floor(large), half - 1);
}

test("wavlm: model type and parameter prefix", () => {
  assert.deepEqual(wavlmArchitecture.modelTypes, ["wavlm"]);
  assert.equal(wavlmArchitecture.basePrefix(new ModelConfig({ model_type: "wavlm" })), "wavlm");
});

test("wavlm buckets (320, 800): exact below 80, log-spaced to 800, shared last bucket beyond, keys after the query in the upper half", () => {
  for (let d = -1200; d <= 1200; d++) assert.equal(relativePositionBucket(d, 320, 800), bucket64(d, 320, 800), `distance ${d}`);
  assert.equal(relativePositionBucket(0, 320, 800), 0);
  assert.equal(relativePositionBucket(79, 320, 800), 160 + 79);
  assert.equal(relativePositionBucket(-79, 320, 800), 79);
  assert.equal(relativePositionBucket(80, 320, 800), 160 + 80);
  assert.equal(relativePositionBucket(5000, 320, 800), 319);
  assert.equal(relativePositionBucket(-5000, 320, 800), 159);
  // torch's float32 log may be off by an ulp (SLEEF, 1.0 ULP): no bucket may depend on that. The
  // closest call is distance 713 (155.99996…, 2.4 float32 ulps below 156).
  const f = Math.fround;
  const bucketWithLogError = (a: number, ulps: number): number => {
    const log = f(Math.log(f(a / 80)));
    const perturbed = f(log + ulps * 2 ** (Math.floor(Math.log2(Math.abs(log) || 1)) - 23));
    return 160 + Math.min(Math.trunc(f(80 + f(f(perturbed / f(Math.log(10))) * 80))), 159);
  };
  for (let a = 81; a <= 800; a++) {
    for (const ulps of [-2, 2]) assert.equal(bucketWithLogError(a, ulps), relativePositionBucket(a, 320, 800), `distance ${a}, log off by ${ulps} ulps`);
  }
});

test("wavlm bucket table: indexed by distance + max_distance, clamping keeps the bucket", () => {
  const table = relativePositionBucketTable(32, 40);
  assert.equal(table.length, 81);
  for (let d = -40; d <= 40; d++) assert.equal(Number(table[d + 40]), bucket64(d, 32, 40));
  for (const d of [41, 100, 10_000]) {
    assert.equal(relativePositionBucket(d, 32, 40), Number(table[80]));
    assert.equal(relativePositionBucket(-d, 32, 40), Number(table[0]));
  }
});

test("wavlm: post-LN layout, clips far longer than max_bucket_distance frames (40)", async () => {
  await checkTinyConfig(tinyWav2Vec2Config("wavlm"));
});

test("wavlm: large layout (layer-norm features, pre-LN layers), 3 layers sharing layer 0's bias, 4 heads, weighted sum", async () => {
  await checkTinyConfig(
    tinyWav2Vec2Config("wavlm", {
      feat_extract_norm: "layer",
      do_stable_layer_norm: true,
      num_hidden_layers: 3,
      num_attention_heads: 4,
      use_weighted_layer_sum: true,
      num_buckets: 20,
      max_bucket_distance: 25,
    }),
  );
});

test("wavlm: missing relative-position table and misshaped gate constant are named", async () => {
  const config = tinyWav2Vec2Config("wavlm");
  const missing = tinyWav2Vec2Checkpoint(config);
  missing.delete("wavlm.encoder.layers.0.attention.rel_attn_embed.weight");
  await assert.rejects(tryLoadTinyModel(config, missing), (error: unknown) => error instanceof MissingWeightError && error.weightName === "wavlm.encoder.layers.0.attention.rel_attn_embed.weight");
  const misshaped = tinyWav2Vec2Checkpoint(config);
  misshaped.set("wavlm.encoder.layers.0.attention.gru_rel_pos_const", { type: "float32", dims: [1, 3, 1, 1], data: new Float32Array(3) });
  await assert.rejects(tryLoadTinyModel(config, misshaped), (error: unknown) => error instanceof WeightShapeError && error.weightName === "wavlm.encoder.layers.0.attention.gru_rel_pos_const");
});

test("wavlm: a max_bucket_distance inside the exact buckets is a config error", async () => {
  const config = tinyWav2Vec2Config("wavlm", { num_buckets: 32, max_bucket_distance: 8 });
  // The checkpoint's shapes do not depend on max_bucket_distance; the generator itself validates the config.
  const checkpoint = tinyWav2Vec2Checkpoint(tinyWav2Vec2Config("wavlm", { num_buckets: 32 }));
  await assert.rejects(tryLoadTinyModel(config, checkpoint), (error: unknown) => error instanceof ModelConfigError && error.message.includes("max_bucket_distance"));
});
