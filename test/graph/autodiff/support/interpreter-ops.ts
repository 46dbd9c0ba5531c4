// ONNX op semantics in float64 for the reference interpreter (the forward ops our graphs use).
import type { Attribute, DType, NodeInfo } from "../../../../src/graph/index.js";
import { isIntegerType } from "../../../../src/graph/index.js";
import * as ref from "../../support/reference.js";
import {
  type T64, conv, map1, map2, mapN, matmul, max, mean, normalize, reduce, reshape, scalarOf, size, softmax, sum, t64, transpose,
} from "./tensor64.js";

export interface OpContext {
  readonly node: NodeInfo;
  readonly outputDtypes: readonly DType[];
  readonly dropoutMask?: T64;
}

type Impl = (inputs: readonly (T64 | undefined)[], ctx: OpContext) => T64[];

function raw(ctx: OpContext, name: string): Attribute["value"] | undefined {
  const a: Attribute | undefined = ctx.node.attributes[name];
  return a?.value;
}
const num = (ctx: OpContext, name: string, fallback: number): number => (raw(ctx, name) as number | undefined) ?? fallback;
const list = (ctx: OpContext, name: string, fallback: readonly number[]): readonly number[] => (raw(ctx, name) as readonly number[] | undefined) ?? fallback;
const str = (ctx: OpContext, name: string, fallback: string): string => (raw(ctx, name) as string | undefined) ?? fallback;

const ints = (t: T64 | undefined): number[] => (t === undefined ? [] : Array.from(t.data));
const arr = (t: T64): ref.Arr => ({ dims: [...t.dims], data: Array.from(t.data) });
const back = (a: ref.Arr): T64 => t64(a.dims, a.data);
const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

const binary = (fn: (x: number, y: number) => number): Impl => ([a, b]) => [map2(a!, b!, fn)];
const unary = (fn: (x: number) => number): Impl => ([a]) => [map1(a!, fn)];
const bool = (v: boolean): number => (v ? 1 : 0);

function sliceT(x: T64, starts: number[], ends: number[], axes: number[], steps: number[]): T64 {
  return back(ref.slice(arr(x), starts, ends, axes, steps));
}

