// Inference speed of full-size architectures with random weights (the exact configs of the
// public checkpoints), as ms per clip and as a fraction of the MatMul peak measured in this run.
//   node --import tsx bench/inference.ts [--runs N] [--threads N]
import { availableParallelism } from "node:os";
import { countMatmulFlops, type GraphModel } from "../src/graph/index.js";
import { ModelConfig, architectureFor } from "../src/models/index.js";
import { Weights } from "../src/nn/index.js";
import { createSession } from "../src/runtime/index.js";
import type { Tensor } from "../src/tensor.js";
import { astParameters } from "../test/models/support/ast-parameters.js";
import { randomCheckpoint, type ParameterSpec } from "../test/models/support/random-checkpoint.js";
import { wav2vec2FamilyParameters } from "../test/models/support/tiny-wav2vec2-checkpoint.js";
import { whisperParameters } from "../test/models/support/whisper-parameters.js";
import { filledTensor, matmulPeakGflops, timeRuns } from "./support/measure.js";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg("runs", 5);
const threads = arg("threads", availableParallelism());

const labels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), `label_${i}`]));

interface Case {
  name: string;
  config: Record<string, unknown>;
  parameters: (config: Record<string, unknown>) => ParameterSpec[];
  feeds: Record<string, Tensor>;
  bindings: Record<string, number>;
  clipSeconds: number;
}

// MIT/ast-finetuned-audioset-10-10-0.4593
const ast: Case = {
  name: "AST-base (AudioSet, 10.24 s)",
  config: { model_type: "audio-spectrogram-transformer", hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, max_length: 1024, num_mel_bins: 128, frequency_stride: 10, time_stride: 10, patch_size: 16, qkv_bias: true, layer_norm_eps: 1e-12, hidden_act: "gelu", id2label: labels(527) },
  parameters: (c) => [...astParameters(c), { name: "classifier.layernorm.weight", shape: [768], role: "norm-weight" }, { name: "classifier.layernorm.bias", shape: [768], role: "norm-bias" }, { name: "classifier.dense.weight", shape: [527, 768], role: "linear" }, { name: "classifier.dense.bias", shape: [527], role: "bias" }],
  feeds: { input_values: filledTensor([1, 1024, 128], 3, 1) },
  bindings: { batch: 1 },
  clipSeconds: 10.24,
};

// superb/wav2vec2-base-superb-ks layout (wav2vec2-base), 10 s of audio
const w2v: Case = {
  name: "wav2vec2-base (10 s)",
  config: { model_type: "wav2vec2", hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, conv_dim: [512, 512, 512, 512, 512, 512, 512], conv_kernel: [10, 3, 3, 3, 3, 2, 2], conv_stride: [5, 2, 2, 2, 2, 2, 2], conv_bias: false, feat_extract_norm: "group", do_stable_layer_norm: false, num_conv_pos_embeddings: 128, num_conv_pos_embedding_groups: 16, classifier_proj_size: 256, use_weighted_layer_sum: true, hidden_act: "gelu", feat_extract_activation: "gelu", layer_norm_eps: 1e-5, id2label: labels(12) },
  parameters: (c) => wav2vec2FamilyParameters(c),
  feeds: { input_values: filledTensor([1, 160000], 4, 0.5), attention_mask: { type: "int64", dims: [1, 160000], data: new BigInt64Array(160000).fill(1n) } },
  bindings: { batch: 1, time: 160000 },
  clipSeconds: 10,
};

// openai/whisper-base encoder + classification head, 30 s
const whisper: Case = {
  name: "Whisper-base encoder (30 s)",
  config: { model_type: "whisper", d_model: 512, encoder_layers: 6, encoder_attention_heads: 8, encoder_ffn_dim: 2048, num_mel_bins: 80, max_source_positions: 1500, classifier_proj_size: 256, use_weighted_layer_sum: false, activation_function: "gelu", id2label: labels(107) },
  parameters: (c) => whisperParameters(c),
  feeds: { input_features: filledTensor([1, 80, 3000], 5, 1) },
  bindings: { batch: 1 },
  clipSeconds: 30,
};

async function measure(c: Case, peak: number): Promise<void> {
  const config = new ModelConfig(c.config);
  const t0 = performance.now();
  const weights = Weights.from(randomCheckpoint(c.parameters(c.config), 1));
  const graph: GraphModel = architectureFor(config).build(config, weights);
  const session = await createSession(graph, { threads });
  const buildMs = performance.now() - t0;
  const flops = countMatmulFlops(graph, c.bindings).total;
  const { best, median } = await timeRuns(() => session.run(c.feeds), runs);
  const gflops = flops / 1e9 / (best / 1000);
  console.log(
    `${c.name.padEnd(32)} ${(flops / 1e9).toFixed(1).padStart(6)} GFLOP  best ${best.toFixed(0).padStart(6)} ms  median ${median.toFixed(0).padStart(6)} ms  ` +
      `${gflops.toFixed(0).padStart(4)} GFLOP/s = ${((100 * gflops) / peak).toFixed(0)}% of peak  (${((best / 1000 / c.clipSeconds) * 100).toFixed(1)}% of real time; build+load ${(buildMs / 1000).toFixed(1)} s)`,
  );
  await session.dispose();
}

const peak = await matmulPeakGflops(threads);
console.log(`MatMul peak (1024³ float32, ${threads} threads): ${peak.toFixed(0)} GFLOP/s`);
for (const c of [ast, w2v, whisper]) await measure(c, peak);
