// AST-base end to end: random weights with the exact config of
// MIT/ast-finetuned-audioset-10-10-0.4593 (86.6 M parameters, 527 labels, 1024 frames × 128 mel
// bins) written as a checkpoint folder, then — in a fresh process per measurement, so RSS is the
// model's — load time, peak RSS, ms per 10 s clip and GFLOP/s as a fraction of the float32 and
// int8 MatMul peaks measured in the same process, for each dtype. "q8" and "fp16" are loaded twice:
// cold (empty converted-weights cache: convert and write) and warm (read the cache).
//   node --import tsx bench/ast-base.ts [--runs N] [--threads N] [--dtypes fp32,q8,fp16] [--in-memory]
// --in-memory hands ONNX Runtime the weights from memory instead of letting it read them from
// model.safetensors (or the cache) in place, for comparison.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { countMatmulFlops } from "../src/graph/index.js";
import { AutoModelForAudioClassification, ModelConfig, architectureFor } from "../src/models/index.js";
import { Weights } from "../src/nn/index.js";
import type { ModelDType } from "../src/runtime/index.js";
import { saveSafetensors } from "../src/weights/index.js";
import { astParameters } from "../test/models/support/ast-parameters.js";
import { randomCheckpoint } from "../test/models/support/random-checkpoint.js";
import { filledTensor, int8MatmulPeakGops, matmulPeakGflops, timeRuns } from "./support/measure.js";

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const runs = Number(arg("runs", "5"));
const threads = Number(arg("threads", "2"));
const dtypes = arg("dtypes", "fp32,q8").split(",") as ModelDType[];
const inMemory = process.argv.includes("--in-memory");

const CONFIG = {
  architectures: ["ASTForAudioClassification"],
  model_type: "audio-spectrogram-transformer",
  hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072,
  hidden_act: "gelu", hidden_dropout_prob: 0.0, attention_probs_dropout_prob: 0.0, initializer_range: 0.02,
  layer_norm_eps: 1e-12, patch_size: 16, qkv_bias: true, frequency_stride: 10, time_stride: 10,
  max_length: 1024, num_mel_bins: 128,
  id2label: Object.fromEntries(Array.from({ length: 527 }, (_, i) => [String(i), `label_${i}`])),
};
const PREPROCESSOR = { feature_extractor_type: "ASTFeatureExtractor", feature_size: 1, sampling_rate: 16000, num_mel_bins: 128, max_length: 1024, do_normalize: true, mean: -4.2677393, std: 4.5689974, padding_value: 0, return_attention_mask: false };

interface ChildResult {
  dtype: ModelDType;
  cache: string;
  loadSeconds: number;
  bestMs: number;
  medianMs: number;
  peakRssMb: number;
  loadRssMb: number;
  fp32PeakGflops: number;
  int8PeakGops: number;
  inPlaceMb: number;
  logits: number[];
}

