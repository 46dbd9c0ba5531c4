import { tensorByteLength } from "./dtype.js";
import { GraphError } from "./errors.js";
import type { GraphModel, NodeInfo, ValueId, ValueInfo } from "./ir.js";

/** Nodes reading each value, in graph order (the autodiff pass walks these backwards). */
export function consumersOf(model: GraphModel): Map<ValueId, NodeInfo[]> {
  const out = new Map<ValueId, NodeInfo[]>();
  for (const node of model.nodes) {
    for (const id of node.inputs) {
      if (id === null) continue;
      const list = out.get(id);
      if (list === undefined) out.set(id, [node]);
      else if (list[list.length - 1] !== node) list.push(node);
    }
  }
  return out;
}

export function findValue(model: GraphModel, name: string): ValueInfo | undefined {
  return model.values.find((v) => v.name === name);
}

/** Parameters (named weights) in graph order. */
export function parametersOf(model: GraphModel): ValueInfo[] {
  return model.values.filter((v) => v.kind === "parameter");
}

export function initializerBytes(model: GraphModel): number {
  let total = 0;
  for (const t of model.initializers.values()) total += tensorByteLength(t);
  return total;
}

/** Node counts per op type, e.g. { MatMul: 72, Add: 100 } — handy in tests and reports. */
export function opCounts(model: GraphModel): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of model.nodes) {
    const key = n.domain ? `${n.domain}.${n.opType}` : n.opType;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * Checks the IR invariants: dense ids, topological order, unique names, producers consistent,
 * initializers exactly for parameters and constants. Throws GraphError naming the first breach.
 */
export function validateModel(model: GraphModel): void {
  const names = new Set<string>();
  model.values.forEach((v, i) => {
    if (v.id !== i) throw new GraphError(`value "${v.name}" has id ${v.id} at position ${i}`);
    if (names.has(v.name)) throw new GraphError(`value name "${v.name}" is used twice`);
    names.add(v.name);
    const hasData = model.initializers.has(v.id);
    if ((v.kind === "parameter" || v.kind === "constant") !== hasData) {
      throw new GraphError(`value "${v.name}" of kind ${v.kind} ${hasData ? "has" : "lacks"} initializer data`);
    }
  });
  const available = new Set<ValueId>(model.values.filter((v) => v.kind !== "node").map((v) => v.id));
  model.nodes.forEach((node, i) => {
    if (node.id !== i) throw new GraphError(`node "${node.name}" has id ${node.id} at position ${i}`);
    for (const id of node.inputs) {
      if (id !== null && !available.has(id)) {
        throw new GraphError(`node "${node.name}" reads "${model.values[id]?.name ?? `#${id}`}" before it is produced`);
      }
    }
    for (const id of node.outputs) {
      if (model.values[id]?.producer !== i) throw new GraphError(`value #${id} does not name node "${node.name}" as its producer`);
      available.add(id);
    }
  });
  for (const id of model.outputs) if (!available.has(id)) throw new GraphError(`output #${id} is never produced`);
}
