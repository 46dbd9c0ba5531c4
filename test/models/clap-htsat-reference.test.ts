/**
 * The HTSAT graph against a loop-by-loop float64 port of modeling_clap.py on configurations the
 * public fixture (one block per stage, no fusion) never reaches: shifted windows and their mask,
 * windows padded to fit the grid, frequency and time interpolation both ways, and attentional
 * feature fusion with is_longer true and false in one batch.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ClapModel } from "../../src/models/clap/index.js";
import { ModelConfig } from "../../src/models/model-config.js";
import type { Tensor } from "../../src/tensor.js";
import { loadWeights } from "../../src/weights/index.js";
import { maxAbsDiff } from "../helpers/fixtures.js";
import { referenceAudioEmbedding } from "./support/htsat-reference.js";
import { seededRandom, writeTinyClapCheckpoint, type TinyClapOptions } from "./support/tiny-clap-checkpoint.js";

/** Log-mel-like random features [batch, channels, frames, bins]. */
function randomFeatures(dims: number[], seed: number): Tensor<"float32"> {
  const random = seededRandom(seed);
  const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => -30 + 25 * random());
  return { type: "float32", dims, data };
}

async function withCheckpoint(options: TinyClapOptions, run: (dir: string, config: ModelConfig, weights: Map<string, Tensor<"float32">>) => Promise<void>): Promise<void> {
  const checkpoint = await writeTinyClapCheckpoint(options);
  try {
    const map = await loadWeights(checkpoint.dir);
    const weights = new Map(map.names().filter((n) => map.info(n).dtype === "F32").map((n) => [n, map.get(n)] as const));
    map.source.close();
    await run(checkpoint.dir, new ModelConfig(checkpoint.config), weights);
  } finally {
    checkpoint.cleanup();
  }
}

function row(t: Tensor<"float32">, i: number): Float32Array {
  const width = t.dims[1]!;
  return t.data.subarray(i * width, (i + 1) * width);
}

const FUSED: TinyClapOptions = {
  audio: { enable_fusion: true, fusion_type: "aff_2d", depths: [2, 2], spec_size: 128 },
  preprocessor: { max_length_s: 2.5 }, // 251 frames, stretched to 256
  seed: 7,
};

test("fused model with shifted windows: a long and a short clip in one batch match the Python port", async () => {
  await withCheckpoint(FUSED, async (dir, config, weights) => {
    const model = await ClapModel.fromPretrained(dir, { threads: 1, cache: false });
    try {
      assert.deepEqual(model.audioInput, { channels: 4, frames: 251, bins: 64 });
      const features = randomFeatures([2, 4, 251, 64], 3);
      const isLonger: Tensor<"bool"> = { type: "bool", dims: [2, 1], data: Uint8Array.of(1, 0) };
      const batch = await model.audioEmbeddings({ input_features: features, is_longer: isLonger });
      assert.deepEqual(batch.dims, [2, 16]);
      const per = 4 * 251 * 64;
      for (const b of [0, 1]) {
        const expected = referenceAudioEmbedding(weights, config, features.data.subarray(b * per, (b + 1) * per), [4, 251, 64], b === 0);
        const d = maxAbsDiff(row(batch, b), expected);
        assert.ok(d < 1e-4, `clip ${b}: ${d}`);
      }
      // the fusion matters: the same clip flagged the other way embeds differently
      const flipped = await model.audioEmbeddings({ input_features: features, is_longer: { type: "bool", dims: [2, 1], data: Uint8Array.of(0, 1) } });
      assert.ok(maxAbsDiff(row(flipped, 0), row(batch, 0)) > 1e-2);
      // one by one = batched, and runs are deterministic
      for (const b of [0, 1]) {
        const single = await model.audioEmbeddings({
          input_features: { type: "float32", dims: [1, 4, 251, 64], data: features.data.slice(b * per, (b + 1) * per) },
          is_longer: { type: "bool", dims: [1, 1], data: Uint8Array.of(b === 0 ? 1 : 0) },
        });
        assert.ok(maxAbsDiff(single.data, row(batch, b)) < 1e-6);
      }
      const again = await model.audioEmbeddings({ input_features: features, is_longer: isLonger });
      assert.deepEqual(again.data, batch.data);
      await assert.rejects(model.audioEmbeddings({ input_features: features }), /needs "is_longer"/);
    } finally {
      await model.dispose();
    }
    // onnxruntime's fused attention kernel computes the same embeddings
    const fusedKernels = await ClapModel.fromPretrained(dir, { threads: 1, cache: false, fused: true });
    const plain = await ClapModel.fromPretrained(dir, { threads: 1, cache: false });
    try {
      const features = randomFeatures([1, 4, 251, 64], 5);
      const inputs = { input_features: features, is_longer: { type: "bool" as const, dims: [1, 1], data: Uint8Array.of(1) } };
      assert.ok(maxAbsDiff((await fusedKernels.audioEmbeddings(inputs)).data, (await plain.audioEmbeddings(inputs)).data) < 1e-5);
    } finally {
      await fusedKernels.dispose();
      await plain.dispose();
    }
  });
});

