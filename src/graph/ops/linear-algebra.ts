import { type Dim, dimsEqual, formatShape } from "../dim.js";
import { type InferenceContext, registerOp } from "../op-schema.js";
import { broadcastShapes, broadcastsTo } from "../shape.js";

/** Two dims that must agree: equal, or at least one symbolic (checked at run time). */
function compatible(a: Dim, b: Dim): boolean {
  return dimsEqual(a, b) || typeof a === "string" || typeof b === "string";
}

// numpy matmul semantics: 1-D operands get a dim prepended (A) or appended (B), removed again in
// the output; leading (batch) dims broadcast.
registerOp({
  opType: "MatMul",
  domain: "",
  inputs: [2, 2],
  infer(ctx: InferenceContext) {
    ctx.requireDType(0, "numeric");
    const dtype = ctx.sameDType([0, 1]);
    const a = ctx.input(0).shape;
    const b = ctx.input(1).shape;
    if (a.length === 0 || b.length === 0) {
      ctx.shapeError("MatMul does not accept scalars", "Use Mul for scalar scaling, or unsqueeze the operand to rank ≥ 1.");
    }
    const a2 = a.length === 1 ? [1, a[0]!] : a;
    const b2 = b.length === 1 ? [b[0]!, 1] : b;
    const k1 = a2[a2.length - 1]!;
    const k2 = b2[b2.length - 2]!;
    if (!compatible(k1, k2)) {
      ctx.shapeError(
        `inner dimensions differ: A ${formatShape(a)} × B ${formatShape(b)} (${k1} vs ${k2})`,
        "The last dim of A must equal the second-to-last dim of B; transpose B or fix the weight's layout (PyTorch stores Linear weights as [out, in]).",
      );
    }
    const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)], ctx.location.nodeName);
    if ("conflictAxisFromEnd" in batch) {
      ctx.shapeError(
        `batch dimensions do not broadcast: ${formatShape(a2.slice(0, -2))} vs ${formatShape(b2.slice(0, -2))}`,
        "Leading (batch) dims must be equal or 1.",
      );
    }
    const shape: Dim[] = [...batch.shape];
    if (a.length > 1) shape.push(a2[a2.length - 2]!);
    if (b.length > 1) shape.push(b2[b2.length - 1]!);
    return [{ dtype, shape }];
  },
});

registerOp({
  opType: "Gemm",
  domain: "",
  inputs: [2, 3],
  attributes: { alpha: "float", beta: "float", transA: "int", transB: "int" },
  infer(ctx: InferenceContext) {
    ctx.requireDType(0, "numeric");
    const dtype = ctx.sameDType([0, 1, 2]);
    const a = ctx.input(0).shape;
    const b = ctx.input(1).shape;
    if (a.length !== 2 || b.length !== 2) {
      ctx.shapeError(`Gemm needs 2-D A and B, got ranks ${a.length} and ${b.length}`, "Reshape to 2-D first, or use MatMul for batched inputs.");
    }
    const [m, ka] = ctx.int("transA", 0) ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
    const [kb, n] = ctx.int("transB", 0) ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
    if (!compatible(ka, kb)) {
      ctx.shapeError(
        `inner dimensions differ: op(A) is [${m}, ${ka}] and op(B) is [${kb}, ${n}]`,
        "Check transA/transB: a PyTorch Linear weight [out, in] needs transB=1.",
      );
    }
    const c = ctx.optionalInput(2);
    if (c !== undefined && !broadcastsTo(c.shape, [m, n])) {
      ctx.shapeError(`C ${formatShape(c.shape)} does not broadcast to [${m}, ${n}]`, "C must be unidirectionally broadcastable to [M, N], e.g. a bias of shape [N].");
    }
    return [{ dtype, shape: [m, n] }];
  },
});

registerOp({
  opType: "Softmax",
  domain: "",
  inputs: [1, 1],
  attributes: { axis: "int" },
  infer(ctx: InferenceContext) {
    const x = ctx.input(0);
    ctx.requireDType(0, "float");
    ctx.axis(ctx.int("axis", -1), x.shape.length);
    return [{ dtype: x.dtype, shape: x.shape }];
  },
});

registerOp({
  opType: "LayerNormalization",
  domain: "",
  inputs: [2, 3],
  outputs: "any",
  attributes: { axis: "int", epsilon: "float", stash_type: "int" },
  infer(ctx: InferenceContext) {
    const x = ctx.input(0);
    ctx.requireDType(0, "float");
    ctx.sameDType([0, 1, 2]);
    const axis = ctx.axis(ctx.int("axis", -1), x.shape.length);
    const normalized = x.shape.slice(axis);
    for (const [i, name] of [[1, "scale"], [2, "bias"]] as const) {
      const p = ctx.optionalInput(i);
      if (p !== undefined && !broadcastsTo(p.shape, normalized)) {
        ctx.shapeError(
          `${name} ${formatShape(p.shape)} does not match the normalised dims ${formatShape(normalized)}`,
          `With axis=${ctx.int("axis", -1)} the ${name} must have shape ${formatShape(normalized)}.`,
        );
      }
    }
    if (ctx.numOutputs > 3) ctx.shapeError("LayerNormalization has at most 3 outputs", "Ask for Y, Mean and InvStdDev at most.");
    const statShape = x.shape.map((d, i) => (i < axis ? d : 1));
    const stats = { dtype: "float32" as const, shape: statShape };
    return [{ dtype: x.dtype, shape: x.shape }, stats, stats].slice(0, ctx.numOutputs);
  },
});

registerOp({
  opType: "InstanceNormalization",
  domain: "",
  inputs: [3, 3],
  attributes: { epsilon: "float" },
  infer(ctx: InferenceContext) {
    const x = ctx.input(0);
    ctx.requireDType(0, "float");
    ctx.sameDType([0, 1, 2]);
    if (x.shape.length < 3) {
      ctx.shapeError(`input must be [N, C, D1, ...], got rank ${x.shape.length}`, "Add a spatial axis (unsqueeze) so the input is at least 3-D.");
    }
    const channels = x.shape[1]!;
    for (const [i, name] of [[1, "scale"], [2, "B"]] as const) {
      const p = ctx.input(i).shape;
      if (p.length !== 1 || !compatible(p[0]!, channels)) {
        ctx.shapeError(`${name} ${formatShape(p)} must be [C] = [${channels}]`, "Pass one value per channel.");
      }
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  },
});
