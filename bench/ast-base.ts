// AST-base end to end: random weights with the exact config of
// MIT/ast-finetuned-audioset-10-10-0.4593 (86.6 M parameters, 527 labels, 1024 frames × 128 mel
// bins) written as a checkpoint folder, then for each dtype:
// 1. load time and RSS, in a fresh process per load so RSS is the model's; "q8" and "fp16" are
//    loaded cold (empty converted-weights cache: convert and write) and warm (read the cache);
// 2. ms per 10 s clip, in one process holding every dtype's model and the float32 and int8 MatMul
//    peak workloads, timed in interleaved rounds so that a busy moment on a shared machine slows
//    them all alike: speed-ups and fractions of the peaks come from the same rounds, by best wall
//    time and by median process CPU time (ORT's threads do not spin, so CPU time is the work done;
//    on a busy machine it is the steadier of the two).
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
import { type InterleavedTiming, filledTensor, int8MatmulWorkload, matmulWorkload, peakRssMb, timeInterleaved } from "./support/measure.js";

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
const features = () => ({ input_values: filledTensor([1, 1024, 128], 3, 1) });
const load = (dir: string, dtype: ModelDType, cacheDir: string, spinning?: boolean) =>
  AutoModelForAudioClassification.fromPretrained(dir, { threads, cache: false, weightsInPlace: !inMemory, dtype, weightsCacheDir: cacheDir, spinning });

interface LoadResult {
  dtype: ModelDType;
  cache: string;
  loadSeconds: number;
  loadRssMb: number;
  peakRssMb: number;
  inPlaceMb: number;
  logits: number[];
}

interface SpeedResult {
  ms: Record<string, InterleavedTiming>;
  /** Peaks from the best wall time and from the median CPU time of their calls. */
  fp32Peak: { wall: number; cpu: number };
  int8Peak: { wall: number; cpu: number };
}

/** One load in a fresh process: load time, RSS after loading and after two runs. */
async function loadChild(dir: string, dtype: ModelDType, cacheDir: string): Promise<LoadResult> {
  const t0 = performance.now();
  const model = await load(dir, dtype, cacheDir);
  const loadSeconds = (performance.now() - t0) / 1000;
  const loadRssMb = peakRssMb();
  const logits = await model.forward(features());
  await model.forward(features());
  const result = {
    dtype, cache: model.report.convertedWeights?.cache ?? "-", loadSeconds, loadRssMb, peakRssMb: peakRssMb(),
    inPlaceMb: model.session.inPlaceWeightBytes / 1024 / 1024, logits: Array.from(logits.data),
  };
  await model.dispose();
  return result;
}

/**
 * Every dtype's model (warm cache) and both MatMul peaks, timed in interleaved rounds. ORT's idle
 * threads do not spin here, so process CPU time per call measures the work done.
 */
async function speedChild(dir: string, cacheDir: string): Promise<SpeedResult> {
  const models = await Promise.all(dtypes.map((dtype) => load(dir, dtype, cacheDir, false)));
  const [fp32Peak, int8Peak] = [await matmulWorkload(threads, 1024, false), await int8MatmulWorkload(threads, 1024, false)];
  const input = features();
  // The 1024³ peaks take ~10 ms: run them 5× per call so a round's noise weighs on them as on the model.
  const burst = (run: () => Promise<unknown>) => async () => { for (let i = 0; i < 5; i++) await run(); };
  const calls: Record<string, () => Promise<unknown>> = { "fp32 peak": burst(fp32Peak.run), "int8 peak": burst(int8Peak.run) };
  dtypes.forEach((dtype, i) => (calls[dtype] = () => models[i]!.forward(input)));
  const ms = await timeInterleaved(calls, runs);
  const rate = (ops: number, t: InterleavedTiming) => ({ wall: ops / 1e9 / (t.best / 1000), cpu: ops / 1e9 / (t.cpuMedian / threads / 1000) });
  const result = { ms, fp32Peak: rate(5 * fp32Peak.ops, ms["fp32 peak"]!), int8Peak: rate(5 * int8Peak.ops, ms["int8 peak"]!) };
  await Promise.all([...models.map((m) => m.dispose()), fp32Peak.dispose(), int8Peak.dispose()]);
  return result;
}

function runChild<T>(args: string[]): T {
  const script = fileURLToPath(import.meta.url);
  const out = spawnSync(process.execPath, ["--import", "tsx", script, ...args, ...process.argv.slice(2)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 });
  const line = out.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (line === undefined) throw new Error(`child ${args.join(" ")} failed (status ${out.status}):\n${out.stdout}`);
  return JSON.parse(line.slice("RESULT ".length)) as T;
}

function topLabels(logits: readonly number[], k: number): number[] {
  return [...logits.keys()].sort((a, b) => logits[b]! - logits[a]!).slice(0, k);
}

