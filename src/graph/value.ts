import type { Dim, Shape } from "./dim.js";
import type { DType } from "./dtype.js";
import type { ValueId } from "./ir.js";

/**
 * A handle on a value inside one GraphBuilder: what model code passes between builder calls.
 * It carries the inferred dtype and shape so model code can branch on them (`x.shape[1]`).
 */
export class Value {
  constructor(
    /** The builder that made this value; handles are not interchangeable between builders. */
    readonly builderId: number,
    readonly id: ValueId,
    readonly dtype: DType,
    readonly shape: Shape,
    /** Build-time contents of small integer vectors (shape arithmetic) and numeric scalars. */
    readonly knownValue?: readonly Dim[],
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  /** The size of one axis; negative axes count from the end. */
  dim(axis: number): Dim {
    const a = axis < 0 ? axis + this.shape.length : axis;
    const d = this.shape[a];
    if (d === undefined) throw new RangeError(`axis ${axis} is out of range for a value of rank ${this.shape.length}`);
    return d;
  }
}
