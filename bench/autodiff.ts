// Training step vs forward pass for one transformer block at AST-base width (768, 12 heads,
// FFN 3072) on 1214 tokens, batch 2, and the backward/forward ratio of its ops one by one.
//   node --import tsx bench/autodiff.ts [--quick] [--threads N]
// Figures are wall-clock on a shared machine: compare ratios within one run, not across runs.
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { buildTrainingGraph, buildVjpGraph } from "../src/graph/autodiff/index.js";
import { GraphBuilder, type GraphModel, type GraphTensor, type Value, opCounts } from "../src/graph/index.js";
import { BERT_ATTENTION_NAMES, feedForward, layerNorm, linear, selfAttention } from "../src/nn/index.js";
import { type Session, createSession } from "../src/runtime/index.js";
import type { Tensor } from "../src/tensor.js";

const quick = process.argv.includes("--quick");
const threadsAt = process.argv.indexOf("--threads");
const threads = threadsAt >= 0 ? Number(process.argv[threadsAt + 1]) : availableParallelism();
const [BATCH, TOKENS, HIDDEN, HEADS, FFN, LABELS] = [2, 1214, 768, 12, 3072, 10];

function filled(n: number, seed: number, scale = 0.05): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * 2 * scale;
  }
  return out;
}

const f32 = (dims: number[], seed: number, scale?: number): Tensor<"float32"> => ({ type: "float32", dims, data: filled(dims.reduce((a, b) => a * b, 1), seed, scale) });

async function time(session: Session, feeds: Record<string, Tensor>, runs: number): Promise<{ best: number; median: number }> {
  await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { best: times[0]!, median: times[Math.floor(times.length / 2)]! };
}

const fmt = (v: number, digits = 0): string => v.toFixed(digits);

/** `layers` AST-style pre-LN blocks + mean pooling + classifier, with random weights under HF names. */
function block(fused: boolean, layers = 1): GraphModel {
  const weights = new Map<string, GraphTensor>();
  let seed = 1;
  const add = (name: string, dims: number[], scale = 0.03, offset = 0): void => {
    const t = f32(dims, seed++, scale);
    if (offset !== 0) t.data.forEach((v, i) => (t.data[i] = v + offset));
    weights.set(name, t);
  };
  for (let i = 0; i < layers; i++) {
    const p = `encoder.layer.${i}`;
    for (const norm of ["layernorm_before", "layernorm_after"]) {
      add(`${p}.${norm}.weight`, [HIDDEN], 0.1, 1);
      add(`${p}.${norm}.bias`, [HIDDEN]);
    }
    for (const proj of ["attention.attention.query", "attention.attention.key", "attention.attention.value", "attention.output.dense"]) {
      add(`${p}.${proj}.weight`, [HIDDEN, HIDDEN]);
      add(`${p}.${proj}.bias`, [HIDDEN]);
    }
    add(`${p}.intermediate.dense.weight`, [FFN, HIDDEN]);
    add(`${p}.intermediate.dense.bias`, [FFN]);
    add(`${p}.output.dense.weight`, [HIDDEN, FFN]);
    add(`${p}.output.dense.bias`, [HIDDEN]);
  }
  add("classifier.weight", [LABELS, HIDDEN]);
  add("classifier.bias", [LABELS]);
  const g = new GraphBuilder({ name: fused ? "block-fused" : "block" });
  const x = g.input("input_values", "float32", ["batch", "tokens", HIDDEN]);
  let h = x;
  for (let i = 0; i < layers; i++) {
    const p = `encoder.layer.${i}`;
    const attended = selfAttention(g, weights, `${p}.attention`, layerNorm(g, weights, `${p}.layernorm_before`, h, { epsilon: 1e-12 }), {
      numHeads: HEADS, names: BERT_ATTENTION_NAMES, scaleAt: "scores", fused,
    });
    h = g.add(h, attended);
    const ffn = feedForward(g, weights, p, layerNorm(g, weights, `${p}.layernorm_after`, h, { epsilon: 1e-12 }), { intermediate: "intermediate.dense", output: "output.dense" });
    h = g.add(h, ffn);
  }
  g.output("logits", linear(g, weights, "classifier", g.reduceMean(h, [1], { keepDims: false })));
  return g.build();
}

function parameterFeeds(forward: GraphModel, names: readonly string[]): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (const name of names) feeds[name] = forward.initializers.get(forward.values.find((v) => v.name === name)!.id) as Tensor;
  return feeds;
}

type Variant = "forward" | "train";

