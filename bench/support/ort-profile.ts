/** ORT profiler output (Chrome trace JSON) summed per op type: where a model's run time goes. */
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export interface OpShare {
  readonly op: string;
  /** Milliseconds per run, summed over the op's nodes. */
  readonly ms: number;
  readonly nodes: number;
  readonly share: number;
}

interface TraceEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly dur?: number;
  readonly args?: { readonly op_name?: string };
}

/** The profile ORT wrote for `prefix` (the newest `<prefix>_*.json`), read and then deleted. */
export function takeProfile(prefix: string): TraceEvent[] {
  const folder = dirname(prefix);
  const files = readdirSync(folder).filter((f) => f.startsWith(`${basename(prefix)}_`) && f.endsWith(".json")).sort();
  if (files.length === 0) throw new Error(`no ORT profile ${prefix}_*.json was written`);
  const path = join(folder, files[files.length - 1]!);
  const events = JSON.parse(readFileSync(path, "utf8")) as TraceEvent[];
  for (const f of files) rmSync(join(folder, f));
  return events;
}

/** Kernel time per op type, per run (the profile covers `runs` runs), largest first. */
export function opShares(events: readonly TraceEvent[], runs: number): OpShare[] {
  const ms = new Map<string, number>();
  const nodes = new Map<string, Set<string>>();
  for (const e of events) {
    if (e.cat !== "Node" || !e.name?.endsWith("_kernel_time") || e.args?.op_name === undefined) continue;
    const op = e.args.op_name;
    ms.set(op, (ms.get(op) ?? 0) + (e.dur ?? 0) / 1000 / runs);
    if (!nodes.has(op)) nodes.set(op, new Set());
    nodes.get(op)!.add(e.name);
  }
  const total = [...ms.values()].reduce((a, b) => a + b, 0);
  return [...ms].map(([op, t]) => ({ op, ms: t, nodes: nodes.get(op)!.size, share: t / total })).sort((a, b) => b.ms - a.ms);
}

export function formatShares(shares: readonly OpShare[], limit = 12): string {
  const total = shares.reduce((a, s) => a + s.ms, 0);
  const lines = shares.slice(0, limit).map((s) => `    ${s.op.padEnd(28)} ${s.ms.toFixed(1).padStart(8)} ms  ${(100 * s.share).toFixed(1).padStart(5)} %  (${s.nodes} nodes)`);
  return [...lines, `    ${"total kernel time".padEnd(28)} ${total.toFixed(1).padStart(8)} ms`].join("\n");
}
