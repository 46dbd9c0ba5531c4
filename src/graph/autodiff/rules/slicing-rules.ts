// Vector-Jacobian rules of Slice, Gather and Pad. Slice and constant Pad move a block, so the
// gradient is the block moved back (Pad / Slice, or a Concat with zeros where sizes are
// symbolic). Strided slices and reflect/edge padding map input positions to output positions
// many-to-one in general; their gradient is a scatter-add along the index map (as Gather's).
import type { Dim } from "../../dim.js";
import type { GraphBuilder } from "../../graph-builder.js";
import type { Value } from "../../value.js";
import { gatherGradient } from "../gather-gradient.js";
import { dimOf, shapeOf, shapeVector } from "../gradient-shapes.js";
import { type VjpContext, registerVjp } from "../vjp-rule.js";

/** Ends at or beyond this mean "to the end" (the builder writes Infinity as INT64_MAX). */
const OPEN_END = 2 ** 31;

/** A size that is a static number or an int64 [1] value computed from shapes. */
type Size = number | Value;

/** x's shape with `axis` replaced, as an int64 vector. */
function shapeWithAxis(g: GraphBuilder, x: Value, axis: number, size: Size): Value {
  return shapeVector(g, x.shape.map((d: Dim, i) => (i === axis ? size : typeof d === "number" ? d : dimOf(g, x, i))));
}

/** Zeros of x's shape but `size` on `axis`; undefined for a static size 0. */
function zerosBlock(g: GraphBuilder, x: Value, axis: number, size: Size): Value | undefined {
  if (size === 0) return undefined;
  return g.constantOfShape(shapeWithAxis(g, x, axis, size), 0, x.dtype);
}

/** Places dy between zero blocks of sizes `before` and `after` on `axis`. */
function surroundWithZeros(g: GraphBuilder, dy: Value, axis: number, before: Size, after: Size): Value {
  const parts = [zerosBlock(g, dy, axis, before), dy, zerosBlock(g, dy, axis, after)].filter((p): p is Value => p !== undefined);
  return parts.length === 1 ? dy : g.concat(parts, axis);
}

/** A scalar int64 value from a size. */
function scalarOf(g: GraphBuilder, s: Size): Value {
  return typeof s === "number" ? g.scalar(s, "int64") : g.squeeze(s, [0]);
}

registerVjp("Slice", {
  differentiable: [0],
  vjp: (ctx: VjpContext, [dyIn]) => {
    const { g } = ctx;
    const x = ctx.input(0);
    const rank = x.rank;
    const starts = ctx.knownInts(1);
    const ends = ctx.knownInts(2);
    if (starts === undefined || ends === undefined) ctx.fail("starts/ends are not known when building the graph", "Slice with constant bounds.");
    const axes = (ctx.knownInts(3) ?? starts.map((_, i) => i)).map((a) => (a < 0 ? a + rank : a));
    const steps = ctx.knownInts(4) ?? starts.map(() => 1);
    let dx = dyIn!;
    const padBegin = new Array<number>(rank).fill(0);
    const padEnd = new Array<number>(rank).fill(0);
    axes.forEach((axis, i) => {
      const size = x.shape[axis]!;
      const [s, e, step] = [starts[i]!, ends[i]!, steps[i]!];
      if (step === 1 && typeof size === "number") {
        const begin = Math.min(Math.max(s < 0 ? s + size : s, 0), size);
        const end = Math.min(Math.max(e < 0 ? e + size : e, 0), size);
        padBegin[axis] = begin;
        padEnd[axis] = size - Math.max(begin, end);
      } else if (step === 1) {
        // symbolic size: assume the bounds are in range, as shape inference does
        const length = dimOf(g, x, axis);
        const before: Size = s >= 0 ? s : g.add(length, s);
        const after: Size = e >= OPEN_END ? 0 : e < 0 ? -e : g.sub(length, e);
        dx = surroundWithZeros(g, dx, axis, before, after);
      } else {
        dx = steppedSliceGradient(ctx, dx, x, axis, s, step);
      }
    });
    if (padBegin.some((p) => p !== 0) || padEnd.some((p) => p !== 0)) dx = g.pad(dx, [...padBegin, ...padEnd]);
    return [dx];
  },
});

