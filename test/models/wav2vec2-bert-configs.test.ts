// Wav2Vec2-BERT configs the fixtures do not cover: relative (Transformer-XL), rotary and no
// position embeddings, other distance windows, kernels and head counts, a weighted layer sum.
// Each tiny random model must load cleanly, give distinct logits for distinct inputs, and give
// three examples of different lengths as one padded batch exactly their one-by-one logits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { ModelConfig, architectureFor, loadAudioClassificationModel } from "../../src/models/index.js";
import { randomCheckpoint, randomFeatures, writeModelFolder } from "./support/random-checkpoint.js";

const BASE = {
  model_type: "wav2vec2-bert", architectures: ["Wav2Vec2BertForSequenceClassification"],
  hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 40, hidden_act: "swish", layer_norm_eps: 1e-5,
  feature_projection_input_dim: 20, conv_depthwise_kernel_size: 5, position_embeddings_type: "relative_key",
  left_max_position_embeddings: 6, right_max_position_embeddings: 2, classifier_proj_size: 8, mask_time_prob: 0.05,
  id2label: { 0: "a", 1: "b", 2: "c" },
};

const CASES: Record<string, Record<string, unknown>> = {
  "relative (Transformer-XL), weighted layer sum": { position_embeddings_type: "relative", use_weighted_layer_sum: true },
  "rotary, 3 heads of 8, kernel 3": { position_embeddings_type: "rotary", num_attention_heads: 3, conv_depthwise_kernel_size: 3 },
  "no position embeddings, gelu": { position_embeddings_type: null, hidden_act: "gelu" },
  "relative_key with a wide window (left 40, right 30), three layers": { left_max_position_embeddings: 40, right_max_position_embeddings: 30, num_hidden_layers: 3 },
};

const LENGTHS = [17, 9, 13];

for (const [name, overrides] of Object.entries(CASES)) {
  test(`Wav2Vec2-BERT ${name}: clean load, padded batch = single runs`, async () => {
    const config = { ...BASE, ...overrides };
    const model = new ModelConfig(config);
    const dir = await writeModelFolder(config, randomCheckpoint(architectureFor(model).parameters(model), 5), "audioclass-w2vbert-");
    try {
      const loaded = await loadAudioClassificationModel(dir, new ModelConfig(config, `${dir}/config.json`), architectureFor(model), { threads: 1, cache: false });
      try {
        assert.deepEqual(loaded.report.unusedWeights, []);
        const frames = Math.max(...LENGTHS);
        const singles = LENGTHS.map((n, i) => randomFeatures([1, n, 20], 30 + i));
        const data = new Float32Array(LENGTHS.length * frames * 20);
        const mask = new Int32Array(LENGTHS.length * frames);
        singles.forEach((s, b) => {
          data.set(s.data, b * frames * 20);
          mask.fill(1, b * frames, b * frames + LENGTHS[b]!);
        });
        const batch = await loaded.forward({ input_features: { type: "float32", dims: [LENGTHS.length, frames, 20], data }, attention_mask: { type: "int32", dims: [LENGTHS.length, frames], data: mask } });
        const labels = loaded.numLabels;
        const rows: Float32Array[] = [];
        for (const [b, s] of singles.entries()) {
          const single = await loaded.forward({ input_features: s });
          const row = batch.data.subarray(b * labels, (b + 1) * labels);
          rows.push(single.data);
          const worst = Math.max(...Array.from(row, (v, j) => Math.abs(v - single.data[j]!)));
          assert.ok(worst <= 1e-5, `row ${b} differs from its single run by ${worst}`);
        }
        assert.ok(Math.max(...Array.from(rows[0]!, (v, j) => Math.abs(v - rows[1]![j]!))) > 1e-3, "different inputs gave the same logits");
      } finally {
        await loaded.dispose();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
