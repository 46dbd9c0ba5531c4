import { type Attribute, type Attributes, describeAttribute } from "./attributes.js";
import { type Dim, type Shape, formatShape } from "./dim.js";
import { type DType, isFloatType, isIntegerType, isNumericType } from "./dtype.js";
import { DTypeError, GraphError, type OpLocation, ShapeError } from "./errors.js";
import { broadcastShapes, normalizeAxis, unknownDim } from "./shape.js";

/** What shape inference knows about one input. */
export interface InputDesc {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly knownValue?: readonly Dim[];
}

/** What shape inference concludes about one output. */
export interface OutputDesc {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly knownValue?: readonly Dim[];
}

export type AttributeType = Attribute["type"];

/**
 * One op the builder knows: arity, accepted attributes, and shape/dtype inference. The op set is
 * small and explicit on purpose; the autodiff pass will attach a vector-Jacobian rule to each.
 */
export interface OpSchema {
  readonly opType: string;
  readonly domain: string;
  /** Minimum and maximum number of inputs (optional inputs included in the maximum). */
  readonly inputs: readonly [number, number];
  /** Fixed output count, or "any" when the caller chooses it (Split). */
  readonly outputs?: number | "any";
  readonly attributes?: Readonly<Record<string, AttributeType>>;
  infer(ctx: InferenceContext): OutputDesc[];
}

/** Handed to OpSchema.infer: typed access to inputs and attributes, and error helpers. */
export class InferenceContext {
  constructor(
    readonly location: OpLocation,
    readonly inputs: readonly (InputDesc | undefined)[],
    readonly attributes: Attributes,
    readonly numOutputs: number,
  ) {}

  get opType(): string {
    return this.location.opType;
  }

  /** "A: float32[batch, 4]" lines for error messages. */
  describeInputs(): string[] {
    return this.inputs.map((input, i) =>
      input === undefined ? `#${i}: (omitted)` : `#${i}: ${input.dtype}${formatShape(input.shape)}`,
    );
  }

  shapeError(problem: string, hint: string): never {
    throw new ShapeError(this.location, this.describeInputs(), problem, hint);
  }

  dtypeError(problem: string, hint: string): never {
    throw new DTypeError(this.location, problem, hint);
  }

  input(index: number): InputDesc {
    const input = this.inputs[index];
    if (input === undefined) this.shapeError(`input #${index} is required`, "Pass a value for it.");
    return input;
  }

  optionalInput(index: number): InputDesc | undefined {
    return this.inputs[index];
  }

  private attribute(name: string, type: AttributeType): Attribute | undefined {
    const a = this.attributes[name];
    if (a !== undefined && a.type !== type) {
      throw new GraphError(`${this.location.opType} (node "${this.location.nodeName}"): attribute "${name}" must be ${type}, got ${a.type} ${describeAttribute(a)}`);
    }
    return a;
  }

  int(name: string, fallback: number): number {
    const a = this.attribute(name, "int");
    return a === undefined ? fallback : (a.value as number);
  }

  requiredInt(name: string): number {
    const a = this.attribute(name, "int");
    if (a === undefined) this.shapeError(`attribute "${name}" is required`, `Set ${name}.`);
    return a.value as number;
  }

  float(name: string, fallback: number): number {
    const a = this.attribute(name, "float");
    return a === undefined ? fallback : (a.value as number);
  }

  string(name: string, fallback: string): string {
    const a = this.attribute(name, "string");
    return a === undefined ? fallback : (a.value as string);
  }

  ints(name: string): readonly number[] | undefined {
    const a = this.attribute(name, "ints");
    return a === undefined ? undefined : (a.value as readonly number[]);
  }

  tensorAttribute(name: string): Attribute | undefined {
    return this.attribute(name, "tensor");
  }

  /** Normalises an axis against a rank, or fails naming the op and the valid range. */
  axis(axis: number, rank: number, what = "axis"): number {
    const a = normalizeAxis(axis, rank);
    if (a === undefined) {
      this.shapeError(`${what} ${axis} is out of range for rank ${rank}`, `Use an axis in [${-rank}, ${rank - 1}].`);
    }
    return a;
  }

  /** Numpy broadcast of the given inputs' shapes, or a ShapeError naming the clashing axis. */
  broadcast(indices: readonly number[]): Dim[] {
    const shapes = indices.map((i) => this.input(i).shape);
    const result = broadcastShapes(shapes, this.location.nodeName);
    if ("conflictAxisFromEnd" in result) {
      const k = result.conflictAxisFromEnd;
      const sizes = shapes.map((s) => (k <= s.length ? String(s[s.length - k]) : "-")).join(" vs ");
      this.shapeError(
        `shapes do not broadcast: axis -${k} has sizes ${sizes}`,
        "Broadcasting needs each axis (aligned from the right) to be equal or 1; reshape or unsqueeze one operand.",
      );
    }
    return result.shape;
  }

  /** A fresh unknown dimension labelled with this node. */
  unknown(label: string): Dim {
    return unknownDim(`${this.location.nodeName}.${label}`);
  }

  /** All listed inputs must share one element type (ONNX type constraint "T"). */
  sameDType(indices: readonly number[]): DType {
    const present = indices.filter((i) => this.inputs[i] !== undefined);
    const first = this.input(present[0]!).dtype;
    for (const i of present) {
      const t = this.input(i).dtype;
      if (t !== first) {
        this.dtypeError(
          `inputs must share one element type, got ${present.map((j) => this.input(j).dtype).join(" and ")}`,
          "Insert a Cast (g.cast) so both operands have the same type.",
        );
      }
    }
    return first;
  }

  requireDType(index: number, accepts: "float" | "numeric" | "integer" | "bool" | "int64" | "index"): DType {
    const t = this.input(index).dtype;
    const ok =
      accepts === "float" ? isFloatType(t)
      : accepts === "numeric" ? isNumericType(t)
      : accepts === "integer" ? isIntegerType(t)
      : accepts === "bool" ? t === "bool"
      : accepts === "int64" ? t === "int64"
      : t === "int64" || t === "int32";
    if (!ok) {
      const wanted =
        accepts === "float" ? "a float type (float32, float16, float64)"
        : accepts === "numeric" ? "a numeric type"
        : accepts === "integer" ? "an integer type"
        : accepts === "bool" ? "bool"
        : accepts === "int64" ? "int64"
        : "int64 or int32";
      this.dtypeError(`input #${index} has type ${t}, expected ${wanted}`, "Cast the input first (g.cast).");
    }
    return t;
  }

  /** Build-time contents of an integer input, when known and fully concrete. */
  knownInts(index: number): number[] | undefined {
    const v = this.inputs[index]?.knownValue;
    if (v === undefined || v.some((d) => typeof d !== "number")) return undefined;
    return v as number[];
  }
}

const registry = new Map<string, OpSchema>();

function key(domain: string, opType: string): string {
  return `${domain}::${opType}`;
}

export function registerOp(schema: OpSchema): void {
  registry.set(key(schema.domain, schema.opType), schema);
}

export function getOpSchema(opType: string, domain = ""): OpSchema | undefined {
  return registry.get(key(domain, opType));
}

/** Every op the builder accepts, as "OpType" or "domain.OpType". */
export function registeredOps(): string[] {
  return [...registry.values()].map((s) => (s.domain ? `${s.domain}.${s.opType}` : s.opType)).sort();
}