export const OPS: Readonly<Record<string, Impl>> = {
  Add: binary((x, y) => x + y),
  Sub: binary((x, y) => x - y),
  Mul: binary((x, y) => x * y),
  Div: ([a, b], ctx) => [map2(a!, b!, isIntegerType(ctx.outputDtypes[0]!) ? (x, y) => Math.trunc(x / y) : (x, y) => x / y)],
  Pow: binary((x, y) => x ** y),
  Mod: ([a, b], ctx) => [map2(a!, b!, num(ctx, "fmod", 0) === 1 ? (x, y) => x % y : (x, y) => ((x % y) + y) % y)],
  Equal: binary((x, y) => bool(x === y)),
  Less: binary((x, y) => bool(x < y)),
  Greater: binary((x, y) => bool(x > y)),
  LessOrEqual: binary((x, y) => bool(x <= y)),
  GreaterOrEqual: binary((x, y) => bool(x >= y)),
  And: binary((x, y) => bool(x !== 0 && y !== 0)),
  Or: binary((x, y) => bool(x !== 0 || y !== 0)),
  Xor: binary((x, y) => bool((x !== 0) !== (y !== 0))),
  Not: unary((x) => bool(x === 0)),
  Neg: unary((x) => -x),
  Abs: unary(Math.abs),
  Sqrt: unary(Math.sqrt),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Erf: unary(ref.erf),
  Tanh: unary(Math.tanh),
  Relu: unary((x) => Math.max(x, 0)),
  Sigmoid: unary(ref.sigmoid),
  Reciprocal: unary((x) => 1 / x),
  Sin: unary(Math.sin),
  Cos: unary(Math.cos),
  Floor: unary(Math.floor),
  Ceil: unary(Math.ceil),
  Identity: ([a]) => [a!],
  Cast: ([a], ctx) => [ctx.outputDtypes[0] === "bool" ? map1(a!, (x) => bool(x !== 0)) : a!],
  Min: (xs) => [mapN(xs as T64[], (v) => Math.min(...v))],
  Max: (xs) => [mapN(xs as T64[], (v) => Math.max(...v))],
  Sum: (xs) => [mapN(xs as T64[], (v) => v.reduce((s, x) => s + x, 0))],
  Mean: (xs) => [mapN(xs as T64[], (v) => v.reduce((s, x) => s + x, 0) / v.length)],
  Where: ([c, a, b]) => [mapN([c!, a!, b!], (v) => (v[0] !== 0 ? v[1]! : v[2]!))],
  Clip: ([x, lo, hi]) => [map1(x!, (v) => Math.min(Math.max(v, lo === undefined ? -Infinity : scalarOf(lo)), hi === undefined ? Infinity : scalarOf(hi)))],

  MatMul: ([a, b]) => [matmul(a!, b!)],
  Gemm: ([a, b, c], ctx) => {
    const product = map1(matmul(a!, b!, num(ctx, "transA", 0) === 1, num(ctx, "transB", 0) === 1), (v) => v * num(ctx, "alpha", 1));
    const beta = num(ctx, "beta", 1);
    return [c === undefined ? product : map2(product, c, (p, y) => p + beta * y)];
  },
  "com.microsoft.FusedMatMul": ([a, b], ctx) => [map1(matmul(a!, b!, num(ctx, "transA", 0) === 1, num(ctx, "transB", 0) === 1), (v) => v * num(ctx, "alpha", 1))],
  Softmax: ([x], ctx) => [softmax(x!, num(ctx, "axis", -1))],
  LayerNormalization: ([x, scale, bias], ctx) => {
    if (ctx.node.outputs.length > 1) throw new Error("interpreter: LayerNormalization Mean/InvStdDev outputs are not implemented");
    const y = map2(normalize(x!, num(ctx, "axis", -1), num(ctx, "epsilon", 1e-5)), scale!, (v, s) => v * s);
    return [bias === undefined ? y : map2(y, bias, (v, b) => v + b)];
  },
  InstanceNormalization: ([x, scale, bias], ctx) => {
    const [n, c] = x!.dims as [number, number];
    const flat = normalize(reshape(x!, [n, c, size(x!.dims) / (n * c)]), 2, num(ctx, "epsilon", 1e-5));
    const perChannel = (p: T64): T64 => reshape(p, [c, 1]);
    return [reshape(mapN([flat, perChannel(scale!), perChannel(bias!)], (v) => v[0]! * v[1]! + v[2]!), x!.dims)];
  },
  BatchNormalization: ([x, scale, bias, m, v], ctx) => {
    const shape = [x!.dims[1]!, ...x!.dims.slice(2).map(() => 1)];
    const eps = num(ctx, "epsilon", 1e-5);
    return [mapN([x!, ...[scale!, bias!, m!, v!].map((p) => reshape(p, shape))], (a) => ((a[0]! - a[3]!) / Math.sqrt(a[4]! + eps)) * a[1]! + a[2]!)];
  },
  Conv: ([x, w, b], ctx) => {
    const r = x!.dims.length - 2;
    const ones = new Array<number>(r).fill(1);
    return [conv(x!, w!, b, list(ctx, "strides", ones), list(ctx, "pads", [...ones, ...ones].map(() => 0)), list(ctx, "dilations", ones), num(ctx, "group", 1))];
  },
  AveragePool: ([x], ctx) => pool(x!, ctx, "avg"),
  MaxPool: ([x], ctx) => pool(x!, ctx, "max"),
  GlobalAveragePool: ([x]) => [mean(x!, x!.dims.map((_, i) => i).slice(2))],
  GlobalMaxPool: ([x]) => [max(x!, x!.dims.map((_, i) => i).slice(2))],

  Reshape: ([x, shape]) => {
    const target = ints(shape).map((d, i) => (d === 0 ? x!.dims[i]! : d));
    const known = target.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    return [reshape(x!, target.map((d) => (d === -1 ? size(x!.dims) / known : d)))];
  },
  Flatten: ([x], ctx) => {
    const axis = norm(num(ctx, "axis", 1), x!.dims.length);
    return [reshape(x!, [size(x!.dims.slice(0, axis)), size(x!.dims.slice(axis))])];
  },
  Squeeze: ([x, axes]) => {
    const drop = axes === undefined ? x!.dims.flatMap((d, i) => (d === 1 ? [i] : [])) : ints(axes).map((a) => norm(a, x!.dims.length));
    return [reshape(x!, x!.dims.filter((_, i) => !drop.includes(i)))];
  },
  Unsqueeze: ([x, axes]) => {
    const rank = x!.dims.length + axes!.data.length;
    const at = ints(axes).map((a) => norm(a, rank));
    const dims: number[] = [];
    let next = 0;
    for (let i = 0; i < rank; i++) dims.push(at.includes(i) ? 1 : x!.dims[next++]!);
    return [reshape(x!, dims)];
  },
  Transpose: ([x], ctx) => [transpose(x!, list(ctx, "perm", x!.dims.map((_, i) => x!.dims.length - 1 - i)))],
  Expand: ([x, shape]) => {
    const dims = ints(shape);
    return [mapN([x!, { dims, data: new Float64Array(size(dims)) }], (v) => v[0]!)];
  },
  Shape: ([x], ctx) => {
    const rank = x!.dims.length;
    const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
    const dims = x!.dims.slice(clamp(num(ctx, "start", 0)), clamp(num(ctx, "end", rank)));
    return [t64([dims.length], dims)];
  },
  ConstantOfShape: ([shape], ctx) => {
    const value = ctx.node.attributes.value;
    const fill = value === undefined ? 0 : Number((value.value as { data: ArrayLike<number | bigint> }).data[0]);
    const dims = ints(shape);
    return [{ dims, data: new Float64Array(size(dims)).fill(fill) }];
  },
  Range: ([start, limit, delta]) => {
    const [s, l, d] = [scalarOf(start!), scalarOf(limit!), scalarOf(delta!)];
    const n = Math.max(Math.ceil((l - s) / d), 0);
    return [t64([n], Array.from({ length: n }, (_, i) => s + i * d))];
  },
  Tile: ([x, repeats]) => [back(ref.tile(arr(x!), ints(repeats)))],
  Concat: (xs, ctx) => [back(ref.concat((xs as T64[]).map(arr), num(ctx, "axis", 0)))],
  Split: ([x, sizes], ctx) => {
    const axis = norm(num(ctx, "axis", 0), x!.dims.length);
    const parts = ctx.node.outputs.length;
    const lengths = sizes === undefined ? new Array<number>(parts).fill(x!.dims[axis]! / parts) : ints(sizes);
    let offset = 0;
    return lengths.map((len) => {
      const part = sliceT(x!, [offset], [offset + len], [axis], [1]);
      offset += len;
      return part;
    });
  },
  Slice: ([x, starts, ends, axes, steps]) => {
    const s = ints(starts);
    return [sliceT(x!, s, ints(ends), axes === undefined ? s.map((_, i) => i) : ints(axes), steps === undefined ? s.map(() => 1) : ints(steps))];
  },
  Gather: ([x, indices], ctx) => [back(ref.gather(arr(x!), arr(indices!), num(ctx, "axis", 0)))],
  Pad: ([x, pads, value], ctx) => [back(ref.pad(arr(x!), ints(pads), str(ctx, "mode", "constant") as "constant", value === undefined ? 0 : scalarOf(value)))],
  ReduceSum: ([x, axes], ctx) => {
    const list = ints(axes);
    if (list.length === 0 && num(ctx, "noop_with_empty_axes", 0) === 1) return [x!];
    return [sum(x!, list.length === 0 ? undefined : list, num(ctx, "keepdims", 1) === 1)];
  },
  ReduceMean: reduction((x, axes, keep) => mean(x, axes, keep)),
  ReduceMax: reduction((x, axes, keep) => max(x, axes, keep)),
  ReduceMin: reduction((x, axes, keep) => reduce(x, axes, keep, Infinity, Math.min)),
  ReduceProd: reduction((x, axes, keep) => reduce(x, axes, keep, 1, (p, v) => p * v)),
  ReduceSumSquare: reduction((x, axes, keep) => reduce(x, axes, keep, 0, (s, v) => s + v * v)),
  ReduceL2: reduction((x, axes, keep) => reduce(x, axes, keep, 0, (s, v) => s + v * v, Math.sqrt)),
  ReduceLogSumExp: reduction((x, axes, keep) => {
    const m = max(x, axes, true);
    const s = sum(map2(x, m, (v, mm) => Math.exp(v - mm)), axes, true);
    const out = map2(s, m, (ss, mm) => Math.log(ss) + mm);
    return keep ? out : reshape(out, max(x, axes, false).dims);
  }),
  ArgMax: argExtreme((v, best) => v > best),
  ArgMin: argExtreme((v, best) => v < best),
  CumSum: ([x, axis], ctx) => [back(ref.cumsum(arr(x!), scalarOf(axis!), num(ctx, "exclusive", 0) === 1, num(ctx, "reverse", 0) === 1))],
  "com.microsoft.MultiHeadAttention": multiHeadAttention,
  // With a mask (the one a training graph applied at this site) Dropout is evaluated in training
  // mode; otherwise it is the inference identity.
  Dropout: ([x, ratio, mode], ctx) => {
    const training = mode !== undefined && scalarOf(mode) !== 0;
    if (ctx.dropoutMask === undefined) {
      if (training) throw new Error(`interpreter: training-mode Dropout "${ctx.node.name}" needs its mask`);
      return [x!, map1(x!, () => 1)];
    }
    const scale = 1 / (1 - (ratio === undefined ? 0.5 : scalarOf(ratio)));
    return [map2(x!, ctx.dropoutMask, (v, m) => (m !== 0 ? v * scale : 0)), ctx.dropoutMask];
  },
};

