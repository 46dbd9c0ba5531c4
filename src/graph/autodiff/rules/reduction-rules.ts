// Vector-Jacobian rules of reductions: dy is broadcast back over the reduced axes (restored as
// size-1 axes first when keepdims=0) and scaled by the derivative of the reduction.
import type { Value } from "../../value.js";
import { countOver, shapeOf } from "../gradient-shapes.js";
import { type VjpContext, registerVjp } from "../vjp-rule.js";

interface Reduced {
  /** Reduced axes, normalised, ascending. */
  axes: number[];
  /** dy with the reduced axes as size-1 axes. */
  dy: Value;
  /** The forward output with the reduced axes as size-1 axes. */
  y: Value;
}

/** Reduced axes of a node; undefined when the reduction is a no-op (empty axes, noop flag). */
function reducedAxes(ctx: VjpContext, x: Value): number[] | undefined {
  let axes: readonly number[] | undefined;
  if (ctx.node.opType === "ReduceSum") {
    if (ctx.optionalInput(1) !== undefined) {
      axes = ctx.knownInts(1);
      if (axes === undefined) ctx.fail("the axes are not known when building the graph", "Reduce over constant axes.");
      if (axes.length === 0 && ctx.int("noop_with_empty_axes", 0) === 1) return undefined;
      if (axes.length === 0) axes = undefined;
    }
  } else axes = ctx.ints("axes");
  const all = Array.from({ length: x.rank }, (_, i) => i);
  return (axes ?? all).map((a) => (a < 0 ? a + x.rank : a)).sort((a, b) => a - b);
}

function reduced(ctx: VjpContext, dy: Value): Reduced | undefined {
  const x = ctx.input(0);
  const axes = reducedAxes(ctx, x);
  if (axes === undefined) return undefined;
  const keep = ctx.int("keepdims", 1) === 1;
  const restore = (v: Value): Value => (keep || axes.length === 0 ? v : ctx.g.unsqueeze(v, axes));
  return { axes, dy: restore(dy), y: restore(ctx.output()) };
}

/** A rule from (x, reduced dy and y) to dx; a no-op reduction passes dy through. */
function reduction(opType: string, rule: (ctx: VjpContext, x: Value, r: Reduced) => Value): void {
  registerVjp(opType, {
    differentiable: [0],
    vjp: (ctx: VjpContext, [dy]) => {
      const r = reduced(ctx, dy!);
      return [r === undefined ? dy! : rule(ctx, ctx.input(0), r)];
    },
  });
}

reduction("ReduceSum", (ctx, x, r) => ctx.g.expand(r.dy, shapeOf(ctx.g, x)));

reduction("ReduceMean", (ctx, x, r) => ctx.g.expand(ctx.g.div(r.dy, countOver(ctx.g, x, r.axes)), shapeOf(ctx.g, x)));

// Max/Min: the extreme elements take the gradient, split evenly between ties (torch.amax).
for (const opType of ["ReduceMax", "ReduceMin"]) {
  reduction(opType, (ctx, x, r) => {
    const { g } = ctx;
    const hit = g.cast(g.equal(x, r.y), x.dtype);
    return g.mul(hit, g.div(r.dy, g.reduceSum(hit, r.axes, { keepDims: true })));
  });
}

reduction("ReduceSumSquare", (ctx, x, r) => ctx.g.mul(ctx.g.mul(x, 2), r.dy));

// ‖x‖: x/‖x‖, and 0 where the norm is 0 (as torch.linalg.norm's subgradient)
reduction("ReduceL2", (ctx, x, r) => {
  const { g } = ctx;
  const zero = g.equal(r.y, 0);
  return g.mul(g.div(x, g.where(zero, 1, r.y)), g.where(zero, 0, r.dy));
});

// log Σ exp x: softmax of x over the axes
reduction("ReduceLogSumExp", (ctx, x, r) => ctx.g.mul(ctx.g.exp(ctx.g.sub(x, r.y)), r.dy));

// The adjoint of a running sum is the running sum in the other direction.
registerVjp("CumSum", {
  differentiable: [0],
  vjp: (ctx: VjpContext, [dy]) => {
    const axis = ctx.knownInts(1);
    if (axis === undefined) ctx.fail("the axis is not known when building the graph", "Pass the axis as a constant.");
    return [ctx.g.cumSum(dy!, axis[0]!, { exclusive: ctx.int("exclusive", 0) === 1, reverse: ctx.int("reverse", 0) !== 1 })];
  },
});

for (const opType of ["ArgMax", "ArgMin"]) registerVjp(opType, { differentiable: [], kind: "none" });
