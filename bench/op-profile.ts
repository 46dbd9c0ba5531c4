// Where run time goes, per op type (ORT's profiler), for a full-size model in each form we can
// build it: fp32 or q8, attention unfused or fused (com.microsoft.MultiHeadAttention). --dir builds
// from a checkpoint folder instead of random weights; with --onnx, an ONNX file (e.g. a torch
// export) is profiled the same way for comparison. Besides wall time, the median process CPU time
// per run is printed (ORT threads do not spin): on a busy machine the steadier figure.
//   node --import tsx bench/op-profile.ts [--model ast|wav2vec2|whisper | --dir FOLDER] [--runs N]
//        [--threads N] [--forms fp32,fp32-fused,q8,q8-fused] [--onnx path/model.onnx --input-dims 1,1024,128]
// e.g. ours against the torch export of one AST-base layer (/work/shared/perf/ast-base-1layer):
//   node --import tsx bench/op-profile.ts --dir /work/shared/perf/ast-base-1layer --forms fp32,fp32-fused
//   node --import tsx bench/op-profile.ts --onnx /work/shared/perf/ast-base-1layer/onnx/model.onnx
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GraphModel } from "../src/graph/index.js";
import { ModelConfig, architectureFor, buildGraph, keepsFloatWeights } from "../src/models/index.js";
import { Weights } from "../src/nn/index.js";
import { type Session, createSession, lowerWeightPrecision } from "../src/runtime/index.js";
import type { Tensor } from "../src/tensor.js";
import { randomCheckpoint } from "../test/models/support/random-checkpoint.js";
import { AST_BASE, WAV2VEC2_BASE, WHISPER_BASE } from "./support/full-size-models.js";
import { filledTensor, timeInterleaved } from "./support/measure.js";
import { formatShares, opShares, takeProfile } from "./support/ort-profile.js";

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const runs = Number(arg("runs", "3"));
const threads = Number(arg("threads", "2"));
const spec = { ast: AST_BASE, wav2vec2: WAV2VEC2_BASE, whisper: WHISPER_BASE }[arg("model", "ast")]!;
const forms = arg("forms", "fp32,fp32-fused,q8,q8-fused").split(",");
const onnx = process.argv.includes("--onnx") ? arg("onnx", "") : undefined;
const dir = process.argv.includes("--dir") ? arg("dir", "") : undefined;

const folder = mkdtempSync(join(tmpdir(), "audioclass-op-profile-"));

async function profile(name: string, open: (prefix: string) => Promise<Session>, feeds: Record<string, Tensor>): Promise<void> {
  const prefix = join(folder, name);
  const session = await open(prefix);
  try {
    const t = (await timeInterleaved({ [name]: () => session.run(feeds) }, runs))[name]!;
    session.endProfiling();
    // runs + 1 calls were made (one warm-up round), all profiled.
    console.log(`${name}: wall best ${t.best.toFixed(0)} ms, median ${t.median.toFixed(0)} ms; CPU median ${t.cpuMedian.toFixed(0)} ms per clip; kernel time per run:\n${formatShares(opShares(takeProfile(prefix), runs + 1))}\n`);
  } finally {
    await session.dispose();
  }
}

try {
  if (onnx !== undefined) {
    const dims = arg("input-dims", "1,1024,128").split(",").map(Number);
    const input = arg("input-name", "input_values");
    await profile("onnx", (prefix) => createSession(onnx, { threads, profileFilePrefix: prefix, spinning: false }), { [input]: filledTensor(dims, 3, 1) });
  } else {
    const config = dir === undefined ? new ModelConfig(spec.config) : await ModelConfig.fromFile(join(dir, "config.json"));
    const weights = dir === undefined ? randomCheckpoint(spec.parameters(spec.config), 1) : undefined;
    const feeds = dir === undefined ? spec.feeds(0) : { input_values: filledTensor(arg("input-dims", "1,1024,128").split(",").map(Number), 3, 1) };
    console.log(`${dir ?? `${spec.name}, random weights`}, ${threads} threads, ${runs} runs\n`);
    for (const form of forms) {
      const fused = form.endsWith("-fused");
      let graph: GraphModel = weights === undefined ? (await buildGraph(dir!, config, architectureFor(config), { fused })).graph : architectureFor(config).build(config, Weights.from(weights), { fused });
      if (form.startsWith("q8")) graph = lowerWeightPrecision(graph, { precision: "q8", keepFloat: keepsFloatWeights }).model;
      await profile(form, (prefix) => createSession(graph, { threads, profileFilePrefix: prefix, spinning: false }), feeds);
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
