import { attr } from "../attributes.js";
import { type Dim, type Shape, dimsEqual, formatShape } from "../dim.js";
import { ONNX_DATA_TYPE } from "../dtype.js";
import type { GraphBuilder } from "../graph-builder.js";
import type { Value } from "../value.js";
import { AutodiffError } from "./errors.js";

// Shape plumbing shared by the gradient rules. Shapes may be symbolic ("batch", "time"): static
// parts become constants, symbolic parts come from Shape nodes, whose contents the builder still
// tracks symbolically, so the gradients get exact inferred shapes.

export function staticDims(shape: Shape): number[] | undefined {
  return shape.every((d): d is number => typeof d === "number") ? [...shape] : undefined;
}

/** x's shape as a 1-D int64 value: a constant when static, otherwise a Shape node. */
export function shapeOf(g: GraphBuilder, x: Value): Value {
  const dims = staticDims(x.shape);
  return dims !== undefined ? g.vector(dims) : g.shape(x);
}

/** x's size on one axis as an int64 [1] value. */
export function dimOf(g: GraphBuilder, x: Value, axis: number): Value {
  const a = axis < 0 ? axis + x.rank : axis;
  const d = x.shape[a]!;
  return typeof d === "number" ? g.vector([d]) : g.shape(x, a, a + 1);
}

/** An int64 shape vector from static numbers and [1]-shaped int64 values, in order. */
export function shapeVector(g: GraphBuilder, parts: readonly (number | Value)[]): Value {
  if (parts.every((p): p is number => typeof p === "number")) return g.vector(parts);
  const pieces: Value[] = [];
  let run: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") run.push(p);
    else {
      if (run.length > 0) pieces.push(g.vector(run));
      run = [];
      pieces.push(p);
    }
  }
  if (run.length > 0) pieces.push(g.vector(run));
  return pieces.length === 1 ? pieces[0]! : g.concat(pieces, 0);
}

export function zerosLike(g: GraphBuilder, x: Value): Value {
  return g.constantOfShape(shapeOf(g, x), 0, x.dtype);
}

export function normalizeAxes(axes: readonly number[], rank: number): number[] {
  return axes.map((a) => (a < 0 ? a + rank : a));
}

/** The element count of x over `axes` as a scalar of x's type (a constant when static). */
export function countOver(g: GraphBuilder, x: Value, axes: readonly number[]): Value {
  const dims = axes.map((a) => x.shape[a]!);
  if (dims.every((d): d is number => typeof d === "number")) return g.scalar(dims.reduce((p, d) => p * d, 1), x.dtype);
  const sizes = g.concat(axes.map((a) => dimOf(g, x, a)), 0);
  const product = g.op("ReduceProd", [sizes], { keepdims: attr.int(0) })[0]!;
  return g.op("Cast", [product], { to: attr.int(ONNX_DATA_TYPE[x.dtype]) })[0]!;
}

/** Whether two shapes agree as far as can be told at build time (symbols may hide sizes). */
export function shapesCompatible(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => dimsEqual(d, b[i]!) || typeof d === "string" || typeof b[i] === "string");
}

/**
 * The gradient of a broadcast operand: `grad` has the broadcast result's shape; sum it over the
 * axes `target` was broadcast along (leading axes it lacks and axes where it has size 1).
 * Where a symbolic size of the target faces a different size in the gradient, they are taken to
 * be equal (a symbol standing for 1 would be unusual) and a Reshape to the target's runtime shape
 * makes ONNX Runtime fail loudly if they are not.
 */
export function unbroadcast(g: GraphBuilder, grad: Value, target: Value | Shape): Value {
  const to = Array.isArray(target) ? (target as Shape) : (target as Value).shape;
  const from = grad.shape;
  const lead = from.length - to.length;
  if (lead < 0) throw new AutodiffError(`cannot reduce a gradient of shape ${formatShape(from)} to the larger rank of ${formatShape(to)}`);
  const axes: number[] = [];
  for (let i = 0; i < lead; i++) axes.push(i);
  let ambiguous = false;
  to.forEach((t: Dim, i) => {
    const f = from[i + lead]!;
    if (dimsEqual(t, f)) return;
    if (t === 1) axes.push(i + lead);
    else ambiguous = true;
  });
  let out = grad;
  if (axes.length > 0) {
    out = g.reduceSum(out, axes, { keepDims: true });
    if (lead > 0) out = g.squeeze(out, axes.slice(0, lead));
  }
  if (ambiguous) {
    if (Array.isArray(target)) throw new AutodiffError(`cannot tell at build time how ${formatShape(from)} reduces to ${formatShape(to)}`);
    out = g.reshape(out, shapeOf(g, target as Value));
  }
  return out;
}

/** Sums gradient contributions: one Add for two, one variadic Sum for more. */
export function sumAll(g: GraphBuilder, parts: readonly Value[]): Value {
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2) return g.add(parts[0]!, parts[1]!);
  return g.op("Sum", parts)[0]!;
}

/** The permutation that undoes `perm`. */
export function inversePermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}
