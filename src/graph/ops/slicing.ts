import { type Dim, dimAdd, dimCeilDiv, dimExactDiv, dimFloorDiv, dimMin, dimsEqual, dimSub } from "../dim.js";
import { type InferenceContext, type OutputDesc, registerOp } from "../op-schema.js";
import { vectorLength } from "./shape-ops.js";

/** Sizes at or beyond this mean "to the end" (callers pass Infinity or INT64_MAX). */
const OPEN_END = 2 ** 31;

registerOp({
  opType: "Concat",
  domain: "",
  inputs: [1, 2147483647],
  attributes: { axis: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    const all = ctx.inputs.map((_, i) => i);
    const dtype = ctx.sameDType(all);
    const first = ctx.input(0).shape;
    const rank = first.length;
    if (rank === 0) ctx.shapeError("Concat of scalars", "Unsqueeze the scalars to 1-D first.");
    const axis = ctx.axis(ctx.int("axis", 0), rank);
    let total: Dim = 0;
    const out = [...first];
    for (const i of all) {
      const s = ctx.input(i).shape;
      if (s.length !== rank) {
        ctx.shapeError(`all inputs need rank ${rank}, input #${i} has rank ${s.length}`, "Concat joins tensors of equal rank; unsqueeze or reshape the odd one out.");
      }
      for (let d = 0; d < rank; d++) {
        if (d === axis) continue;
        const [a, b] = [out[d]!, s[d]!];
        if (!dimsEqual(a, b)) {
          if (typeof a === "number" && typeof b === "number") {
            ctx.shapeError(
              `inputs differ on axis ${d} (${a} vs ${b}), which is not the concat axis ${axis}`,
              "Every axis except the concat axis must match; check the axis argument or expand the smaller input.",
            );
          }
          if (typeof a === "string" && typeof b === "number") out[d] = b;
        }
      }
      total = dimAdd(total, s[axis]!);
    }
    out[axis] = total;
    const knownParts = all.map((i) => ctx.input(i).knownValue);
    const knownValue = rank === 1 && knownParts.every((k) => k !== undefined) ? knownParts.flatMap((k) => [...k!]) : undefined;
    return [{ dtype, shape: out, knownValue }];
  },
});

registerOp({
  opType: "Split",
  domain: "",
  inputs: [1, 2],
  outputs: "any",
  attributes: { axis: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    const axis = ctx.axis(ctx.int("axis", 0), x.shape.length);
    const size = x.shape[axis]!;
    let sizes: Dim[];
    if (ctx.optionalInput(1) !== undefined) {
      ctx.requireDType(1, "int64");
      // Symbolic sizes (computed from Shape ops, e.g. by the autodiff pass) are accepted too.
      const known = ctx.knownInts(1) ?? ctx.input(1).knownValue;
      if (known === undefined) ctx.shapeError("split sizes must be known when building the graph", "Pass the sizes as a list of integers.");
      if (known.length !== ctx.numOutputs) {
        ctx.shapeError(`${known.length} split sizes for ${ctx.numOutputs} outputs`, "Give one size per output.");
      }
      const numeric = known.every((d): d is number => typeof d === "number");
      const sum = numeric ? known.reduce((a: number, b) => a + (b as number), 0) : undefined;
      if (typeof size === "number" && sum !== undefined && sum !== size) {
        ctx.shapeError(`split sizes [${known.join(", ")}] add up to ${sum}, but axis ${axis} has size ${size}`, "The sizes must add up to the axis size.");
      }
      sizes = [...known];
    } else {
      const part = dimExactDiv(size, ctx.numOutputs);
      if (part === undefined && typeof size === "number") {
        ctx.shapeError(`axis ${axis} of size ${size} does not split into ${ctx.numOutputs} equal parts`, "Pass explicit split sizes.");
      }
      sizes = new Array<Dim>(ctx.numOutputs).fill(part ?? dimFloorDiv(size, ctx.numOutputs));
    }
    const known = x.knownValue;
    let offset = 0;
    return sizes.map((s) => {
      const shape = x.shape.map((d, i) => (i === axis ? s : d));
      const part = known !== undefined && typeof s === "number" ? known.slice(offset, offset + s) : undefined;
      offset += typeof s === "number" ? s : 0;
      return { dtype: x.dtype, shape, knownValue: part };
    });
  },
});

/** Length of one sliced axis, following ONNX's clamping rules; symbolic when the dim is. */
function slicedLength(dim: Dim, start: number, end: number, step: number): Dim | undefined {
  const toEnd = step > 0 ? end >= OPEN_END : end <= -OPEN_END;
  if (typeof dim === "number") {
    let s = start < 0 ? start + dim : start;
    let e = end < 0 && !toEnd ? end + dim : end;
    if (step > 0) {
      s = Math.min(Math.max(s, 0), dim);
      e = Math.min(Math.max(e, 0), dim);
      return Math.max(0, Math.ceil((e - s) / step));
    }
    s = Math.min(Math.max(s, 0), dim - 1);
    e = toEnd ? -1 : Math.min(Math.max(e, -1), dim - 1);
    return Math.max(0, Math.ceil((s - e) / -step));
  }
  // Symbolic dims: assume the dim is at least as large as the explicit bounds imply.
  if (step > 0) {
    if (start >= 0 && toEnd) return dimCeilDiv(dimSub(dim, start), step);
    if (start >= 0 && end >= 0) return dimCeilDiv(dimSub(dimMin(dim, end), start), step);
    if (start >= 0 && end < 0) return dimCeilDiv(dimAdd(dim, end - start), step);
    if (start < 0 && toEnd) return dimCeilDiv(dimMin(dim, -start), step);
    if (start < 0 && end < 0) return Math.max(0, Math.ceil((end - start) / step));
    return undefined;
  }
  if (start >= OPEN_END - 1 && toEnd && step === -1) return dim;
  if (start === -1 && toEnd && step === -1) return dim;
  return undefined;
}

