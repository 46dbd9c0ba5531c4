import { type Dim, dimCeilDiv, dimExactDiv, dimFloorDiv, dimMul, dimProduct, dimSub, formatShape } from "../dim.js";
import { isIntegerType } from "../dtype.js";
import { type InferenceContext, type OutputDesc, registerOp } from "../op-schema.js";
import { broadcastShapes } from "../shape.js";

/** Static length of a 1-D shape-like input (Reshape's shape, Expand's shape, …). */
export function vectorLength(ctx: InferenceContext, index: number, what: string): number {
  const s = ctx.input(index).shape;
  if (s.length !== 1 || typeof s[0] !== "number") {
    ctx.shapeError(`${what} must be a 1-D tensor of known length, got ${formatShape(s)}`, `Pass ${what} as a list of integers or a 1-D int64 value.`);
  }
  return s[0];
}

/** The known contents of a 1-D int input, or unknown dims of the right count. */
function targetDims(ctx: InferenceContext, index: number, what: string): { dims: Dim[]; known: boolean } {
  ctx.requireDType(index, "int64");
  const known = ctx.input(index).knownValue;
  if (known !== undefined) return { dims: [...known], known: true };
  const n = vectorLength(ctx, index, what);
  return { dims: Array.from({ length: n }, (_, i) => ctx.unknown(`d${i}`)), known: false };
}

/** Keeps a small known vector through ops that only relabel it (Reshape to [n], Squeeze, …). */
function passKnown(ctx: InferenceContext, shape: readonly Dim[]): readonly Dim[] | undefined {
  const v = ctx.input(0).knownValue;
  return v !== undefined && shape.length <= 1 ? v : undefined;
}

registerOp({
  opType: "Reshape",
  domain: "",
  inputs: [2, 2],
  attributes: { allowzero: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    if (ctx.int("allowzero", 0) !== 0) ctx.shapeError("allowzero=1 is not supported", "Use the default (0 copies the input dim).");
    const { dims: target, known } = targetDims(ctx, 1, "the target shape");
    if (!known) return [{ dtype: x.dtype, shape: target }];
    const out: Dim[] = [];
    let inferAt = -1;
    target.forEach((d, i) => {
      if (d === 0) {
        if (i >= x.shape.length) {
          ctx.shapeError(`target ${formatShape(target)} copies axis ${i} (0) but the input has rank ${x.shape.length}`, "A 0 in the target copies the input's dim at that position; use an explicit size there.");
        }
        out.push(x.shape[i]!);
      } else if (d === -1) {
        if (inferAt >= 0) ctx.shapeError(`target ${formatShape(target)} has more than one -1`, "At most one dim can be inferred.");
        inferAt = i;
        out.push(-1);
      } else if (typeof d === "number" && (d < -1 || !Number.isInteger(d))) {
        ctx.shapeError(`target ${formatShape(target)} has an invalid size ${d}`, "Sizes must be positive, 0 (copy) or -1 (infer).");
      } else out.push(d);
    });
    const total = dimProduct(x.shape);
    if (inferAt >= 0) {
      const rest = dimProduct(out.filter((_, i) => i !== inferAt));
      const inferred = dimExactDiv(total, rest);
      if (inferred === undefined && typeof total === "number" && typeof rest === "number") {
        ctx.shapeError(
          `cannot reshape ${formatShape(x.shape)} (${total} elements) to ${formatShape(target)}: ${total} is not divisible by ${rest}`,
          "The known target sizes must divide the element count.",
        );
      }
      out[inferAt] = inferred ?? dimFloorDiv(total, rest);
    } else {
      const size = dimProduct(out);
      if (typeof total === "number" && typeof size === "number" && total !== size) {
        ctx.shapeError(
          `cannot reshape ${formatShape(x.shape)} (${total} elements) to ${formatShape(target)} (${size} elements)`,
          "The element count must stay the same; use -1 for the dim to infer.",
        );
      }
    }
    return [{ dtype: x.dtype, shape: out, knownValue: passKnown(ctx, out) }];
  },
});

registerOp({
  opType: "Flatten",
  domain: "",
  inputs: [1, 1],
  attributes: { axis: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    const rank = x.shape.length;
    const axis = ctx.int("axis", 1);
    const a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a > rank) ctx.shapeError(`axis ${axis} is out of range for rank ${rank}`, `Use an axis in [${-rank}, ${rank}].`);
    return [{ dtype: x.dtype, shape: [dimProduct(x.shape.slice(0, a)), dimProduct(x.shape.slice(a))] }];
  },
});

registerOp({
  opType: "Squeeze",
  domain: "",
  inputs: [1, 2],
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    const rank = x.shape.length;
    let axes: number[];
    if (ctx.optionalInput(1) === undefined) {
      if (x.shape.some((d) => typeof d === "string")) {
        ctx.shapeError(`squeezing all size-1 axes of ${formatShape(x.shape)} is ambiguous with symbolic dims`, "Pass the axes to squeeze.");
      }
      axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    } else {
      ctx.requireDType(1, "int64");
      const known = ctx.knownInts(1);
      if (known === undefined) ctx.shapeError("axes must be known when building the graph", "Pass the axes as a list of integers.");
      axes = known.map((a) => ctx.axis(a, rank));
      for (const a of axes) {
        const d = x.shape[a]!;
        if (typeof d === "number" && d !== 1) {
          ctx.shapeError(`axis ${a} has size ${d}, not 1`, "Only size-1 axes can be squeezed; use Reshape or ReduceX to drop a larger axis.");
        }
      }
    }
    const shape = x.shape.filter((_, i) => !axes.includes(i));
    return [{ dtype: x.dtype, shape, knownValue: passKnown(ctx, shape) }];
  },
});

