/** Shared measurement helpers for the benchmarks: timing runs and the machine's MatMul peak. */
import { GraphBuilder, MICROSOFT_DOMAIN } from "../../src/graph/index.js";
import { createSession, type Session } from "../../src/runtime/index.js";
import type { Tensor } from "../../src/tensor.js";

export function filledTensor(dims: readonly number[], seed = 1, scale = 0.1): Tensor<"float32"> {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 4294967296 - 0.5) * 2 * scale;
  }
  return { type: "float32", dims: [...dims], data };
}

export interface Timing {
  best: number;
  median: number;
}

/** Milliseconds per call of `fn` after one warm-up call: best (least disturbed) and median. */
export async function timeRuns(fn: () => Promise<unknown> | unknown, runs: number): Promise<Timing> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { best: times[0]!, median: times[Math.floor(times.length / 2)]! };
}

/** ORT float32 MatMul throughput in GFLOP/s (best run) for an n×n·n×n product. */
export async function matmulPeakGflops(threads: number, n = 1024, runs = 20): Promise<number> {
  const g = new GraphBuilder({ name: "matmul-peak" });
  const a = g.input("a", "float32", [n, n]);
  g.output("y", g.matMul(a, g.initializer("b", filledTensor([n, n], 2))));
  const session: Session = await createSession(g.build(), { threads });
  const feeds = { a: filledTensor([n, n], 1) };
  const { best } = await timeRuns(() => session.run(feeds), runs);
  await session.dispose();
  return (2 * n * n * n) / 1e9 / (best / 1000);
}

/**
 * ORT int8 matrix-product throughput in GOP/s (best run): com.microsoft.DynamicQuantizeMatMul on an
 * n×n float32 A and an n×n int8 B with 7-bit values (as dtype "q8" makes them), A quantized per run.
 */
export async function int8MatmulPeakGops(threads: number, n = 1024, runs = 20): Promise<number> {
  const g = new GraphBuilder({ name: "int8-matmul-peak" });
  const a = g.input("a", "float32", [n, n]);
  const values = new Int8Array(n * n);
  let s = 7;
  for (let i = 0; i < values.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    values[i] = (s % 127) - 63;
  }
  const b = g.initializer("b", { type: "int8", dims: [n, n], data: values });
  const scale = g.initializer("scale", filledTensor([n], 3, 0.01));
  g.output("y", g.op("DynamicQuantizeMatMul", [a, b, scale], {}, { domain: MICROSOFT_DOMAIN })[0]!);
  const session: Session = await createSession(g.build(), { threads });
  const feeds = { a: filledTensor([n, n], 1) };
  const { best } = await timeRuns(() => session.run(feeds), runs);
  await session.dispose();
  return (2 * n * n * n) / 1e9 / (best / 1000);
}
