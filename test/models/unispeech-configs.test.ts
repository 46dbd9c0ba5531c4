// UniSpeech / UniSpeechSat configs the fixtures do not cover: stable layer norm with the MMS
// adapter, layer-norm convs without masks' help, other widths. Each tiny random model must load
// cleanly and give a padded batch of three clips exactly their one-by-one logits.
import { test } from "node:test";
import { checkTinyFamilyConfig } from "./support/tiny-family-model.js";
import { checkTinyConfig } from "./support/tiny-wav2vec2-runs.js";
import { tinyWav2Vec2Config } from "./support/tiny-wav2vec2-checkpoint.js";

const BASE = {
  hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 40, hidden_act: "gelu", layer_norm_eps: 1e-5,
  conv_dim: [8, 8, 8], conv_kernel: [10, 3, 3], conv_stride: [5, 2, 2], conv_bias: false, feat_extract_norm: "group",
  num_conv_pos_embeddings: 8, num_conv_pos_embedding_groups: 4, classifier_proj_size: 8, mask_time_prob: 0.05,
  id2label: { 0: "a", 1: "b", 2: "c" },
};

test("UniSpeech stable layer norm with an attention adapter and a weighted layer sum: clean load, padded batch = single runs", async () => {
  await checkTinyFamilyConfig({ model_type: "unispeech", ...BASE, do_stable_layer_norm: true, adapter_attn_dim: 6, use_weighted_layer_sum: true });
});

test("UniSpeechSat post-LN with layer-norm convs, conv bias, three layers: clean load, padded batch = single runs", async () => {
  await checkTinyFamilyConfig({ model_type: "unispeech-sat", ...BASE, feat_extract_norm: "layer", conv_bias: true, num_hidden_layers: 3, do_stable_layer_norm: false });
});

test("UniSpeech and UniSpeechSat tiny models against the independent float64 reference forward (post-LN and stable layer norm)", async () => {
  await checkTinyConfig(tinyWav2Vec2Config("unispeech"));
  await checkTinyConfig(tinyWav2Vec2Config("unispeech-sat", { do_stable_layer_norm: true, feat_extract_norm: "layer", use_weighted_layer_sum: true }));
});