/** Gradient along one axis sliced with step ≠ 1: scatter dy to positions start + i·step. */
function steppedSliceGradient(ctx: VjpContext, dy: Value, x: Value, axis: number, start: number, step: number): Value {
  const { g } = ctx;
  const size = x.shape[axis]!;
  const count = dy.shape[axis]!;
  let indices: Value;
  if (typeof size === "number" && typeof count === "number") {
    const first = step > 0
      ? Math.min(Math.max(start < 0 ? start + size : start, 0), size)
      : Math.min(Math.max(start < 0 ? start + size : start, 0), size - 1);
    indices = g.vector(Array.from({ length: count }, (_, i) => first + i * step));
  } else {
    const length = dimOf(g, x, axis);
    const first: Value = start >= OPEN_END - 1 ? g.sub(length, 1) : start >= 0 ? g.vector([start]) : g.add(length, start);
    const n = dimOf(g, dy, axis);
    const firstScalar = scalarOf(g, first);
    indices = g.range(firstScalar, g.add(firstScalar, g.mul(scalarOf(g, n), step)), g.scalar(step, "int64"));
  }
  return gatherGradient(g, dy, indices, axis, shapeWithAxis(g, dy, axis, typeof size === "number" ? size : dimOf(g, x, axis)));
}

registerVjp("Gather", {
  differentiable: [0],
  vjp: (ctx: VjpContext, [dy]) => {
    const x = ctx.input(0);
    const axisAttr = ctx.int("axis", 0);
    const axis = axisAttr < 0 ? axisAttr + x.rank : axisAttr;
    return [gatherGradient(ctx.g, dy!, ctx.input(1), axis, shapeOf(ctx.g, x))];
  },
});

registerVjp("Pad", {
  differentiable: [0, 2],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const x = ctx.input(0);
    const rank = x.rank;
    const pads = ctx.knownInts(1);
    if (pads === undefined) ctx.fail("the pads are not known when building the graph", "Pad with constant pads.");
    const mode = ctx.string("mode", "constant");
    if (mode !== "constant") return [ctx.needs(0) ? mirroredPadGradient(ctx, dy!, x, pads, mode) : undefined, undefined];
    const axes = Array.from({ length: rank }, (_, i) => i).filter((i) => pads[i]! > 0 || pads[i + rank]! > 0);
    const starts = axes.map((a) => Math.max(pads[a]!, 0));
    const ends = axes.map((a) => (pads[a + rank]! > 0 ? -pads[a + rank]! : Infinity));
    const inner = axes.length === 0 ? dy! : g.slice(dy!, starts, ends, axes);
    let dx: Value | undefined;
    if (ctx.needs(0)) {
      // negative pads cropped x; the cropped part gets zero gradient
      const regrow = pads.map((p) => Math.max(-p, 0));
      dx = regrow.some((p) => p > 0) ? g.pad(inner, regrow) : inner;
    }
    let dvalue: Value | undefined;
    const value = ctx.optionalInput(2);
    if (ctx.needs(2) && value !== undefined) {
      // the fill value appears in every padded position: Σ dy outside the inner block
      const total = g.sub(g.reduceSum(dy!, undefined, { keepDims: false }), g.reduceSum(inner, undefined, { keepDims: false }));
      dvalue = value.rank === 0 ? total : g.reshape(total, [1]);
    }
    return [dx, undefined, dvalue];
  },
});

/** reflect/edge Pad: per padded axis, output position i reads input index m(i − begin). */
function mirroredPadGradient(ctx: VjpContext, dy: Value, x: Value, pads: readonly number[], mode: string): Value {
  const { g } = ctx;
  const rank = x.rank;
  if (pads.some((p) => p < 0)) ctx.fail(`negative pads with mode "${mode}"`, "Use non-negative pads.");
  let grad = dy;
  for (let axis = 0; axis < rank; axis++) {
    const [begin, end] = [pads[axis]!, pads[axis + rank]!];
    if (begin === 0 && end === 0) continue;
    const size = x.shape[axis]!;
    let indices: Value;
    if (typeof size === "number") {
      const map = Array.from({ length: size + begin + end }, (_, i) => {
        const j = i - begin;
        if (mode === "edge") return Math.min(Math.max(j, 0), size - 1);
        return j < 0 ? -j : j >= size ? 2 * (size - 1) - j : j;
      });
      indices = g.vector(map);
    } else {
      const last = g.sub(scalarOf(g, dimOf(g, x, axis)), 1);
      const j = g.sub(g.range(0, scalarOf(g, dimOf(g, grad, axis))), begin);
      if (mode === "edge") indices = g.min(g.max(j, 0), last);
      else {
        const mirrored = g.abs(j);
        indices = g.where(g.greater(mirrored, last), g.sub(g.mul(last, 2), mirrored), mirrored);
      }
    }
    grad = gatherGradient(g, grad, indices, axis, shapeWithAxis(g, grad, axis, typeof size === "number" ? size : dimOf(g, x, axis)));
  }
  return grad;
}
