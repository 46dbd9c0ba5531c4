// Integer (int8/uint8) matrix products as ONNX Runtime's CPU kernels run them: the ONNX
// DynamicQuantizeLinear + MatMulInteger pair and the com.microsoft fused forms. Only what the
// weight quantization pass (runtime/quantize-graph.ts) emits is accepted.
import { type Dim, dimsEqual, formatShape } from "../dim.js";
import { MICROSOFT_DOMAIN } from "../ir.js";
import { type InferenceContext, registerOp } from "../op-schema.js";
import { broadcastShapes } from "../shape.js";

function compatible(a: Dim, b: Dim): boolean {
  return dimsEqual(a, b) || typeof a === "string" || typeof b === "string";
}

/** [..., M, K] × [K, N] → [..., M, N] for a 2-D (weight) B; the batch dims are A's. */
function productWithMatrix(ctx: InferenceContext, what: string): Dim[] {
  const a = ctx.input(0).shape;
  const b = ctx.input(1).shape;
  if (a.length < 2 || b.length !== 2) ctx.shapeError(`${what} needs A of rank ≥ 2 and a 2-D B, got ranks ${a.length} and ${b.length}`, "Quantize only 2-D weight matrices.");
  if (!compatible(a[a.length - 1]!, b[0]!)) {
    ctx.shapeError(`inner dimensions differ: A ${formatShape(a)} × B ${formatShape(b)}`, "B must be [K, N] (the transposed PyTorch weight).");
  }
  return [...a.slice(0, -1), b[1]!];
}

/** A scale or zero point: a scalar, or one value per column of B ([N]). */
function checkPerColumn(ctx: InferenceContext, index: number, columns: Dim, name: string): void {
  const p = ctx.optionalInput(index);
  if (p === undefined) return;
  const s = p.shape;
  const ok = s.length === 0 || (s.length === 1 && (s[0] === 1 || compatible(s[0]!, columns)));
  if (!ok) ctx.shapeError(`${name} ${formatShape(s)} must be a scalar or [${columns}]`, "Use one value per output column.");
}

// Y = A · dequantize(B) + bias, with A quantized to uint8 on the fly (per tensor).
registerOp({
  opType: "DynamicQuantizeMatMul",
  domain: MICROSOFT_DOMAIN,
  inputs: [3, 5],
  infer(ctx: InferenceContext) {
    if (ctx.input(0).dtype !== "float32") ctx.dtypeError(`A has type ${ctx.input(0).dtype}`, "A must be float32.");
    const bType = ctx.input(1).dtype;
    if (bType !== "int8" && bType !== "uint8") ctx.dtypeError(`B has type ${bType}`, "B must be int8 or uint8.");
    if (ctx.input(2).dtype !== "float32") ctx.dtypeError(`b_scale has type ${ctx.input(2).dtype}`, "b_scale must be float32.");
    const zero = ctx.optionalInput(3);
    if (zero !== undefined && zero.dtype !== bType) ctx.dtypeError(`b_zero_point has type ${zero.dtype}, B ${bType}`, "Give the zero point B's type.");
    const shape = productWithMatrix(ctx, "DynamicQuantizeMatMul");
    const columns = shape[shape.length - 1]!;
    checkPerColumn(ctx, 2, columns, "b_scale");
    checkPerColumn(ctx, 3, columns, "b_zero_point");
    const bias = ctx.optionalInput(4);
    if (bias !== undefined && (bias.dtype !== "float32" || bias.shape.length !== 1 || !compatible(bias.shape[0]!, columns))) {
      ctx.shapeError(`bias ${bias.dtype}${formatShape(bias.shape)} must be float32 [${columns}]`, "Pass the Linear's bias, one value per output.");
    }
    return [{ dtype: "float32", shape }];
  },
});

// x → (uint8 x, float32 scale, uint8 zero point), per tensor.
registerOp({
  opType: "DynamicQuantizeLinear",
  domain: "",
  inputs: [1, 1],
  outputs: 3,
  infer(ctx: InferenceContext) {
    if (ctx.input(0).dtype !== "float32") ctx.dtypeError(`x has type ${ctx.input(0).dtype}`, "DynamicQuantizeLinear takes float32.");
    return [
      { dtype: "uint8", shape: ctx.input(0).shape },
      { dtype: "float32", shape: [] },
      { dtype: "uint8", shape: [] },
    ];
  },
});

// int32 (A − a_zero_point) · (B − b_zero_point), numpy matmul broadcasting.
registerOp({
  opType: "MatMulInteger",
  domain: "",
  inputs: [2, 4],
  infer(ctx: InferenceContext) {
    for (const i of [0, 1]) {
      const t = ctx.input(i).dtype;
      if (t !== "int8" && t !== "uint8") ctx.dtypeError(`input #${i} has type ${t}`, "MatMulInteger takes int8 or uint8.");
    }
    const a = ctx.input(0).shape;
    const b = ctx.input(1).shape;
    if (a.length < 2 || b.length < 2) ctx.shapeError("MatMulInteger needs operands of rank ≥ 2", "Reshape vectors to matrices.");
    if (!compatible(a[a.length - 1]!, b[b.length - 2]!)) ctx.shapeError(`inner dimensions differ: A ${formatShape(a)} × B ${formatShape(b)}`, "B must be [K, N].");
    const batch = broadcastShapes([a.slice(0, -2), b.slice(0, -2)], ctx.location.nodeName);
    if ("conflictAxisFromEnd" in batch) ctx.shapeError("batch dimensions do not broadcast", "Leading dims must be equal or 1.");
    checkPerColumn(ctx, 3, b[b.length - 1]!, "b_zero_point");
    return [{ dtype: "int32", shape: [...batch.shape, a[a.length - 2]!, b[b.length - 1]!] }];
  },
});
