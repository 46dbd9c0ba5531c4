// Training speed of AST-base (the exact config of MIT/ast-finetuned-audioset-10-10-0.4593, fresh
// weights from parameters(config)) on 10.24 s clips (1024 frames × 128 mel bins): one training
// step (forward + backward on the training graph) and the AdamW update, as samples/s and as a
// fraction of the MatMul peak measured in the same run. FLOPs are the training graph's own
// (countMatmulFlops: every MatMul / Gemm / Conv of forward and backward).
//   node --import tsx bench/train.ts [--batch N] [--runs N] [--threads N] [--unfused]
import { availableParallelism } from "node:os";
import { countMatmulFlops } from "../src/graph/index.js";
import { ModelConfig, architectureFor, initializeParameters } from "../src/models/index.js";
import { AdamW, Rng, TrainingSession } from "../src/training/index.js";
import { Weights } from "../src/nn/index.js";
import { filledTensor, matmulPeakGflops, timeRuns } from "./support/measure.js";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const batch = arg("batch", 8);
const runs = arg("runs", 3);
const threads = arg("threads", availableParallelism());
const fused = !process.argv.includes("--unfused");

const labels = Object.fromEntries(Array.from({ length: 527 }, (_, i) => [String(i), `label_${i}`]));
const config = new ModelConfig({
  model_type: "audio-spectrogram-transformer", hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072,
  max_length: 1024, num_mel_bins: 128, frequency_stride: 10, time_stride: 10, patch_size: 16, qkv_bias: true, layer_norm_eps: 1e-12,
  hidden_act: "gelu", hidden_dropout_prob: 0.0, attention_probs_dropout_prob: 0.0, initializer_range: 0.02, id2label: labels,
});
const gb = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;


const t0 = performance.now();
const architecture = architectureFor(config);
const weights = initializeParameters(architecture.parameters(config), new Rng(1));
const session = await TrainingSession.create({ architecture, config, weights, trainable: () => true, multiLabel: false, dropout: "mask-inputs", seed: 1, threads, fused });
const parameters = [...session.parameters.values()].reduce((n, p) => n + p.length, 0);
console.log(`AST-base: ${(parameters / 1e6).toFixed(1)} M trained parameters; training graph ${session.graph.nodes.length} nodes, built and loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s (${fused ? "fused" : "unfused"} attention)`);

const inputs = { input_values: filledTensor([batch, 1024, 128], 3, 1) };
const targets = Int32Array.from({ length: batch }, (_, i) => (i * 37) % 527);
const flops = countMatmulFlops(session.graph, { batch }).total;
const forwardFlops = countMatmulFlops(architecture.build(config, Weights.from(weights as never), { fused }), { batch }).total;
// The machine may be shared: the MatMul peak is measured between the timed steps and the best
// of each is kept, so both see the same conditions.
let micro = 0;
let peak = 0;
const times: number[] = [];
let grads = (await session.step(inputs, targets, micro++)).gradients;
for (let r = 0; r < runs; r++) {
  peak = Math.max(peak, await matmulPeakGflops(threads, 1024, 10));
  const start = performance.now();
  grads = (await session.step(inputs, targets, micro++)).gradients;
  times.push(performance.now() - start);
}
peak = Math.max(peak, await matmulPeakGflops(threads, 1024, 10));
times.sort((a, b) => a - b);
const step = { best: times[0]!, median: times[Math.floor(times.length / 2)]! };
console.log(`MatMul peak (1024³ float32, ${threads} threads, best of ${runs + 1} measurements between the steps): ${peak.toFixed(0)} GFLOP/s`);
const optimizer = new AdamW(session.parameters, { lr: 5e-5 });
const update = await timeRuns(() => optimizer.step(grads), runs);
const gflops = flops / 1e9 / (step.best / 1000);
const total = step.best + update.best;
console.log(
  `training step, batch ${batch}: ${(flops / 1e9).toFixed(0)} GFLOP (${(flops / forwardFlops).toFixed(2)}× the forward pass)  ` +
    `best ${step.best.toFixed(0)} ms  median ${step.median.toFixed(0)} ms  ${gflops.toFixed(0)} GFLOP/s = ${((100 * gflops) / peak).toFixed(0)}% of peak`,
);
console.log(
  `AdamW update of ${(parameters / 1e6).toFixed(1)} M parameters: best ${update.best.toFixed(0)} ms; ` +
    `step + update: ${(batch / (total / 1000)).toFixed(2)} samples/s = ${((100 * flops) / 1e9 / (total / 1000) / peak).toFixed(0)}% of peak`,
);
console.log(`peak RSS ${gb(process.resourceUsage().maxRSS * 1024)}`);
await session.dispose();
