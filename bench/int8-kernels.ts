// Which int8 matrix product ORT runs fastest here, for the Linear shapes of AST-base (1214 tokens,
// 768 ↔ 3072): float32 Gemm against the int8 forms dtype "q8" could emit. Sessions are timed in
// interleaved rounds (each round runs every form once), so a noisy neighbour slows all forms alike;
// the ratios use process CPU time (ORT threads not spinning), the steadier measure here.
//   node --import tsx bench/int8-kernels.ts [--rounds N] [--threads N] [--tokens N]
import { availableParallelism } from "node:os";
import { GraphBuilder, MICROSOFT_DOMAIN, type Value, attr, registerOp } from "../src/graph/index.js";
import { createSession, type Session } from "../src/runtime/index.js";
import type { Tensor } from "../src/tensor.js";
import { filledTensor, timeInterleaved } from "./support/measure.js";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg("rounds", 15);
const threads = arg("threads", availableParallelism());
const tokens = arg("tokens", 1214);

// MatMulNBits is only compared here (dtype q8 does not emit it): its schema lives with the bench.
registerOp({
  opType: "MatMulNBits",
  domain: MICROSOFT_DOMAIN,
  inputs: [3, 6],
  attributes: { K: "int", N: "int", bits: "int", block_size: "int", accuracy_level: "int" },
  infer: (ctx) => [{ dtype: "float32", shape: [...ctx.input(0).shape.slice(0, -1), ctx.requiredInt("N")] }],
});

function int8Values(count: number, levels: number, seed: number): Int8Array {
  const out = new Int8Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s % (2 * levels + 1)) - levels;
  }
  return out;
}

type Form = (g: GraphBuilder, x: Value, k: number, n: number) => Value;

const int8 = (dims: number[], levels: number): Tensor<"int8"> => ({ type: "int8", dims, data: int8Values(dims[0]! * dims[1]!, levels, 5) });
const scales = (n: number) => filledTensor([n], 4, 0.01);
const bias = (n: number) => filledTensor([n], 3);

const FORMS: [string, Form][] = [
  ["float32 Gemm (transB)", (g, x, k, n) => g.reshape(g.gemm(g.reshape(x, [-1, k]), g.initializer("w", filledTensor([n, k], 2)), g.initializer("b", bias(n)), { transB: true }), [1, tokens, n])],
  ["DynamicQuantizeMatMul, ±63 (q8)", (g, x, k, n) => g.op("DynamicQuantizeMatMul", [x, g.initializer("w", int8([k, n], 63)), g.initializer("s", scales(n)), null, g.initializer("b", bias(n))], {}, { domain: MICROSOFT_DOMAIN })[0]!],
  ["DynamicQuantizeMatMul, ±127", (g, x, k, n) => g.op("DynamicQuantizeMatMul", [x, g.initializer("w", int8([k, n], 127)), g.initializer("s", scales(n)), null, g.initializer("b", bias(n))], {}, { domain: MICROSOFT_DOMAIN })[0]!],
  ["DynamicQuantizeLinear + MatMulInteger", (g, x, k, n) => {
    const [q, scale, zero] = g.op("DynamicQuantizeLinear", [x]);
    const product = g.op("MatMulInteger", [q!, g.initializer("w", int8([k, n], 63)), zero!])[0]!;
    return g.add(g.mul(g.cast(product, "float32"), g.mul(scale!, g.initializer("s", scales(n)))), g.initializer("b", bias(n)));
  }],
  ["MatMulNBits 8-bit, block 32, int8 compute", (g, x, k, n) => {
    const blocks = k / 32;
    const packed = { type: "uint8" as const, dims: [n, blocks, 32], data: Uint8Array.from(int8Values(n * k, 127, 7), (v) => v + 128) };
    return g.op("MatMulNBits", [x, g.initializer("w", packed), g.initializer("s", filledTensor([n * blocks], 4, 0.01)), null, null, g.initializer("b", bias(n))],
      { K: attr.int(k), N: attr.int(n), bits: attr.int(8), block_size: attr.int(32), accuracy_level: attr.int(4) }, { domain: MICROSOFT_DOMAIN })[0]!;
  }],
];

console.log(`${tokens} tokens, ${threads} threads, ${rounds} interleaved rounds; wall = best run, cpu = median process CPU time (no spinning)`);
for (const [k, n] of [[768, 768], [768, 3072], [3072, 768]] as const) {
  const calls: Record<string, () => Promise<unknown>> = {};
  const sessions: Session[] = [];
  const feeds = { x: filledTensor([1, tokens, k], 1, 1) };
  for (const [name, form] of FORMS) {
    const g = new GraphBuilder({ name: "form" });
    const x = g.input("x", "float32", [1, tokens, k]);
    g.output("y", form(g, x, k, n));
    const session = await createSession(g.build(), { threads, spinning: false });
    sessions.push(session);
    calls[name] = () => session.run(feeds);
  }
  const times = await timeInterleaved(calls, rounds);
  const fp32 = times[FORMS[0]![0]]!;
  console.log(`\n[${tokens} × ${k}] · [${k} × ${n}]`);
  for (const [name] of FORMS) {
    const t = times[name]!;
    const gops = (2 * tokens * k * n) / 1e9 / (t.cpuMedian / threads / 1000);
    console.log(`  ${name.padEnd(42)} wall ${t.best.toFixed(1).padStart(6)} ms  cpu ${t.cpuMedian.toFixed(1).padStart(6)} ms  ${gops.toFixed(0).padStart(4)} GOP/s (cpu)  ${(fp32.cpuMedian / t.cpuMedian).toFixed(2)}× float32`);
  }
  await Promise.all(sessions.map((s) => s.dispose()));
}