function reduction(fn: (x: T64, axes: number[] | undefined, keep: boolean) => T64): Impl {
  return ([x], ctx) => {
    const axes = list(ctx, "axes", []);
    return [fn(x!, axes.length === 0 ? undefined : [...axes], num(ctx, "keepdims", 1) === 1)];
  };
}

function argExtreme(better: (v: number, best: number) => boolean): Impl {
  return ([x], ctx) => {
    const axis = norm(num(ctx, "axis", 0), x!.dims.length);
    const moved = transpose(x!, [...x!.dims.map((_, i) => i).filter((i) => i !== axis), axis]);
    const n = x!.dims[axis]!;
    const rows = size(moved.dims) / n;
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let i = 1; i < n; i++) if (better(moved.data[r * n + i]!, moved.data[r * n + best]!)) best = i;
      out[r] = best;
    }
    const dims = x!.dims.map((d, i) => (i === axis ? 1 : d));
    return [reshape({ dims, data: out }, num(ctx, "keepdims", 1) === 1 ? dims : dims.filter((_, i) => i !== axis))];
  };
}

function pool(x: T64, ctx: OpContext, mode: "avg" | "max"): T64[] {
  const kernel = [...list(ctx, "kernel_shape", [])];
  const ones = kernel.map(() => 1);
  const pads = [...list(ctx, "pads", [...ones, ...ones].map(() => 0))];
  return [back(ref.pool(arr(x), kernel, [...list(ctx, "strides", ones)], pads, mode, num(ctx, "count_include_pad", 0) === 1))];
}

