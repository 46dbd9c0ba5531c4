// SEW configs the fixtures do not cover: other widths, depths, squeeze factors, kernel parities
// and weighted layer sums. Each tiny random model
// must load cleanly and give a padded batch of three clips exactly their one-by-one logits.
import { test } from "node:test";
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