async function child(dir: string, dtype: ModelDType, cacheDir: string): Promise<void> {
  const peaks = [await matmulPeakGflops(threads), await int8MatmulPeakGops(threads)];
  const t0 = performance.now();
  const model = await AutoModelForAudioClassification.fromPretrained(dir, { threads, cache: false, weightsInPlace: !inMemory, dtype, weightsCacheDir: cacheDir });
  const loadSeconds = (performance.now() - t0) / 1000;
  const loadRssMb = process.resourceUsage().maxRSS / 1024;
  const features = { input_values: filledTensor([1, 1024, 128], 3, 1) };
  const logits = await model.forward(features);
  const { best, median } = await timeRuns(() => model.forward(features), runs);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  // Peaks measured before and after the model runs, the higher kept: on a shared machine one
  // measurement alone can land in a slow moment and flatter the model's ratio.
  const result: ChildResult = {
    dtype, cache: model.report.convertedWeights?.cache ?? "-", loadSeconds, bestMs: best, medianMs: median, peakRssMb, loadRssMb,
    fp32PeakGflops: Math.max(peaks[0]!, await matmulPeakGflops(threads)),
    int8PeakGops: Math.max(peaks[1]!, await int8MatmulPeakGops(threads)),
    inPlaceMb: model.session.inPlaceWeightBytes / 1024 / 1024,
    logits: Array.from(logits.data),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  await model.dispose();
}

function runChild(dir: string, dtype: ModelDType, cacheDir: string): ChildResult {
  const script = fileURLToPath(import.meta.url);
  const out = spawnSync(process.execPath, ["--import", "tsx", script, "--child", dir, dtype, cacheDir, ...process.argv.slice(2)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const line = out.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (line === undefined) throw new Error(`${dtype} child failed (status ${out.status}):\n${out.stdout}`);
  return JSON.parse(line.slice("RESULT ".length)) as ChildResult;
}

function topLabels(logits: readonly number[], k: number): number[] {
  return [...logits.keys()].sort((a, b) => logits[b]! - logits[a]!).slice(0, k);
}

if (process.argv[2] === "--child") {
  await child(process.argv[3]!, process.argv[4] as ModelDType, process.argv[5]!);
} else {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-ast-base-"));
  const cacheDir = mkdtempSync(join(tmpdir(), "audioclass-ast-base-cache-"));
  try {
    writeFileSync(join(dir, "config.json"), JSON.stringify(CONFIG, null, 2));
    writeFileSync(join(dir, "preprocessor_config.json"), JSON.stringify(PREPROCESSOR, null, 2));
    const specs = [
      ...astParameters(CONFIG),
      { name: "classifier.layernorm.weight", shape: [768], role: "norm-weight" as const },
      { name: "classifier.layernorm.bias", shape: [768], role: "norm-bias" as const },
      { name: "classifier.dense.weight", shape: [527, 768], role: "linear" as const },
      { name: "classifier.dense.bias", shape: [527], role: "bias" as const },
    ];
    const checkpoint = randomCheckpoint(specs, 1);
    const parameters = [...checkpoint.values()].reduce((n, t) => n + t.data.length, 0);
    await saveSafetensors(join(dir, "model.safetensors"), checkpoint);
    const weightsMb = statSync(join(dir, "model.safetensors")).size / 1024 / 1024;
    console.log(`AST-base: ${(parameters / 1e6).toFixed(1)} M parameters (${weightsMb.toFixed(0)} MB) written to ${dir}; ${threads} threads, best of ${runs} runs`);
    const config = new ModelConfig(CONFIG);
    const flops = countMatmulFlops(architectureFor(config).build(config, Weights.from(checkpoint)), { batch: 1 });
    const gflop = flops.total / 1e9;
    console.log(`${gflop.toFixed(1)} GFLOP per clip (${Object.entries(flops.byOp).map(([op, f]) => `${op} ${(f / 1e9).toFixed(1)}`).join(", ")})\n`);

    const results: ChildResult[] = [];
    for (const dtype of dtypes) {
      results.push(runChild(dir, dtype, cacheDir));
      if (dtype !== "fp32") results.push(runChild(dir, dtype, cacheDir));
    }
    const fp32 = results.find((r) => r.dtype === "fp32");
    console.log("dtype  cache    load s  load RSS  peak RSS   ms/clip best (median)   GFLOP/s  % fp32 peak  % int8 peak");
    for (const r of results) {
      const achieved = gflop / (r.bestMs / 1000);
      console.log(
        `${r.dtype.padEnd(6)} ${r.cache.padEnd(8)} ${r.loadSeconds.toFixed(2).padStart(6)}  ${r.loadRssMb.toFixed(0).padStart(5)} MB  ${r.peakRssMb.toFixed(0).padStart(5)} MB  ` +
          `${r.bestMs.toFixed(0).padStart(8)} (${r.medianMs.toFixed(0)})  ${achieved.toFixed(0).padStart(11)}  ${((100 * achieved) / r.fp32PeakGflops).toFixed(0).padStart(10)}%  ${((100 * achieved) / r.int8PeakGops).toFixed(0).padStart(10)}%`,
      );
    }
    console.log(`\nMatMul peaks (1024³, per process, best of before/after): float32 ${results.map((r) => r.fp32PeakGflops.toFixed(0)).join(" / ")} GFLOP/s; int8 ${results.map((r) => r.int8PeakGops.toFixed(0)).join(" / ")} GOP/s`);
    if (fp32 !== undefined) {
      for (const r of results.filter((x) => x.dtype !== "fp32" && x.cache !== "written")) {
        const top1 = topLabels(r.logits, 1)[0] === topLabels(fp32.logits, 1)[0];
        const overlap = topLabels(r.logits, 5).filter((l) => topLabels(fp32.logits, 5).includes(l)).length;
        const maxDiff = Math.max(...r.logits.map((x, i) => Math.abs(x - fp32.logits[i]!)));
        console.log(
          `${r.dtype} vs fp32: ${(fp32.bestMs / r.bestMs).toFixed(2)}× faster (best), peak RSS ${(r.peakRssMb / fp32.peakRssMb).toFixed(2)}×, ` +
            `warm load ${r.loadSeconds.toFixed(2)} s; random weights: top-1 ${top1 ? "same" : "differs"}, top-5 overlap ${overlap}/5, max |Δ logit| ${maxDiff.toFixed(3)}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
