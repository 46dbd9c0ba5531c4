// Scatter ops (opset 16 forms with `reduction`): what the autodiff pass emits for the gradient of
// Gather and of index-mapped ops, where repeated indices must accumulate (reduction "add").
import { formatShape } from "../dim.js";
import { type InferenceContext, type OutputDesc, registerOp } from "../op-schema.js";

const REDUCTIONS = ["none", "add", "mul", "max", "min"];

function checkReduction(ctx: InferenceContext): void {
  const reduction = ctx.string("reduction", "none");
  if (!REDUCTIONS.includes(reduction)) ctx.shapeError(`unknown reduction "${reduction}"`, `Use one of ${REDUCTIONS.join(", ")}.`);
}

// ScatterND: indices [..., k] address the first k axes of data; updates are
// indices.shape[:-1] + data.shape[k:].
registerOp({
  opType: "ScatterND",
  domain: "",
  inputs: [3, 3],
  attributes: { reduction: "string" },
  infer(ctx: InferenceContext): OutputDesc[] {
    checkReduction(ctx);
    const data = ctx.input(0);
    const dtype = ctx.sameDType([0, 2]);
    ctx.requireDType(1, "int64");
    const indices = ctx.input(1).shape;
    const updates = ctx.input(2).shape;
    const k = indices[indices.length - 1];
    if (indices.length === 0 || typeof k !== "number" || k > data.shape.length) {
      ctx.shapeError(`indices ${formatShape(indices)} must end in a static axis of size ≤ rank ${data.shape.length}`, "Index the leading axes of data, e.g. indices [..., 1].");
    }
    const expectedRank = indices.length - 1 + data.shape.length - k;
    if (updates.length !== expectedRank) {
      ctx.shapeError(`updates ${formatShape(updates)} must have rank ${expectedRank}`, "updates = indices.shape[:-1] + data.shape[k:].");
    }
    return [{ dtype, shape: data.shape }];
  },
});

// ScatterElements: indices and updates share one shape; each element goes to data at its own
// coordinates with the `axis` coordinate replaced by the index.
registerOp({
  opType: "ScatterElements",
  domain: "",
  inputs: [3, 3],
  attributes: { axis: "int", reduction: "string" },
  infer(ctx: InferenceContext): OutputDesc[] {
    checkReduction(ctx);
    const data = ctx.input(0);
    const dtype = ctx.sameDType([0, 2]);
    ctx.requireDType(1, "index");
    const rank = data.shape.length;
    ctx.axis(ctx.int("axis", 0), rank);
    const indices = ctx.input(1).shape;
    const updates = ctx.input(2).shape;
    if (indices.length !== rank || updates.length !== rank) {
      ctx.shapeError(`indices ${formatShape(indices)} and updates ${formatShape(updates)} must both have the data's rank ${rank}`, "Reshape indices and updates to data's rank.");
    }
    return [{ dtype, shape: data.shape }];
  },
});
