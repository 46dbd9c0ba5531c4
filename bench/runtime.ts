// Runtime measurements: ORT MatMul throughput on this machine, build + encode time for ~300 MB of
// initializers, and the choices the nn layer makes (Linear form, fused attention).
//   node --import tsx bench/runtime.ts [--quick]
// Figures are wall-clock on a shared machine: compare ratios within one run, not across runs.
import { availableParallelism } from "node:os";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GraphBuilder, type GraphModel, type Value, opCounts, serializeModel } from "../src/graph/index.js";
import { type LinearForm, additiveAttentionMask, linear, selfAttention } from "../src/nn/index.js";
import { type Session, createSession } from "../src/runtime/index.js";
import type { Tensor } from "../src/tensor.js";
import { decodeFields } from "../test/graph/support/proto-decoder.js";

const quick = process.argv.includes("--quick");
const threads = availableParallelism();

function filled(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * 0.1;
  }
  return out;
}

const f32 = (dims: number[], seed: number): Tensor => ({ type: "float32", dims, data: filled(dims.reduce((a, b) => a * b, 1), seed) });

/** Best and median milliseconds per run after warm-up (the best is the least disturbed run). */
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

const fmt = (v: number, digits = 1): string => v.toFixed(digits);

async function matmulPeak(): Promise<void> {
  console.log(`\n## MatMul throughput (float32, ${threads} threads)`);
  const cases: Array<[string, number[], number[]]> = [
    ["1024×1024 · 1024×1024", [1024, 1024], [1024, 1024]],
    ["2048×2048 · 2048×2048", [2048, 2048], [2048, 2048]],
    ["[8, 512, 768] · 768×768", [8, 512, 768], [768, 768]],
    ["[1, 1214, 768] · 768×3072 (AST FFN)", [1, 1214, 768], [768, 3072]],
  ];
  for (const [label, a, b] of cases) {
    const g = new GraphBuilder({ name: "matmul" });
    const x = g.input("a", "float32", a);
    g.output("y", g.matMul(x, g.initializer("b", f32(b, 2))));
    const session = await createSession(g.build(), { threads });
    const { best, median } = await time(session, { a: f32(a, 1) }, quick ? 5 : 30);
    const m = a.slice(0, -1).reduce((p, q) => p * q, 1);
    const gflop = (2 * m * a[a.length - 1]! * b[1]!) / 1e9;
    console.log(`${label.padEnd(38)} best ${fmt(best, 2).padStart(7)} ms = ${fmt(gflop / (best / 1000)).padStart(6)} GFLOP/s   median ${fmt(gflop / (median / 1000)).padStart(6)} GFLOP/s`);
    await session.dispose();
  }
}

async function encodeLargeModel(): Promise<void> {
  console.log("\n## Build + encode ~300 MB of initializers");
  const layers = 24;
  const t0 = performance.now();
  const weights = Array.from({ length: layers }, (_, i) => f32([3072, 1024], i)); // 12.6 MB each
  const made = performance.now();
  const g = new GraphBuilder({ name: "large" });
  let h: Value = g.input("x", "float32", ["batch", 1024]);
  weights.forEach((w, i) => {
    const up = g.gemm(h, g.initializer(`layer${i}.weight`, w), undefined, { transB: true });
    h = g.reduceMean(g.reshape(up, [0, 3, 1024]), [1], { keepDims: false });
  });
  g.output("y", h);
  const model = g.build();
  const built = performance.now();
  const serialized = serializeModel(model);
  const encoded = performance.now();
  const mb = serialized.bytes.byteLength / 1e6;
  console.log(`weights made (not part of the figure): ${fmt(made - t0)} ms`);
  console.log(`build ${fmt(built - made)} ms, encode ${fmt(encoded - built)} ms for ${fmt(mb)} MB (${fmt(mb / ((encoded - built) / 1000))} MB/s)`);
  const external = serializeModel(model, { maxInlineBytes: 1e6 });
  console.log(`external-data mode: ${fmt(performance.now() - encoded)} ms, ${external.bytes.byteLength} B proto + ${external.externalData.length} zero-copy views`);
  const l0 = performance.now();
  const session = await createSession(serialized, { threads });
  console.log(`ORT load from the buffer: ${fmt(performance.now() - l0)} ms`);
  await session.dispose();
}

function encoderStack(form: LinearForm, layers: number): GraphModel {
  const g = new GraphBuilder({ name: `linear-${form}` });
  const weights: Record<string, Tensor> = {};
  for (let i = 0; i < layers; i++) {
    weights[`l${i}.fc1.weight`] = f32([3072, 768], 10 + i);
    weights[`l${i}.fc1.bias`] = f32([3072], 40 + i);
    weights[`l${i}.fc2.weight`] = f32([768, 3072], 70 + i);
    weights[`l${i}.fc2.bias`] = f32([768], 99 + i);
  }
  let h: Value = g.input("x", "float32", ["batch", "time", 768]);
  for (let i = 0; i < layers; i++) h = g.add(h, linear(g, weights, `l${i}.fc2`, g.gelu(linear(g, weights, `l${i}.fc1`, h, { form })), { form }));
  g.output("y", h);
  return g.build();
}

