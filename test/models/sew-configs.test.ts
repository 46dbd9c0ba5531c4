// SEW and SEW-D configs the fixtures do not cover: other widths, depths, squeeze factors, kernel
// parities, position buckets, attention terms and weighted layer sums. Each tiny random model
// must load cleanly and give a padded batch of three clips exactly their one-by-one logits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { attentionRow, logBucketPosition } from "../../src/models/sew-d/index.js";
import { checkTinyFamilyConfig } from "./support/tiny-family-model.js";

const BASE = {
  hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 40, hidden_act: "gelu",
  conv_dim: [8, 8, 8], conv_kernel: [10, 3, 3], conv_stride: [5, 2, 2], conv_bias: false, feat_extract_norm: "group",
  num_conv_pos_embeddings: 8, num_conv_pos_embedding_groups: 4, squeeze_factor: 2, classifier_proj_size: 8,
  mask_time_prob: 0.05, id2label: { 0: "a", 1: "b", 2: "c", 3: "d" },
};

const SEW_CASES: Record<string, Record<string, unknown>> = {
  "squeeze 3, odd kernel, layer-norm convs with bias": { squeeze_factor: 3, num_conv_pos_embeddings: 7, feat_extract_norm: "layer", conv_bias: true },
  "weighted layer sum, squeeze 1, hidden = conv width (no feature projection)": { use_weighted_layer_sum: true, squeeze_factor: 1, hidden_size: 8, num_attention_heads: 2, num_conv_pos_embedding_groups: 2, intermediate_size: 16 },
  "kernel shorter than 2·squeeze (the strided conv's input is cut)": { squeeze_factor: 4, num_conv_pos_embeddings: 3 },
};

for (const [name, overrides] of Object.entries(SEW_CASES)) {
  test(`SEW ${name}: clean load, padded batch = single runs`, async () => {
    await checkTinyFamilyConfig({ model_type: "sew", architectures: ["SEWForSequenceClassification"], layer_norm_eps: 1e-5, ...BASE, ...overrides });
  });
}

const SEW_D_BASE = { max_position_embeddings: 32, position_buckets: 8, share_att_key: true, pos_att_type: ["p2c", "c2p"], norm_rel_ebd: "layer_norm", layer_norm_eps: 1e-7, feature_layer_norm_eps: 1e-5 };

const SEW_D_CASES: Record<string, Record<string, unknown>> = {
  "separate position projections, c2p only, squeeze 3": { share_att_key: false, pos_att_type: ["c2p"], squeeze_factor: 3 },
  "separate position projections, p2c|c2p as a string, weighted layer sum": { share_att_key: false, pos_att_type: "p2c|c2p", use_weighted_layer_sum: true },
  "no buckets (raw relative positions), no rel-embedding LayerNorm": { position_buckets: -1, max_position_embeddings: 6, norm_rel_ebd: "none" },
  "many buckets, three layers, even kernel": { position_buckets: 24, max_position_embeddings: 100, num_hidden_layers: 3, num_conv_pos_embeddings: 6 },
};

for (const [name, overrides] of Object.entries(SEW_D_CASES)) {
  test(`SEW-D ${name}: clean load, padded batch = single runs`, async () => {
    await checkTinyFamilyConfig({ model_type: "sew-d", architectures: ["SEWDForSequenceClassification"], ...BASE, ...SEW_D_BASE, ...overrides });
  });
}

test("SEW-D position buckets: exact below mid, log-spaced beyond, odd in r, rows clamped into 2·span", () => {
  // bucket_size 16 (mid 8), max_position 64: |r| ≤ 8 kept; 9 → ceil(log(9/8)/log(63/8)·7) + 8 = 1 + 8
  for (let r = -8; r <= 8; r++) assert.equal(logBucketPosition(r, 16, 64), r);
  assert.equal(logBucketPosition(9, 16, 64), 9);
  assert.equal(logBucketPosition(63, 16, 64), 15);
  assert.equal(logBucketPosition(64, 16, 64), 16);
  for (const r of [9, 20, 40, 100, 1000]) assert.equal(logBucketPosition(-r, 16, 64), -logBucketPosition(r, 16, 64));
  assert.equal(attentionRow(1000, 16, 64, 16), 31);
  assert.equal(attentionRow(-1000, 16, 64, 16), 0);
  assert.equal(attentionRow(0, 16, 64, 16), 16);
  // without buckets the relative position itself is the bucket
  assert.equal(logBucketPosition(300, -1, 512), 300);
});
