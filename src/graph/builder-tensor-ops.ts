import { attr } from "./attributes.js";
import { MathOps, type Operand } from "./builder-math.js";
import { tensorOf } from "./tensor-data.js";
import type { DType } from "./dtype.js";
import { GraphError } from "./errors.js";
import { Value } from "./value.js";

/** A shape, axes or index list: a Value (int64, 1-D) or a list of numbers turned into a constant. */
export type IntsArg = Value | readonly number[];

/** Layout ops: reshaping, slicing, joining, gathering, padding. */
export class TensorOps extends MathOps {
  protected ints(values: IntsArg): Value {
    return values instanceof Value ? values : this.vector(values, "int64");
  }

  /** Reshape with ONNX semantics: 0 copies the input dim at that position, -1 is inferred. */
  reshape(x: Value, shape: IntsArg): Value {
    return this.op1("Reshape", [x, this.ints(shape)]);
  }

  /** Permutes axes; without perm, reverses them. */
  transpose(x: Value, perm?: readonly number[]): Value {
    return this.op1("Transpose", [x], { perm: perm === undefined ? undefined : attr.ints(perm) });
  }

  concat(values: readonly Value[], axis: number): Value {
    if (values.length === 0) throw new GraphError("concat needs at least one value");
    return this.op1("Concat", values, { axis: attr.int(axis) });
  }

  /** Splits into parts of the given sizes, or into `parts` equal pieces when given a number. */
  split(x: Value, sizes: readonly number[] | number, axis = 0): Value[] {
    if (typeof sizes === "number") {
      if (!Number.isInteger(sizes) || sizes < 1) throw new GraphError(`split: the number of parts must be a positive integer, got ${sizes}`);
      return this.op("Split", [x], { axis: attr.int(axis) }, { outputs: sizes });
    }
    return this.op("Split", [x, this.vector(sizes, "int64")], { axis: attr.int(axis) }, { outputs: sizes.length });
  }

  /** ONNX Slice; Infinity / -Infinity as ends mean "to the end" / "to the start". */
  slice(x: Value, starts: IntsArg, ends: IntsArg, axes?: IntsArg, steps?: IntsArg): Value {
    return this.op1("Slice", [
      x,
      this.ints(starts),
      this.ints(ends),
      axes === undefined ? undefined : this.ints(axes),
      steps === undefined ? undefined : this.ints(steps),
    ]);
  }

  /** x[..., start:end:step, ...] on one axis, Python style (negative start/end count from the end). */
  sliceAxis(x: Value, axis: number, start: number, end = Infinity, step = 1): Value {
    return this.slice(x, [start], [end], [axis], step === 1 ? undefined : [step]);
  }

  /**
   * Gather along `axis`. A number index drops the axis (like x[i]); a list keeps it; a Value of
   * indices (int64/int32) inserts its shape there (embedding lookup).
   */
  gather(x: Value, indices: Value | number | readonly number[], axis = 0): Value {
    const idx =
      indices instanceof Value ? indices
      : typeof indices === "number" ? this.scalar(indices, "int64")
      : this.vector(indices, "int64");
    return this.op1("Gather", [x, idx], { axis: attr.int(axis) });
  }

  unsqueeze(x: Value, axes: readonly number[]): Value {
    return this.op1("Unsqueeze", [x, this.vector(axes, "int64")]);
  }

  /** Removes size-1 axes (all of them when axes is omitted and every dim is concrete). */
  squeeze(x: Value, axes?: readonly number[]): Value {
    return this.op1("Squeeze", [x, axes === undefined ? undefined : this.vector(axes, "int64")]);
  }

  /** To 2-D: [prod(dims before axis), prod(dims from axis)]. */
  flatten(x: Value, axis = 1): Value {
    return this.op1("Flatten", [x], { axis: attr.int(axis) });
  }

  /** Broadcasts x to `shape` (numpy rules; a 1 in shape keeps x's dim). */
  expand(x: Value, shape: IntsArg): Value {
    return this.op1("Expand", [x, this.ints(shape)]);
  }

  /** The shape of x as a 1-D int64 value, optionally sliced [start, end). */
  shape(x: Value, start?: number, end?: number): Value {
    return this.op1("Shape", [x], {
      start: start === undefined ? undefined : attr.int(start),
      end: end === undefined ? undefined : attr.int(end),
    });
  }

  /** A tensor of the given shape filled with `value`. */
  constantOfShape(shape: IntsArg, value = 0, dtype: DType = "float32"): Value {
    return this.op1("ConstantOfShape", [this.ints(shape)], { value: attr.tensor(tensorOf(dtype, [1], [value])) });
  }

  /** [start, start+delta, …) up to limit; numbers become scalars of the Value operands' type (int64 if none). */
  range(start: Operand, limit: Operand, delta: Operand = 1): Value {
    const typed = [start, limit, delta].find((v): v is Value => v instanceof Value);
    const dtype = typed?.dtype ?? "int64";
    const scalar = (v: Operand): Value => (v instanceof Value ? v : this.scalar(v, dtype));
    return this.op1("Range", [scalar(start), scalar(limit), scalar(delta)]);
  }

  /**
   * Pads with ONNX's layout [begin_0, begin_1, …, end_0, end_1, …]. Mode "reflect" mirrors without
   * repeating the edge (PyTorch's reflect); "edge" repeats it.
   */
  pad(x: Value, pads: IntsArg, options: { mode?: "constant" | "reflect" | "edge"; value?: number } = {}): Value {
    const mode = options.mode ?? "constant";
    const value = options.value === undefined || mode !== "constant" ? undefined : this.scalar(options.value, x.dtype);
    return this.op1("Pad", [x, this.ints(pads), value], { mode: attr.string(mode) });
  }

  tile(x: Value, repeats: IntsArg): Value {
    return this.op1("Tile", [x, this.ints(repeats)]);
  }
}
