// Wav2Vec2-Conformer configs the fixtures do not cover: no position embeddings, other head counts
// and depthwise kernels, layer-norm convs with relative positions, rotary without a weighted sum.
// Each tiny random model must load cleanly and give a padded batch of three clips exactly their
// one-by-one logits.
import { test } from "node:test";
import { checkTinyFamilyConfig } from "./support/tiny-family-model.js";

const BASE = {
  model_type: "wav2vec2-conformer", architectures: ["Wav2Vec2ConformerForSequenceClassification"],
  hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 40, hidden_act: "swish", layer_norm_eps: 1e-5,
  conv_dim: [8, 8, 8], conv_kernel: [10, 3, 3], conv_stride: [5, 2, 2], conv_bias: false, feat_extract_norm: "group",
  num_conv_pos_embeddings: 8, num_conv_pos_embedding_groups: 4, conv_depthwise_kernel_size: 5, classifier_proj_size: 8,
  position_embeddings_type: "relative", rotary_embedding_base: 10000, max_source_positions: 5000,
  mask_time_prob: 0.05, id2label: { 0: "a", 1: "b", 2: "c", 3: "d" },
};

const CASES: Record<string, Record<string, unknown>> = {
  "no position embeddings, weighted layer sum": { position_embeddings_type: null, use_weighted_layer_sum: true },
  "relative, 4 heads, depthwise kernel 3, layer-norm convs": { num_attention_heads: 4, conv_depthwise_kernel_size: 3, feat_extract_norm: "layer", conv_bias: true },
  "rotary, 3 heads of 8, base 500, gelu, three layers": { position_embeddings_type: "rotary", num_attention_heads: 3, rotary_embedding_base: 500, hidden_act: "gelu", num_hidden_layers: 3 },
};

for (const [name, overrides] of Object.entries(CASES)) {
  test(`Wav2Vec2-Conformer ${name}: clean load, padded batch = single runs`, async () => {
    await checkTinyFamilyConfig({ ...BASE, ...overrides });
  });
}