/** softmax(q·kᵀ·scale + bias)·v per head, Q/K/V [B, T, H·d] with the packed projection bias. */
function multiHeadAttention(inputs: readonly (T64 | undefined)[], ctx: OpContext): T64[] {
  let [q, k, v] = [inputs[0]!, inputs[1]!, inputs[2]!];
  const bias = inputs[3];
  const heads = num(ctx, "num_heads", 1);
  const [hidden, vHidden] = [q.dims[2]!, v.dims[2]!];
  if (bias !== undefined) {
    const part = (from: number, len: number): T64 => sliceT(bias, [from], [from + len], [0], [1]);
    [q, k, v] = [map2(q, part(0, hidden), (a, b) => a + b), map2(k, part(hidden, hidden), (a, b) => a + b), map2(v, part(2 * hidden, vHidden), (a, b) => a + b)];
  }
  const split = (t: T64): T64 => transpose(reshape(t, [t.dims[0]!, t.dims[1]!, heads, t.dims[2]! / heads]), [0, 2, 1, 3]);
  const scale = num(ctx, "scale", 1 / Math.sqrt(hidden / heads));
  let scores = map1(matmul(split(q), split(k), false, true), (s) => s * scale);
  if (inputs[5] !== undefined) scores = map2(scores, inputs[5], (s, b) => s + b);
  const context = matmul(softmax(scores, -1), split(v));
  const merged = transpose(context, [0, 2, 1, 3]);
  return [reshape(merged, [merged.dims[0]!, merged.dims[1]!, vHidden])];
}
