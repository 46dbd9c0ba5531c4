import { describeAttribute } from "./attributes.js";
import { formatShape } from "./dim.js";
import type { GraphModel, ValueId } from "./ir.js";

/**
 * A readable listing of a graph, one node per line with its inputs' and outputs' inferred types:
 *
 *     %dense/Gemm_0:out float32[batch, 2] = Gemm(%x float32[batch, 3], %dense.weight float32[2, 3], …) {transB: 1}
 *
 * For debugging model code; `maxNodes` truncates long graphs.
 */
export function formatModel(model: GraphModel, options: { maxNodes?: number } = {}): string {
  const v = (id: ValueId | null): string => {
    if (id === null) return "∅";
    const info = model.values[id]!;
    return `%${info.name} ${info.dtype}${formatShape(info.shape)}`;
  };
  const lines = [`graph "${model.name}" (${model.nodes.length} nodes, ${model.initializers.size} initializers)`];
  lines.push(`  inputs:  ${model.inputs.map(v).join(", ") || "none"}`);
  const limit = options.maxNodes ?? Infinity;
  for (const node of model.nodes.slice(0, limit)) {
    const attrs = Object.entries(node.attributes).map(([k, a]) => `${k}: ${describeAttribute(a)}`);
    const op = node.domain ? `${node.domain}.${node.opType}` : node.opType;
    lines.push(`  ${node.outputs.map(v).join(", ")} = ${op}(${node.inputs.map(v).join(", ")})${attrs.length ? ` {${attrs.join(", ")}}` : ""}`);
  }
  if (model.nodes.length > limit) lines.push(`  … ${model.nodes.length - limit} more nodes`);
  lines.push(`  outputs: ${model.outputs.map(v).join(", ")}`);
  return lines.join("\n");
}