test("fused model given one-channel (rand_trunc) features fuses an empty crop embedding, as Python", async () => {
  await withCheckpoint(FUSED, async (dir, config, weights) => {
    const model = await ClapModel.fromPretrained(dir, { threads: 1, cache: false, audioInput: { channels: 1, frames: 251, bins: 64 } });
    try {
      const features = randomFeatures([1, 1, 251, 64], 9);
      const out = await model.audioEmbeddings({ input_features: features, is_longer: { type: "int32", dims: [1, 1], data: Int32Array.of(1) } });
      assert.ok(maxAbsDiff(out.data, referenceAudioEmbedding(weights, config, features.data, [1, 251, 64], true)) < 1e-4);
    } finally {
      await model.dispose();
    }
  });
});

test("padded and shifted windows, time and frequency interpolation: three stages on a 40×40 grid match the Python port", async () => {
  const options: TinyClapOptions = {
    // spec 160 / 64 mel bins: freq_ratio 2, image rows 2·80 (bins stretched 64 → 80), 301 frames stretched to 320;
    // grids 40, 20 (padded to 24) and 10 (padded to 16), shifted by 4 in the 2-block stages
    audio: { depths: [1, 2, 2], num_attention_heads: [1, 2, 4], spec_size: 160, hidden_size: 64 },
    preprocessor: { max_length_s: 3 },
    seed: 11,
  };
  await withCheckpoint(options, async (dir, config, weights) => {
    const model = await ClapModel.fromPretrained(dir, { threads: 1, cache: false });
    try {
      assert.deepEqual(model.audioInput, { channels: 1, frames: 301, bins: 64 });
      const features = randomFeatures([1, 1, 301, 64], 4);
      const out = await model.audioEmbeddings({ input_features: features });
      const d = maxAbsDiff(out.data, referenceAudioEmbedding(weights, config, features.data, [1, 301, 64], false));
      assert.ok(d < 1e-4, `max diff ${d}`);
    } finally {
      await model.dispose();
    }
  });
});

test("configs transformers cannot run are refused with the reason", async () => {
  // a 64×64 grid halved three times reaches 8×8, then 4×4: smaller than the 8×8 window
  await withCheckpoint({ audio: { depths: [1, 1, 1, 1, 1], num_attention_heads: [1, 1, 1, 1, 1], hidden_size: 256 } }, async (dir) => {
    await assert.rejects(ClapModel.fromPretrained(dir, { cache: false }), /4×4 token grid, smaller than window_size 8/);
  });
  await withCheckpoint({ preprocessor: { truncation: "fusion" } }, async (dir) => {
    await assert.rejects(ClapModel.fromPretrained(dir, { cache: false }), /does not fuse .* not 4: use truncation "rand_trunc"/);
  });
  await withCheckpoint({ preprocessor: { max_length_s: 12 } }, async (dir) => {
    await assert.rejects(ClapModel.fromPretrained(dir, { cache: false }), /1201 frames .* larger than the model's input \(1024/);
  });
});
