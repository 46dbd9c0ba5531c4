import type { Dim } from "../dim.js";
import { type InferenceContext, type OutputDesc, registerOp } from "../op-schema.js";

function reduceShape(ctx: InferenceContext, axes: readonly number[] | undefined, keepDims: boolean): Dim[] {
  const shape = ctx.input(0).shape;
  const rank = shape.length;
  const normalized = new Set((axes ?? shape.map((_, i) => i)).map((a) => ctx.axis(a, rank, "reduction axis")));
  if (axes !== undefined && normalized.size !== axes.length) {
    ctx.shapeError(`reduction axes [${axes.join(", ")}] repeat an axis`, "List each axis once.");
  }
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!normalized.has(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

// Opset 17: these reductions take axes as an attribute.
for (const opType of ["ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2", "ReduceSumSquare", "ReduceLogSumExp"]) {
  registerOp({
    opType,
    domain: "",
    inputs: [1, 1],
    attributes: { axes: "ints", keepdims: "int" },
    infer(ctx: InferenceContext): OutputDesc[] {
      ctx.requireDType(0, "numeric");
      const x = ctx.input(0);
      return [{ dtype: x.dtype, shape: reduceShape(ctx, ctx.ints("axes"), ctx.int("keepdims", 1) === 1) }];
    },
  });
}

// ReduceSum has taken axes as an input since opset 13.
registerOp({
  opType: "ReduceSum",
  domain: "",
  inputs: [1, 2],
  attributes: { keepdims: "int", noop_with_empty_axes: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    ctx.requireDType(0, "numeric");
    const x = ctx.input(0);
    const axesInput = ctx.optionalInput(1);
    if (axesInput !== undefined) {
      ctx.requireDType(1, "int64");
      const axes = ctx.knownInts(1);
      if (axes === undefined) {
        const keep = ctx.int("keepdims", 1) === 1;
        if (keep) return [{ dtype: x.dtype, shape: x.shape.map((_, i) => ctx.unknown(`d${i}`)) }];
        ctx.shapeError("reduction axes must be known when building the graph", "Pass the axes as constants.");
      }
      if (axes.length === 0 && ctx.int("noop_with_empty_axes", 0) === 1) return [{ dtype: x.dtype, shape: x.shape }];
      return [{ dtype: x.dtype, shape: reduceShape(ctx, axes.length === 0 ? undefined : axes, ctx.int("keepdims", 1) === 1) }];
    }
    return [{ dtype: x.dtype, shape: reduceShape(ctx, undefined, ctx.int("keepdims", 1) === 1) }];
  },
});

for (const opType of ["ArgMax", "ArgMin"]) {
  registerOp({
    opType,
    domain: "",
    inputs: [1, 1],
    attributes: { axis: "int", keepdims: "int", select_last_index: "int" },
    infer(ctx: InferenceContext): OutputDesc[] {
      ctx.requireDType(0, "numeric");
      return [{ dtype: "int64", shape: reduceShape(ctx, [ctx.int("axis", 0)], ctx.int("keepdims", 1) === 1) }];
    },
  });
}

registerOp({
  opType: "CumSum",
  domain: "",
  inputs: [2, 2],
  attributes: { exclusive: "int", reverse: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    ctx.requireDType(0, "numeric");
    ctx.requireDType(1, "index");
    const x = ctx.input(0);
    const axisInput = ctx.input(1);
    if (axisInput.shape.length > 1 || (axisInput.shape.length === 1 && axisInput.shape[0] !== 1)) {
      ctx.shapeError("the axis input must be a scalar", "Pass the axis as a number.");
    }
    const axis = ctx.knownInts(1);
    if (axis !== undefined) ctx.axis(axis[0]!, x.shape.length);
    return [{ dtype: x.dtype, shape: x.shape }];
  },
});
