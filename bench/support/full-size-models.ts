/**
 * Full-size architectures with random weights: the exact configs of public checkpoints, for
 * benchmarks of speed (bench/inference.ts) and of reduced-precision drift (bench/quant.ts).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Tensor } from "../../src/tensor.js";
import { saveSafetensors } from "../../src/weights/index.js";
import { astParameters } from "../../test/models/support/ast-parameters.js";
import { type ParameterSpec, randomCheckpoint } from "../../test/models/support/random-checkpoint.js";
import { wav2vec2FamilyParameters } from "../../test/models/support/tiny-wav2vec2-checkpoint.js";
import { whisperParameters } from "../../test/models/support/whisper-parameters.js";
import { filledTensor } from "./measure.js";

const labels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), `label_${i}`]));

export interface FullSizeModel {
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly parameters: (config: Record<string, unknown>) => ParameterSpec[];
  /** The features of one clip; `seed` varies the (random) contents. */
  readonly feeds: (seed: number) => Record<string, Tensor>;
  readonly bindings: Record<string, number>;
  readonly clipSeconds: number;
}

/** MIT/ast-finetuned-audioset-10-10-0.4593 */
export const AST_BASE: FullSizeModel = {
  name: "AST-base (AudioSet, 10.24 s)",
  config: { model_type: "audio-spectrogram-transformer", hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, max_length: 1024, num_mel_bins: 128, frequency_stride: 10, time_stride: 10, patch_size: 16, qkv_bias: true, layer_norm_eps: 1e-12, hidden_act: "gelu", id2label: labels(527) },
  parameters: (c) => [...astParameters(c), { name: "classifier.layernorm.weight", shape: [768], role: "norm-weight" }, { name: "classifier.layernorm.bias", shape: [768], role: "norm-bias" }, { name: "classifier.dense.weight", shape: [527, 768], role: "linear" }, { name: "classifier.dense.bias", shape: [527], role: "bias" }],
  feeds: (seed) => ({ input_values: filledTensor([1, 1024, 128], 3 + seed, 1) }),
  bindings: { batch: 1 },
  clipSeconds: 10.24,
};

/** superb/wav2vec2-base-superb-ks layout (wav2vec2-base), 10 s of audio */
export const WAV2VEC2_BASE: FullSizeModel = {
  name: "wav2vec2-base (10 s)",
  config: { model_type: "wav2vec2", hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, conv_dim: [512, 512, 512, 512, 512, 512, 512], conv_kernel: [10, 3, 3, 3, 3, 2, 2], conv_stride: [5, 2, 2, 2, 2, 2, 2], conv_bias: false, feat_extract_norm: "group", do_stable_layer_norm: false, num_conv_pos_embeddings: 128, num_conv_pos_embedding_groups: 16, classifier_proj_size: 256, use_weighted_layer_sum: true, hidden_act: "gelu", feat_extract_activation: "gelu", layer_norm_eps: 1e-5, id2label: labels(12) },
  parameters: (c) => wav2vec2FamilyParameters(c),
  feeds: (seed) => ({ input_values: filledTensor([1, 160000], 4 + seed, 0.5), attention_mask: { type: "int64", dims: [1, 160000], data: new BigInt64Array(160000).fill(1n) } }),
  bindings: { batch: 1, time: 160000 },
  clipSeconds: 10,
};

/** openai/whisper-base encoder + classification head, 30 s */
export const WHISPER_BASE: FullSizeModel = {
  name: "Whisper-base encoder (30 s)",
  config: { model_type: "whisper", d_model: 512, encoder_layers: 6, encoder_attention_heads: 8, encoder_ffn_dim: 2048, num_mel_bins: 80, max_source_positions: 1500, classifier_proj_size: 256, use_weighted_layer_sum: false, activation_function: "gelu", id2label: labels(107) },
  parameters: (c) => whisperParameters(c),
  feeds: (seed) => ({ input_features: filledTensor([1, 80, 3000], 5 + seed, 1) }),
  bindings: { batch: 1 },
  clipSeconds: 30,
};

export const FULL_SIZE_MODELS: readonly FullSizeModel[] = [AST_BASE, WAV2VEC2_BASE, WHISPER_BASE];

/** Writes config.json and a random model.safetensors (seed 1) for `model` into `dir`. */
export async function writeRandomModel(model: FullSizeModel, dir: string): Promise<void> {
  writeFileSync(join(dir, "config.json"), JSON.stringify(model.config, null, 2));
  await saveSafetensors(join(dir, "model.safetensors"), randomCheckpoint(model.parameters(model.config), 1));
}