registerOp({
  opType: "Unsqueeze",
  domain: "",
  inputs: [2, 2],
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    ctx.requireDType(1, "int64");
    const axes = ctx.knownInts(1);
    if (axes === undefined) ctx.shapeError("axes must be known when building the graph", "Pass the axes as a list of integers.");
    const rank = x.shape.length + axes.length;
    const normalized = axes.map((a) => ctx.axis(a, rank));
    if (new Set(normalized).size !== normalized.length) ctx.shapeError(`axes [${axes.join(", ")}] repeat an axis`, "List each new axis once.");
    const shape: Dim[] = [];
    let next = 0;
    for (let i = 0; i < rank; i++) shape.push(normalized.includes(i) ? 1 : x.shape[next++]!);
    return [{ dtype: x.dtype, shape, knownValue: passKnown(ctx, shape) }];
  },
});

registerOp({
  opType: "Transpose",
  domain: "",
  inputs: [1, 1],
  attributes: { perm: "ints" },
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    const rank = x.shape.length;
    const perm = ctx.ints("perm") ?? x.shape.map((_, i) => rank - 1 - i);
    const sorted = [...perm].sort((a, b) => a - b);
    if (perm.length !== rank || sorted.some((p, i) => p !== i)) {
      ctx.shapeError(`perm [${perm.join(", ")}] is not a permutation of the ${rank} axes`, `List each axis 0..${rank - 1} exactly once.`);
    }
    return [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p]!) }];
  },
});

registerOp({
  opType: "Expand",
  domain: "",
  inputs: [2, 2],
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    const { dims } = targetDims(ctx, 1, "the target shape");
    const result = broadcastShapes([x.shape, dims], ctx.location.nodeName);
    if ("conflictAxisFromEnd" in result) {
      ctx.shapeError(`${formatShape(x.shape)} cannot be expanded to ${formatShape(dims)}`, "Each axis (aligned from the right) must be equal, or 1 in either shape.");
    }
    return [{ dtype: x.dtype, shape: result.shape }];
  },
});

registerOp({
  opType: "Shape",
  domain: "",
  inputs: [1, 1],
  attributes: { start: "int", end: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    const shape = ctx.input(0).shape;
    const rank = shape.length;
    const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
    const dims = shape.slice(clamp(ctx.int("start", 0)), clamp(ctx.int("end", rank)));
    return [{ dtype: "int64", shape: [dims.length], knownValue: dims }];
  },
});

registerOp({
  opType: "ConstantOfShape",
  domain: "",
  inputs: [1, 1],
  attributes: { value: "tensor" },
  infer(ctx: InferenceContext): OutputDesc[] {
    const { dims } = targetDims(ctx, 0, "the shape");
    const value = ctx.tensorAttribute("value");
    if (value === undefined) return [{ dtype: "float32", shape: dims }];
    const t = value.value as { type: OutputDesc["dtype"]; dims: readonly number[]; data: ArrayLike<number | bigint> };
    if (t.data.length !== 1) ctx.shapeError(`value must hold one element, got ${t.data.length}`, "Pass a single fill value.");
    const fill = t.data[0]!;
    const small = dims.length === 1 && typeof dims[0] === "number" && dims[0] <= 64 && isIntegerType(t.type);
    return [{ dtype: t.type, shape: dims, knownValue: small ? new Array<Dim>(dims[0] as number).fill(Number(fill)) : undefined }];
  },
});

registerOp({
  opType: "Range",
  domain: "",
  inputs: [3, 3],
  infer(ctx: InferenceContext): OutputDesc[] {
    const dtype = ctx.sameDType([0, 1, 2]);
    ctx.requireDType(0, "numeric");
    for (let i = 0; i < 3; i++) {
      const s = ctx.input(i).shape;
      if (s.length !== 0) ctx.shapeError(`input #${i} must be a scalar, got ${formatShape(s)}`, "Pass scalars for start, limit and delta.");
    }
    const [start, limit, delta] = [0, 1, 2].map((i) => ctx.input(i).knownValue?.[0]);
    if (typeof start === "number" && typeof limit === "number" && typeof delta === "number") {
      if (delta === 0) ctx.shapeError("delta is 0", "Use a non-zero step.");
      const n = Math.max(Math.ceil((limit - start) / delta), 0);
      const values = n <= 64 && isIntegerType(dtype) ? Array.from({ length: n }, (_, i) => start + i * delta) : undefined;
      return [{ dtype, shape: [n], knownValue: values }];
    }
    if (start !== undefined && limit !== undefined && typeof delta === "number" && delta > 0) {
      return [{ dtype, shape: [dimCeilDiv(dimSub(limit, start), delta)] }];
    }
    return [{ dtype, shape: [ctx.unknown("length")] }];
  },
});

registerOp({
  opType: "Tile",
  domain: "",
  inputs: [2, 2],
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    const { dims: repeats, known } = targetDims(ctx, 1, "repeats");
    if (repeats.length !== x.shape.length) {
      ctx.shapeError(`repeats has ${repeats.length} entries for a rank-${x.shape.length} input`, "Give one repeat count per axis.");
    }
    const shape = known ? x.shape.map((d, i) => dimMul(d, repeats[i]!)) : repeats;
    return [{ dtype: x.dtype, shape }];
  },
});
