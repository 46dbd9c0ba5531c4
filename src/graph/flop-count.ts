/**
 * Floating-point operations of a graph's matrix products (MatMul, Gemm, FusedMatMul, Conv,
 * MultiHeadAttention; int8 DynamicQuantizeMatMul and MatMulInteger count alike), from the IR's
 * inferred shapes with symbolic dims bound to sizes. These dominate transformer and conv models;
 * benchmarks divide them by run time and compare with the machine's measured MatMul peak.
 */
import { evaluateDim, formatShape, type Shape } from "./dim.js";
import { GraphError } from "./errors.js";
import type { GraphModel, NodeInfo } from "./ir.js";

export interface FlopCount {
  /** Multiply-adds × 2, summed over all counted nodes. */
  total: number;
  byOp: Record<string, number>;
}

function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

export function countMatmulFlops(model: GraphModel, bindings: Readonly<Record<string, number>>): FlopCount {
  const dims = (id: number | null | undefined, node: NodeInfo): number[] => {
    if (id === null || id === undefined) return [];
    const shape: Shape = model.values[id]!.shape;
    return shape.map((d) => {
      const v = evaluateDim(d, bindings);
      if (v === undefined) {
        throw new GraphError(`countMatmulFlops: ${node.name} has an operand of shape ${formatShape(shape)}; bind its symbols (got ${JSON.stringify(bindings)})`);
      }
      return v;
    });
  };
  const byOp: Record<string, number> = {};
  let total = 0;
  for (const node of model.nodes) {
    let flops = 0;
    const out = dims(node.outputs[0], node);
    switch (node.opType) {
      case "MatMul":
      case "FusedMatMul":
      case "DynamicQuantizeMatMul":
      case "MatMulInteger": {
        // out = [..., M, N]; the contracted size is the last dim of A (or its first when transposed)
        const a = dims(node.inputs[0], node);
        const transA = node.attributes["transA"]?.value === 1;
        const k = a.length === 1 ? a[0]! : transA ? a[a.length - 2]! : a[a.length - 1]!;
        flops = 2 * product(out) * k;
        break;
      }
      case "Gemm": {
        const a = dims(node.inputs[0], node);
        const transA = node.attributes["transA"]?.value === 1;
        flops = 2 * product(out) * (transA ? a[0]! : a[1]!);
        break;
      }
      case "Conv": {
        const w = dims(node.inputs[1], node); // [Cout, Cin/group, k...]
        flops = 2 * product(out) * product(w.slice(1));
        break;
      }
      case "MultiHeadAttention": {
        const q = dims(node.inputs[0], node); // [B, S, D]
        const k = dims(node.inputs[1], node); // [B, T, D]
        flops = 2 * 2 * q[0]! * q[1]! * k[1]! * q[2]!;
        break;
      }
      default:
        continue;
    }
    byOp[node.opType] = (byOp[node.opType] ?? 0) + flops;
    total += flops;
  }
  return { total, byOp };
}
