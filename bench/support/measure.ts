/** Shared measurement helpers for the benchmarks: timing runs and the machine's MatMul peak. */
import { readFileSync } from "node:fs";
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

/** Something to time: a call, and the operations (multiply-adds × 2) one call does. */
export interface Workload {
  readonly run: () => Promise<unknown>;
  readonly ops: number;
  readonly dispose: () => Promise<void>;
}

/** An n×n·n×n float32 MatMul in ORT: the machine's float32 peak. */
export async function matmulWorkload(threads: number, n = 1024, spinning?: boolean): Promise<Workload> {
  const g = new GraphBuilder({ name: "matmul-peak" });
  const a = g.input("a", "float32", [n, n]);
  g.output("y", g.matMul(a, g.initializer("b", filledTensor([n, n], 2))));
  const session: Session = await createSession(g.build(), { threads, spinning });
  const feeds = { a: filledTensor([n, n], 1) };
  return { run: () => session.run(feeds), ops: 2 * n ** 3, dispose: () => session.dispose() };
}

/**
 * ORT's int8 product com.microsoft.DynamicQuantizeMatMul on an n×n float32 A and an n×n int8 B
 * with 7-bit values (as dtype "q8" makes them), A quantized per run: the machine's int8 peak.
 */
export async function int8MatmulWorkload(threads: number, n = 1024, spinning?: boolean): Promise<Workload> {
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
  const session: Session = await createSession(g.build(), { threads, spinning });
  const feeds = { a: filledTensor([n, n], 1) };
  return { run: () => session.run(feeds), ops: 2 * n ** 3, dispose: () => session.dispose() };
}

async function peak(workload: Workload, runs: number): Promise<number> {
  const { best } = await timeRuns(workload.run, runs);
  await workload.dispose();
  return workload.ops / 1e9 / (best / 1000);
}

/** ORT float32 MatMul throughput in GFLOP/s (best run) for an n×n·n×n product. */
export async function matmulPeakGflops(threads: number, n = 1024, runs = 20): Promise<number> {
  return peak(await matmulWorkload(threads, n), runs);
}

/** ORT int8 product throughput in GOP/s (best run), see int8MatmulWorkload. */
export async function int8MatmulPeakGops(threads: number, n = 1024, runs = 20): Promise<number> {
  return peak(await int8MatmulWorkload(threads, n), runs);
}

export interface InterleavedTiming extends Timing {
  /** Process CPU milliseconds (user + system) per call, best and median: the work done, which a busy machine disturbs less than wall time. */
  readonly cpuBest: number;
  readonly cpuMedian: number;
}

/**
 * Times several calls in interleaved rounds (each round calls every one once, after one warm-up
 * round): on a shared machine a slow moment then slows all of them alike, so their ratios hold.
 * Wall and process-CPU milliseconds per call, best and median, by key. CPU time measures work only
 * when ORT's threads do not spin while idle (SessionOptions.spinning false).
 */
export async function timeInterleaved(calls: Readonly<Record<string, () => Promise<unknown>>>, rounds: number): Promise<Record<string, InterleavedTiming>> {
  const wall: Record<string, number[]> = Object.fromEntries(Object.keys(calls).map((k) => [k, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(calls).map((k) => [k, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const [key, call] of Object.entries(calls)) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await call();
      const t = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (round === 0) continue;
      wall[key]!.push(t);
      cpu[key]!.push((c.user + c.system) / 1000);
    }
  }
  const stats = (v: number[]): [number, number] => {
    v.sort((a, b) => a - b);
    return [v[0]!, v[Math.floor(v.length / 2)]!];
  };
  return Object.fromEntries(Object.keys(calls).map((k) => {
    const [best, median] = stats(wall[k]!);
    const [cpuBest, cpuMedian] = stats(cpu[k]!);
    return [k, { best, median, cpuBest, cpuMedian }];
  }));
}

/**
 * Peak resident memory of this process in MB. On Linux from /proc/self/status (VmHWM), which
 * starts afresh at exec: process.resourceUsage().maxRSS keeps the high-water mark of the parent
 * image a child was forked from (a benchmark parent holding a 330 MB checkpoint would otherwise
 * set every child's floor at 350 MB).
 */
export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match !== null) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