/** One configuration in this process: median/best ms and the process's peak RSS. */
async function measure(variant: Variant, fused: boolean, runs: number, layers = 1): Promise<{ median: number; best: number; buildMs: number; nodes: number; maxRssMB: number }> {
  const input = f32([BATCH, TOKENS, HIDDEN], 99, 1);
  const forward = block(fused, layers);
  let model: GraphModel = forward;
  let feeds: Record<string, Tensor> = { input_values: input };
  const t0 = performance.now();
  if (variant === "train") {
    const training = buildTrainingGraph(forward, { trainable: () => true, loss: "cross_entropy", dropout: { mode: "off" } });
    model = training;
    feeds = { ...feeds, labels: { type: "int64", dims: [BATCH], data: BigInt64Array.from([3n, 7n]) }, ...parameterFeeds(forward, training.training.parameters) };
  }
  const buildMs = performance.now() - t0;
  const session = await createSession(model, { threads });
  const t = await time(session, feeds, runs);
  await session.dispose();
  return { ...t, buildMs, nodes: model.nodes.length, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}

/** Runs each configuration in a child process so peak memory is its own. */
async function trainingStep(runs: number): Promise<void> {
  console.log(`\n## Training step vs forward: one block, width ${HIDDEN}, ${TOKENS} tokens, batch ${BATCH} (${threads} threads, ${runs} runs)`);
  console.log("| attention | forward ms | training step ms | step / forward | peak RSS fwd → train | nodes fwd → train | training graph build ms |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  const script = fileURLToPath(import.meta.url);
  const child = (variant: Variant, fused: boolean, count: number, layers = 1) => {
    const args = ["--import", "tsx", script, "--child", variant, fused ? "fused" : "unfused", String(count), String(layers), "--threads", String(threads)];
    const out = execFileSync(process.execPath, args, { encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop()!) as Awaited<ReturnType<typeof measure>>;
  };
  for (const fused of [false, true]) {
    const f = child("forward", fused, runs);
    const s = child("train", fused, runs);
    console.log(
      `| ${fused ? "fused MHA (P recomputed)" : "unfused"} | ${fmt(f.median)} (best ${fmt(f.best)}) | ${fmt(s.median)} (best ${fmt(s.best)}) | ` +
        `${(s.median / f.median).toFixed(2)} (best ${(s.best / f.best).toFixed(2)}) | ${fmt(f.maxRssMB)} → ${fmt(s.maxRssMB)} MB | ${f.nodes} → ${s.nodes} | ${fmt(s.buildMs)} |`,
    );
  }
  const layers = 4;
  console.log(`\n### Peak memory of a ${layers}-block training step (one run each)`);
  console.log("| attention | peak RSS | step ms |");
  console.log("| --- | --- | --- |");
  for (const fused of [false, true]) {
    const s = child("train", fused, 1, layers);
    console.log(`| ${fused ? "fused MHA (P recomputed)" : "unfused"} | ${fmt(s.maxRssMB)} MB | ${fmt(s.median)} |`);
  }
}

interface OpCase {
  readonly label: string;
  readonly inputs: Record<string, number[]>;
  readonly build: (g: GraphBuilder, v: Record<string, Value>) => Value;
}

/** Each op alone at the block's sizes: forward time vs the VJP graph (forward + backward). */
async function perOp(runs: number): Promise<void> {
  const rows = BATCH * TOKENS;
  const cases: OpCase[] = [
    { label: "Gemm x·Wᵀ+b 768→3072", inputs: { x: [rows, HIDDEN], w: [FFN, HIDDEN], b: [FFN] }, build: (g, v) => g.gemm(v.x!, v.w!, v.b!, { transB: true }) },
    { label: "MatMul Q·Kᵀ per head", inputs: { q: [BATCH, HEADS, TOKENS, 64], k: [BATCH, HEADS, 64, TOKENS] }, build: (g, v) => g.matMul(v.q!, v.k!) },
    { label: "Softmax [2,12,1214,1214]", inputs: { s: [BATCH, HEADS, TOKENS, TOKENS] }, build: (g, v) => g.softmax(v.s!) },
    { label: "LayerNorm [2,1214,768]", inputs: { x: [BATCH, TOKENS, HIDDEN], w: [HIDDEN], b: [HIDDEN] }, build: (g, v) => g.layerNormalization(v.x!, v.w!, v.b!, { epsilon: 1e-12 }) },
    { label: "GELU (erf) [2,1214,3072]", inputs: { x: [BATCH, TOKENS, FFN] }, build: (g, v) => g.gelu(v.x!) },
    { label: "Add (residual) [2,1214,768]", inputs: { a: [BATCH, TOKENS, HIDDEN], b: [BATCH, TOKENS, HIDDEN] }, build: (g, v) => g.add(v.a!, v.b!) },
    { label: "fused MHA 12 heads", inputs: { q: [BATCH, TOKENS, HIDDEN], k: [BATCH, TOKENS, HIDDEN], v: [BATCH, TOKENS, HIDDEN] }, build: (g, v) => g.multiHeadAttention(v.q!, v.k!, v.v!, { numHeads: HEADS }) },
  ];
  console.log("\n## Ops one by one: forward vs forward + backward (all inputs differentiated)");
  console.log("| op | forward ms | vjp ms | vjp / forward | backward nodes |");
  console.log("| --- | --- | --- | --- | --- |");
  let seed = 200;
  for (const c of cases) {
    const g = new GraphBuilder({ name: c.label });
    const values: Record<string, Value> = {};
    const feeds: Record<string, Tensor> = {};
    for (const [name, dims] of Object.entries(c.inputs)) {
      values[name] = g.input(name, "float32", dims);
      feeds[name] = f32(dims, seed++, 1);
    }
    const y = c.build(g, values);
    g.output("y", y);
    const forward = g.build();
    const fs = await createSession(forward, { threads });
    const f = await time(fs, feeds, runs);
    await fs.dispose();
    const vjp = buildVjpGraph(forward, { wrt: Object.keys(c.inputs) });
    const vs = await createSession(vjp, { threads });
    const v = await time(vs, { ...feeds, "cotangent.y": f32(y.shape as number[], seed++, 1) }, runs);
    await vs.dispose();
    const backwardOps = Object.entries(opCounts(vjp)).filter(([op]) => !(op in opCounts(forward))).length;
    console.log(`| ${c.label} | ${fmt(f.median, 1)} | ${fmt(v.median, 1)} | ${(v.median / f.median).toFixed(2)} | ${vjp.nodes.length - forward.nodes.length} (${backwardOps} new op types) |`);
  }
}

const childAt = process.argv.indexOf("--child");
if (childAt >= 0) {
  const [variant, attention, count, layers] = process.argv.slice(childAt + 1) as [Variant, string, string, string];
  console.log(JSON.stringify(await measure(variant, attention === "fused", Number(count), Number(layers))));
} else {
  const runs = quick ? 2 : 5;
  await trainingStep(runs);
  await perOp(runs);
}
