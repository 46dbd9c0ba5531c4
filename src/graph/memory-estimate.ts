/**
 * How much memory a run of a graph needs for its intermediate tensors, estimated before it runs
 * from the IR's symbolic shapes bound to the actual input sizes.
 *
 * Nodes run in the IR's (topological) order; a value lives from the node that makes it to the
 * last node that reads it, and the estimate is the largest total of values alive at once —
 * what an allocation planner like ONNX Runtime's needs at least. Weights are not counted (the
 * session holds them already); op-internal buffers that dwarf their outputs are added where we
 * know them (fused attention materialises its [batch, heads, queries, keys] probabilities).
 * Measured against ONNX Runtime's peak RSS growth on long inputs, the estimate lands within
 * a factor of ~1.5 (test/graph/memory-estimate.test.ts); it exists to refuse runs that cannot
 * fit, not to budget to the byte.
 */
import { type Dim, type Shape, dimSymbols, evaluateDim, formatShape } from "./dim.js";
import { DTYPE_BYTES } from "./dtype.js";
import type { GraphModel } from "./ir.js";

interface LiveValue {
  readonly name: string;
  readonly shape: Shape;
  readonly bytesPerElement: number;
  /** Index of the node that makes it (-1 for graph inputs). */
  readonly born: number;
  /** Index of the last node that reads it (the node count for graph outputs). */
  readonly dies: number;
}

interface Workspace {
  readonly node: number;
  readonly name: string;
  readonly shape: Shape;
  readonly bytesPerElement: number;
}

export interface MemoryProfile {
  /** Graph inputs, by name, with their symbolic shapes (to bind sizes from the feeds). */
  readonly inputs: ReadonlyMap<string, Shape>;
  readonly values: readonly LiveValue[];
  readonly workspaces: readonly Workspace[];
  readonly nodeCount: number;
}

export interface MemoryEstimate {
  /** Bytes of intermediate tensors alive at the worst moment of the run. */
  readonly peakBytes: number;
  /** The largest single tensor of the run, for messages. */
  readonly largest: { readonly name: string; readonly dims: readonly number[]; readonly bytes: number };
}

/** Records what the estimate needs; small enough to keep beside a session. */
export function memoryProfile(model: GraphModel): MemoryProfile {
  const lastUse = new Map<number, number>();
  model.nodes.forEach((node, index) => {
    for (const id of node.inputs) if (id !== null) lastUse.set(id, index);
  });
  for (const id of model.outputs) lastUse.set(id, model.nodes.length);
  const values: LiveValue[] = [];
  const inputs = new Map<string, Shape>();
  for (const value of model.values) {
    if (value.kind !== "input" && value.kind !== "node") continue;
    if (value.kind === "input") inputs.set(value.name, value.shape);
    const born = value.kind === "input" ? -1 : value.producer!;
    values.push({ name: value.name, shape: value.shape, bytesPerElement: DTYPE_BYTES[value.dtype], born, dies: lastUse.get(value.id) ?? born });
  }
  const workspaces: Workspace[] = [];
  model.nodes.forEach((node, index) => {
    if (node.opType !== "MultiHeadAttention") return;
    const q = model.values[node.inputs[0]!]!;
    const k = model.values[node.inputs[1]!]!;
    const heads = node.attributes["num_heads"]?.value as number;
    workspaces.push({ node: index, name: `${node.name} attention probabilities`, shape: [q.shape[0]!, heads, q.shape[1]!, k.shape[1]!], bytesPerElement: DTYPE_BYTES[q.dtype] });
  });
  return { inputs, values, workspaces, nodeCount: model.nodes.length };
}

/** Binds the symbols of the inputs' shapes ("batch", "time") to the sizes actually fed. */
export function bindInputSizes(profile: MemoryProfile, dims: Readonly<Record<string, readonly number[]>>): Record<string, number> {
  const bindings: Record<string, number> = {};
  for (const [name, shape] of profile.inputs) {
    const given = dims[name];
    if (given === undefined) continue;
    shape.forEach((dim, axis) => {
      if (typeof dim === "string" && dimSymbols(dim).length === 1 && dimSymbols(dim)[0] === dim && given[axis] !== undefined) bindings[dim] = given[axis]!;
    });
  }
  return bindings;
}

function sizeOf(shape: Shape, bindings: Readonly<Record<string, number>>): number[] | undefined {
  const out: number[] = [];
  for (const dim of shape as readonly Dim[]) {
    const v = evaluateDim(dim, bindings);
    if (v === undefined) return undefined;
    out.push(Math.max(0, v));
  }
  return out;
}

/**
 * The estimate for one run with the given symbol sizes. Values whose size cannot be evaluated
 * (data-dependent shapes) count as empty: the estimate stays a lower bound.
 */
export function estimateRunMemory(profile: MemoryProfile, bindings: Readonly<Record<string, number>>): MemoryEstimate {
  // delta[i]: bytes that come alive at node i (index shifted by one for graph inputs at -1).
  const n = profile.nodeCount;
  const delta = new Float64Array(n + 3);
  let largest: MemoryEstimate["largest"] = { name: "", dims: [], bytes: 0 };
  const count = (name: string, shape: Shape, bytesPerElement: number, from: number, to: number): void => {
    const dims = sizeOf(shape, bindings);
    if (dims === undefined) return;
    const bytes = dims.reduce((a, b) => a * b, 1) * bytesPerElement;
    delta[from + 1]! += bytes;
    delta[to + 2]! -= bytes;
    if (bytes > largest.bytes) largest = { name, dims, bytes };
  };
  for (const v of profile.values) count(v.name, v.shape, v.bytesPerElement, v.born, v.dies);
  for (const w of profile.workspaces) count(w.name, w.shape, w.bytesPerElement, w.node, w.node);
  let live = 0;
  let peak = 0;
  for (const d of delta) {
    live += d;
    peak = Math.max(peak, live);
  }
  return { peakBytes: peak, largest };
}

/** "input_values [1, 9600000]" style description of feeds, for messages. */
export function describeSizes(dims: Readonly<Record<string, readonly number[]>>): string {
  return Object.entries(dims)
    .map(([name, d]) => `${name} ${formatShape(d)}`)
    .join(", ");
}