function knownVector(ctx: InferenceContext, index: number, what: string, length: number): number[] {
  ctx.requireDType(index, "index");
  const known = ctx.knownInts(index);
  if (known === undefined) ctx.shapeError(`${what} must be known when building the graph`, `Pass ${what} as a list of integers.`);
  if (known.length !== length) ctx.shapeError(`${what} has ${known.length} entries, starts has ${length}`, "starts, ends, axes and steps must have equal lengths.");
  return known;
}

registerOp({
  opType: "Slice",
  domain: "",
  inputs: [3, 5],
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    const rank = x.shape.length;
    const n = vectorLength(ctx, 1, "starts");
    const starts = knownVector(ctx, 1, "starts", n);
    const ends = knownVector(ctx, 2, "ends", n);
    const axes = ctx.optionalInput(3) === undefined ? starts.map((_, i) => i) : knownVector(ctx, 3, "axes", n);
    const steps = ctx.optionalInput(4) === undefined ? starts.map(() => 1) : knownVector(ctx, 4, "steps", n);
    const shape = [...x.shape];
    const seen = new Set<number>();
    axes.forEach((rawAxis, i) => {
      const axis = ctx.axis(rawAxis, rank);
      if (seen.has(axis)) ctx.shapeError(`axis ${axis} is sliced twice`, "Slice each axis once.");
      seen.add(axis);
      if (steps[i] === 0) ctx.shapeError("a step is 0", "Steps must be non-zero.");
      shape[axis] = slicedLength(x.shape[axis]!, starts[i]!, ends[i]!, steps[i]!) ?? ctx.unknown(`d${axis}`);
    });
    let knownValue: Dim[] | undefined;
    if (x.knownValue !== undefined && rank === 1 && steps[0] === 1) {
      const len = x.knownValue.length;
      const s = Math.min(Math.max(starts[0]! < 0 ? starts[0]! + len : starts[0]!, 0), len);
      const e = Math.min(Math.max(ends[0]! < 0 ? ends[0]! + len : ends[0]!, 0), len);
      knownValue = x.knownValue.slice(s, Math.max(s, e));
    }
    return [{ dtype: x.dtype, shape, knownValue }];
  },
});

registerOp({
  opType: "Gather",
  domain: "",
  inputs: [2, 2],
  attributes: { axis: "int" },
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    ctx.requireDType(1, "index");
    const indices = ctx.input(1);
    if (x.shape.length === 0) ctx.shapeError("cannot gather from a scalar", "Gather needs data of rank ≥ 1.");
    const axis = ctx.axis(ctx.int("axis", 0), x.shape.length);
    const size = x.shape[axis]!;
    const idx = ctx.knownInts(1);
    if (idx !== undefined && typeof size === "number") {
      const bad = idx.find((i) => i < -size || i >= size);
      if (bad !== undefined) ctx.shapeError(`index ${bad} is out of range for axis ${axis} of size ${size}`, `Indices must be in [${-size}, ${size - 1}].`);
    }
    const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    let knownValue: Dim[] | undefined;
    if (x.knownValue !== undefined && x.shape.length === 1 && idx !== undefined) {
      const len = x.knownValue.length;
      knownValue = idx.map((i) => x.knownValue![i < 0 ? i + len : i]!);
    }
    return [{ dtype: x.dtype, shape, knownValue }];
  },
});

registerOp({
  opType: "Pad",
  domain: "",
  inputs: [2, 3],
  attributes: { mode: "string" },
  infer(ctx: InferenceContext): OutputDesc[] {
    const x = ctx.input(0);
    const rank = x.shape.length;
    const mode = ctx.string("mode", "constant");
    if (!["constant", "reflect", "edge"].includes(mode)) ctx.shapeError(`unknown mode "${mode}"`, 'Use "constant", "reflect" or "edge".');
    ctx.requireDType(1, "int64");
    const value = ctx.optionalInput(2);
    if (value !== undefined) {
      ctx.sameDType([0, 2]);
      if (value.shape.length > 1 || (value.shape.length === 1 && value.shape[0] !== 1)) {
        ctx.shapeError("the constant value must be a scalar", "Pass a single number.");
      }
    }
    const pads = ctx.knownInts(1);
    if (pads === undefined) return [{ dtype: x.dtype, shape: x.shape.map((_, i) => ctx.unknown(`d${i}`)) }];
    if (pads.length !== 2 * rank) {
      ctx.shapeError(`pads has ${pads.length} entries for a rank-${rank} input`, `Give ${2 * rank} values: all begins, then all ends.`);
    }
    const shape = x.shape.map((d, i) => {
      const [before, after] = [pads[i]!, pads[i + rank]!];
      if (mode === "reflect" && typeof d === "number" && (before >= d || after >= d) && (before > 0 || after > 0)) {
        ctx.shapeError(`reflect padding ${before}/${after} on axis ${i} needs the axis (size ${d}) to be longer than the pad`, "Use smaller pads or mode \"constant\".");
      }
      return dimAdd(d, before + after);
    });
    return [{ dtype: x.dtype, shape }];
  },
});
