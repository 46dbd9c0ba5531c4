import type { GraphBuilder } from "../graph-builder.js";
import type { GraphModel, NodeInfo, ValueId } from "../ir.js";
import { consumersOf } from "../traversal.js";
import type { Value } from "../value.js";

/**
 * A chain of forward nodes differentiated as one function of a single input. The per-node rules
 * would keep every intermediate of the chain alive for the backward pass and, by consuming them,
 * stop ONNX Runtime from fusing the forward chain into one kernel; a pattern's gradient reads
 * only the chain's input.
 */
export interface PatternMatch {
  /** The chain's nodes; the last one produces `output`. */
  readonly nodes: readonly number[];
  readonly input: ValueId;
  readonly output: ValueId;
  readonly gradient: (g: GraphBuilder, x: Value, dy: Value) => Value;
}

function scalarConstant(model: GraphModel, id: ValueId | null): number | undefined {
  if (id === null) return undefined;
  const v = model.values[id]!;
  if (v.kind !== "constant" || v.shape.length > 1 || v.knownValue?.length !== 1) return undefined;
  const k = v.knownValue[0];
  return typeof k === "number" ? k : undefined;
}

/** The other input of a binary node, when one input is `id`. */
function otherInput(node: NodeInfo, id: ValueId): ValueId | null | undefined {
  if (node.inputs[0] === id) return node.inputs[1];
  if (node.inputs[1] === id) return node.inputs[0];
  return undefined;
}

const near = (a: number | undefined, b: number): boolean => a !== undefined && Math.abs(a - b) <= 1e-6 * Math.abs(b);

/** dGELU/dx = Φ(x) + x·φ(x) = ½(1 + erf(x/√2)) + x·exp(−x²/2)/√(2π), from x alone. */
function geluGradient(g: GraphBuilder, x: Value, dy: Value): Value {
  const cdf = g.mul(g.add(g.erf(g.div(x, Math.SQRT2)), 1), 0.5);
  const xPdf = g.mul(g.exp(g.mul(g.mul(x, x), -0.5)), g.mul(x, 1 / Math.sqrt(2 * Math.PI)));
  return g.mul(dy, g.add(cdf, xPdf));
}

/**
 * Exact GELU as GraphBuilder.gelu writes it: y = (x·(erf(x/√2) + 1))·½, every intermediate used
 * by the chain only. Returns the matches keyed by the id of their last node.
 */
export function findFusedPatterns(model: GraphModel): Map<number, PatternMatch> {
  const consumers = consumersOf(model);
  const only = (id: ValueId): NodeInfo | undefined => {
    const list = consumers.get(id);
    return list?.length === 1 && !model.outputs.includes(id) ? list[0] : undefined;
  };
  const matches = new Map<number, PatternMatch>();
  for (const erf of model.nodes) {
    if (erf.opType !== "Erf" || erf.domain !== "") continue;
    const div = model.values[erf.inputs[0]!]!.producer;
    const scaled = div === undefined ? undefined : model.nodes[div]!;
    if (scaled === undefined || scaled.opType !== "Div" || only(scaled.outputs[0]!) !== erf) continue;
    if (!near(scalarConstant(model, scaled.inputs[1]!), Math.SQRT2)) continue;
    const x = scaled.inputs[0]!;
    const add = only(erf.outputs[0]!);
    if (add?.opType !== "Add" || !near(scalarConstant(model, otherInput(add, erf.outputs[0]!) ?? null), 1)) continue;
    const times = only(add.outputs[0]!);
    if (times?.opType !== "Mul" || otherInput(times, add.outputs[0]!) !== x) continue;
    const half = only(times.outputs[0]!);
    if (half?.opType !== "Mul" || !near(scalarConstant(model, otherInput(half, times.outputs[0]!) ?? null), 0.5)) continue;
    matches.set(half.id, { nodes: [scaled.id, erf.id, add.id, times.id, half.id], input: x, output: half.outputs[0]!, gradient: geluGradient });
  }
  return matches;
}
