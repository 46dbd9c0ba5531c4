// Vector-Jacobian rules of layout ops: they move elements, so the gradient moves back. Shapes
// come from Shape nodes when symbolic, which keeps the gradients' inferred shapes exact.
import type { Value } from "../../value.js";
import { dimOf, inversePermutation, shapeOf, shapeVector, unbroadcast, zerosLike } from "../gradient-shapes.js";
import { type VjpContext, registerVjp } from "../vjp-rule.js";

/** dx = dy reshaped to x's shape: Reshape, Flatten, Squeeze and Unsqueeze only relabel axes. */
function reshapeBack(ctx: VjpContext, dy: Value): Value {
  return ctx.g.reshape(dy, shapeOf(ctx.g, ctx.input(0)));
}

for (const opType of ["Reshape", "Flatten", "Squeeze", "Unsqueeze"]) {
  registerVjp(opType, { differentiable: [0], vjp: (ctx: VjpContext, [dy]) => [reshapeBack(ctx, dy!)] });
}

registerVjp("Transpose", {
  differentiable: [0],
  vjp: (ctx: VjpContext, [dy]) => {
    const rank = ctx.input(0).rank;
    const perm = ctx.ints("perm") ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    return [ctx.g.transpose(dy!, inversePermutation(perm))];
  },
});

// Expand broadcasts, so its gradient sums over the broadcast axes.
registerVjp("Expand", {
  differentiable: [0],
  vjp: (ctx: VjpContext, [dy]) => [unbroadcast(ctx.g, dy!, ctx.input(0))],
});

// Tile: view dy [r0·d0, r1·d1, …] as [r0, d0, r1, d1, …] and sum over the repeat axes.
registerVjp("Tile", {
  differentiable: [0],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const x = ctx.input(0);
    const repeats = ctx.knownInts(1);
    if (repeats === undefined) ctx.fail("the repeats are not known when building the graph", "Pass repeats as constants.");
    if (repeats.every((r) => r === 1)) return [dy!];
    const parts: (number | Value)[] = [];
    const sumAxes: number[] = [];
    repeats.forEach((r, i) => {
      if (r !== 1) {
        sumAxes.push(parts.length);
        parts.push(r);
      }
      parts.push(dimOf(g, x, i));
    });
    const split = g.reshape(dy!, shapeVector(g, parts));
    return [g.reshape(g.reduceSum(split, sumAxes, { keepDims: false }), shapeOf(g, x))];
  },
});

// Concat: Split dy back into the inputs' sizes along the axis (symbolic sizes allowed).
registerVjp("Concat", {
  differentiable: "all",
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const n = ctx.inputCount;
    const rank = ctx.input(0).rank;
    const axisAttr = ctx.int("axis", 0);
    const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
    if (n === 1) return [dy!];
    const inputs = Array.from({ length: n }, (_, i) => ctx.input(i));
    const sizes = inputs.map((x) => x.shape[axis]!);
    const parts = sizes.every((d): d is number => typeof d === "number")
      ? g.split(dy!, sizes, axis)
      : g.op("Split", [dy!, g.concat(inputs.map((x) => dimOf(g, x, axis)), 0)], { axis: ctx.node.attributes.axis }, { outputs: n });
    return parts.map((p, i) => (ctx.needs(i) ? p : undefined));
  },
});

// Split: concatenate the outputs' gradients, zeros for outputs no gradient reached.
registerVjp("Split", {
  differentiable: [0],
  vjp: (ctx: VjpContext, dOutputs) => {
    const { g } = ctx;
    const axis = ctx.int("axis", 0);
    const parts = dOutputs.map((d, i) => d ?? zerosLike(g, ctx.output(i)));
    return [parts.length === 1 ? parts[0]! : g.concat(parts, axis)];
  },
});

// Pure functions of shapes, or constants: no gradient.
for (const opType of ["Shape", "ConstantOfShape", "Range"]) registerVjp(opType, { differentiable: [], kind: "none" });