/** Runs the sessions round-robin and keeps each one's best time: fairer on a shared machine. */
async function interleaved(sessions: Session[], feeds: Record<string, Tensor>, rounds: number): Promise<number[]> {
  for (const s of sessions) await s.run(feeds);
  const best = sessions.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < sessions.length; i++) {
      const t0 = performance.now();
      await sessions[i]!.run(feeds);
      best[i] = Math.min(best[i]!, performance.now() - t0);
    }
  }
  return best;
}

async function linearForms(): Promise<void> {
  const layers = quick ? 2 : 4;
  console.log(`\n## Linear forms: ${layers} FFN blocks 768→3072→768, x [1, 1214, 768] (best of interleaved runs)`);
  const feeds = { x: f32([1, 1214, 768], 5) };
  const forms: LinearForm[] = ["matmul", "gemm", "fused"];
  const sessions: Session[] = [];
  for (const form of forms) sessions.push(await createSession(encoderStack(form, layers), { threads }));
  const best = await interleaved(sessions, feeds, quick ? 3 : 8);
  const reference = (await sessions[0]!.run(feeds)).y!.data as Float32Array;
  const gflop = (layers * 2 * 2 * 1214 * 768 * 3072) / 1e9;
  for (let i = 0; i < forms.length; i++) {
    const y = (await sessions[i]!.run(feeds)).y!.data as Float32Array;
    const drift = reference.reduce((m, v, k) => Math.max(m, Math.abs(v - y[k]!)), 0);
    console.log(`${forms[i]!.padEnd(8)} load ${fmt(sessions[i]!.timings.loadMs).padStart(7)} ms   run ${fmt(best[i]!, 2).padStart(8)} ms (${fmt(gflop / (best[i]! / 1000))} GFLOP/s)   max |Δ| vs matmul ${drift.toExponential(1)}`);
  }
  await Promise.all(sessions.map((s) => s.dispose()));
}

async function attentionForms(): Promise<void> {
  console.log("\n## Self-attention: unfused graph vs com.microsoft.MultiHeadAttention, x [1, 1214, 768], 12 heads, masked");
  const weights: Record<string, Tensor> = {};
  for (const p of ["q_proj", "k_proj", "v_proj", "out_proj"]) {
    weights[`attn.${p}.weight`] = f32([768, 768], p.length + p.charCodeAt(0));
    weights[`attn.${p}.bias`] = f32([768], p.charCodeAt(1));
  }
  const feeds = { x: f32([1, 1214, 768], 3), mask: { type: "int64" as const, dims: [1, 1214], data: new BigInt64Array(1214).fill(1n) } };
  const sessions: Session[] = [];
  for (const fused of [false, true]) {
    const g = new GraphBuilder({ name: fused ? "fused" : "unfused" });
    const x = g.input("x", "float32", ["batch", "time", 768]);
    const mask = additiveAttentionMask(g, g.input("mask", "int64", ["batch", "time"]));
    g.output("y", selfAttention(g, weights, "attn", x, { numHeads: 12, attentionMask: mask, fused }));
    sessions.push(await createSession(g.build(), { threads }));
  }
  const best = await interleaved(sessions, feeds, quick ? 3 : 10);
  console.log(`unfused  ${fmt(best[0]!, 2).padStart(8)} ms\nfused    ${fmt(best[1]!, 2).padStart(8)} ms`);
  const [a, b] = await Promise.all(sessions.map(async (s) => (await s.run(feeds)).y!.data as Float32Array));
  console.log(`max |unfused − fused| = ${a!.reduce((m, v, i) => Math.max(m, Math.abs(v - b![i]!)), 0).toExponential(2)}`);
  await Promise.all(sessions.map((s) => s.dispose()));
}

async function fusionsApplied(): Promise<void> {
  console.log("\n## What ORT's optimiser makes of our exact GELU and LayerNormalization");
  const g = new GraphBuilder({ name: "fusions" });
  const x = g.input("x", "float32", ["batch", 768]);
  const scale = g.initializer("ln.weight", f32([768], 1));
  const bias = g.initializer("ln.bias", f32([768], 2));
  g.output("y", g.gelu(g.layerNormalization(g.add(x, x), scale, bias)));
  const before = opCounts(g.build());
  const dir = mkdtempSync(join(tmpdir(), "audioclass-bench-"));
  try {
    const path = join(dir, "optimized.onnx");
    const session = await createSession(g.build(), { threads: 1, optimizedModelPath: path });
    await session.dispose();
    const after: Record<string, number> = {};
    const text = (b?: Uint8Array): string => new TextDecoder().decode(b);
    const graph = decodeFields(decodeFields(readFileSync(path)).find((f) => f.field === 7)!.bytes!);
    for (const node of graph.filter((f) => f.field === 1)) {
      const fields = decodeFields(node.bytes!);
      const domain = text(fields.find((f) => f.field === 7)?.bytes);
      const key = `${domain ? `${domain}.` : ""}${text(fields.find((f) => f.field === 4)!.bytes)}`;
      after[key] = (after[key] ?? 0) + 1;
    }
    console.log(`built:     ${JSON.stringify(before)}`);
    console.log(`optimised: ${JSON.stringify(after)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`audioclass runtime bench — ${threads} cores, Node ${process.version}${quick ? " (quick)" : ""}`);
await matmulPeak();
await encodeLargeModel();
await linearForms();
await attentionForms();
await fusionsApplied();