if (process.argv[2] === "--load-child") {
  console.log(`RESULT ${JSON.stringify(await loadChild(process.argv[3]!, process.argv[4] as ModelDType, process.argv[5]!))}`);
} else if (process.argv[2] === "--speed-child") {
  console.log(`RESULT ${JSON.stringify(await speedChild(process.argv[3]!, process.argv[4]!))}`);
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
    console.log(`AST-base: ${(parameters / 1e6).toFixed(1)} M parameters (${weightsMb.toFixed(0)} MB) written to ${dir}; ${threads} threads`);
    const config = new ModelConfig(CONFIG);
    const flops = countMatmulFlops(architectureFor(config).build(config, Weights.from(checkpoint)), { batch: 1 });
    const gflop = flops.total / 1e9;
    console.log(`${gflop.toFixed(1)} GFLOP per clip (${Object.entries(flops.byOp).map(([op, f]) => `${op} ${(f / 1e9).toFixed(1)}`).join(", ")})\n`);

    const loads: LoadResult[] = [];
    for (const dtype of dtypes) {
      loads.push(runChild<LoadResult>(["--load-child", dir, dtype, cacheDir]));
      if (dtype !== "fp32") loads.push(runChild<LoadResult>(["--load-child", dir, dtype, cacheDir]));
    }
    console.log("load (a fresh process each)  load s   RSS loaded   peak RSS (2 runs)   read in place");
    for (const r of loads) {
      const what = `${r.dtype}${r.cache === "-" ? "" : ` (cache ${r.cache})`}`;
      console.log(`  ${what.padEnd(26)} ${r.loadSeconds.toFixed(2).padStart(6)}   ${r.loadRssMb.toFixed(0).padStart(7)} MB   ${r.peakRssMb.toFixed(0).padStart(14)} MB   ${r.inPlaceMb.toFixed(0).padStart(10)} MB`);
    }

    const speed = runChild<SpeedResult>(["--speed-child", dir, cacheDir]);
    console.log(`\nspeed (one process, ${runs} interleaved rounds; wall = best run, cpu = median process CPU time / ${threads} threads)`);
    console.log(`  MatMul peaks 1024³: float32 ${speed.fp32Peak.wall.toFixed(0)} GFLOP/s wall, ${speed.fp32Peak.cpu.toFixed(0)} cpu; int8 ${speed.int8Peak.wall.toFixed(0)} GOP/s wall, ${speed.int8Peak.cpu.toFixed(0)} cpu (int8/float32 ${(speed.int8Peak.cpu / speed.fp32Peak.cpu).toFixed(2)}× by cpu)`);
    console.log("  dtype   ms/clip wall best (median)   cpu median   GFLOP/s (cpu)   % of fp32 peak   % of int8 peak");
    for (const dtype of dtypes) {
      const t = speed.ms[dtype]!;
      const achieved = gflop / (t.cpuMedian / threads / 1000);
      const time = `${t.best.toFixed(0)} (${t.median.toFixed(0)})`;
      console.log(`  ${dtype.padEnd(5)} ${time.padStart(25)}   ${t.cpuMedian.toFixed(0).padStart(10)}   ${achieved.toFixed(0).padStart(13)}   ${((100 * achieved) / speed.fp32Peak.cpu).toFixed(0).padStart(12)} %   ${((100 * achieved) / speed.int8Peak.cpu).toFixed(0).padStart(12)} %`);
    }

    const fp32 = loads.find((r) => r.dtype === "fp32");
    if (fp32 !== undefined) {
      console.log("");
      for (const dtype of dtypes.filter((d) => d !== "fp32")) {
        const [cold, warm] = loads.filter((r) => r.dtype === dtype);
        const top1 = topLabels(warm!.logits, 1)[0] === topLabels(fp32.logits, 1)[0];
        const overlap = topLabels(warm!.logits, 5).filter((l) => topLabels(fp32.logits, 5).includes(l)).length;
        const maxDiff = Math.max(...warm!.logits.map((x, i) => Math.abs(x - fp32.logits[i]!)));
        console.log(
          `${dtype} vs fp32: ${(speed.ms["fp32"]!.best / speed.ms[dtype]!.best).toFixed(2)}× faster by best wall time, ${(speed.ms["fp32"]!.cpuMedian / speed.ms[dtype]!.cpuMedian).toFixed(2)}× by median CPU time; ` +
            `peak RSS ${(warm!.peakRssMb / fp32.peakRssMb).toFixed(2)}×, load cold ${cold!.loadSeconds.toFixed(2)} s / warm ${warm!.loadSeconds.toFixed(2)} s (fp32 ${fp32.loadSeconds.toFixed(2)} s); ` +
            `random weights: top-1 ${top1 ? "same" : "differs"}, top-5 overlap ${overlap}/5, max |Δ logit| ${maxDiff.toFixed(3)}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
