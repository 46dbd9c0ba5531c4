import { attr } from "./attributes.js";
import { GraphBuilderCore } from "./builder-core.js";
import { type DType, ONNX_DATA_TYPE } from "./dtype.js";
import { GraphError } from "./errors.js";
import { Value } from "./value.js";

/** A value, or a JavaScript number that becomes a scalar constant of the other operand's type. */
export type Operand = Value | number;

/**
 * Element-wise math, matrix products, normalisation and reductions. Method names follow the ONNX
 * op names in camelCase; each adds one node (gelu adds the exact erf form).
 */
export class MathOps extends GraphBuilderCore {
  /** Resolves numbers to scalar constants typed like the Value operand. */
  protected operands(opType: string, ...xs: Operand[]): Value[] {
    const typed = xs.find((x): x is Value => x instanceof Value);
    if (typed === undefined) throw new GraphError(`${opType}: at least one operand must be a graph Value, got only numbers`);
    return xs.map((x) => (x instanceof Value ? x : this.scalar(x, typed.dtype)));
  }

  private binary(opType: string, a: Operand, b: Operand): Value {
    return this.op1(opType, this.operands(opType, a, b));
  }

  add(a: Operand, b: Operand): Value { return this.binary("Add", a, b); }
  sub(a: Operand, b: Operand): Value { return this.binary("Sub", a, b); }
  mul(a: Operand, b: Operand): Value { return this.binary("Mul", a, b); }
  div(a: Operand, b: Operand): Value { return this.binary("Div", a, b); }
  pow(a: Operand, b: Operand): Value { return this.binary("Pow", a, b); }
  /** Integer remainder; for floats pass { fmod: true } (C fmod semantics). */
  mod(a: Operand, b: Operand, options: { fmod?: boolean } = {}): Value {
    return this.op1("Mod", this.operands("Mod", a, b), { fmod: options.fmod ? attr.int(1) : undefined });
  }

  equal(a: Operand, b: Operand): Value { return this.binary("Equal", a, b); }
  less(a: Operand, b: Operand): Value { return this.binary("Less", a, b); }
  greater(a: Operand, b: Operand): Value { return this.binary("Greater", a, b); }
  lessOrEqual(a: Operand, b: Operand): Value { return this.binary("LessOrEqual", a, b); }
  greaterOrEqual(a: Operand, b: Operand): Value { return this.binary("GreaterOrEqual", a, b); }
  and(a: Value, b: Value): Value { return this.op1("And", [a, b]); }
  or(a: Value, b: Value): Value { return this.op1("Or", [a, b]); }
  not(x: Value): Value { return this.op1("Not", [x]); }

  /** Element-wise minimum of any number of operands (broadcasting). */
  min(...xs: Operand[]): Value { return this.op1("Min", this.operands("Min", ...xs)); }
  max(...xs: Operand[]): Value { return this.op1("Max", this.operands("Max", ...xs)); }

  /** cond ? a : b, element-wise with broadcasting. */
  where(cond: Value, a: Operand, b: Operand): Value {
    return this.op1("Where", [cond, ...this.operands("Where", a, b)]);
  }

  /**
   * Dropout with drop probability `ratio` where PyTorch has nn.Dropout: the identity at inference
   * (ONNX Runtime removes the node); buildTrainingGraph turns it into training-mode dropout.
   * A ratio of 0 adds no node.
   */
  dropout(x: Value, ratio: number): Value {
    if (!(ratio >= 0 && ratio < 1)) throw new GraphError(`dropout: ratio must be in [0, 1), got ${ratio}`);
    if (ratio === 0) return x;
    return this.op1("Dropout", [x, this.scalar(ratio, x.dtype)]);
  }

  sqrt(x: Value): Value { return this.op1("Sqrt", [x]); }
  neg(x: Value): Value { return this.op1("Neg", [x]); }
  abs(x: Value): Value { return this.op1("Abs", [x]); }
  exp(x: Value): Value { return this.op1("Exp", [x]); }
  log(x: Value): Value { return this.op1("Log", [x]); }
  erf(x: Value): Value { return this.op1("Erf", [x]); }
  tanh(x: Value): Value { return this.op1("Tanh", [x]); }
  relu(x: Value): Value { return this.op1("Relu", [x]); }
  sigmoid(x: Value): Value { return this.op1("Sigmoid", [x]); }
  floor(x: Value): Value { return this.op1("Floor", [x]); }
  ceil(x: Value): Value { return this.op1("Ceil", [x]); }
  reciprocal(x: Value): Value { return this.op1("Reciprocal", [x]); }
  sin(x: Value): Value { return this.op1("Sin", [x]); }
  cos(x: Value): Value { return this.op1("Cos", [x]); }
  identity(x: Value): Value { return this.op1("Identity", [x]); }

  cast(x: Value, to: DType): Value {
    if (x.dtype === to) return x;
    return this.op1("Cast", [x], { to: attr.int(ONNX_DATA_TYPE[to]) });
  }

  /** Clamps to [min, max]; either bound may be omitted. */
  clip(x: Value, min?: number | Value, max?: number | Value): Value {
    const bound = (b: number | Value | undefined): Value | undefined =>
      b === undefined ? undefined : b instanceof Value ? b : this.scalar(b, x.dtype);
    return this.op1("Clip", [x, bound(min), bound(max)]);
  }

  /** numpy matmul: batched, broadcasting leading dims. */
  matMul(a: Value, b: Value): Value { return this.op1("MatMul", [a, b]); }

  /** alpha·op(A)·op(B) + beta·C on 2-D A and B; transB=true takes a PyTorch [out, in] weight as is. */
  gemm(a: Value, b: Value, c?: Value, options: { alpha?: number; beta?: number; transA?: boolean; transB?: boolean } = {}): Value {
    return this.op1("Gemm", [a, b, c], {
      alpha: options.alpha === undefined ? undefined : attr.float(options.alpha),
      beta: options.beta === undefined ? undefined : attr.float(options.beta),
      transA: options.transA ? attr.int(1) : undefined,
      transB: options.transB ? attr.int(1) : undefined,
    });
  }

  softmax(x: Value, axis = -1): Value {
    return this.op1("Softmax", [x], { axis: attr.int(axis) });
  }

  /** LayerNormalization over the axes from `axis` to the end (PyTorch nn.LayerNorm with axis −1). */
  layerNormalization(x: Value, scale: Value, bias?: Value, options: { axis?: number; epsilon?: number } = {}): Value {
    return this.op1("LayerNormalization", [x, scale, bias], {
      axis: attr.int(options.axis ?? -1),
      epsilon: attr.float(options.epsilon ?? 1e-5),
    });
  }

  /** Per-channel normalisation of [N, C, D...] over the spatial axes (GroupNorm with groups == C). */
  instanceNormalization(x: Value, scale: Value, bias: Value, options: { epsilon?: number } = {}): Value {
    return this.op1("InstanceNormalization", [x, scale, bias], { epsilon: attr.float(options.epsilon ?? 1e-5) });
  }

  /** Mean over `axes` (all axes when omitted); keepDims defaults to true as in ONNX. */
  reduceMean(x: Value, axes?: readonly number[], options: { keepDims?: boolean } = {}): Value {
    return this.reduceWithAttribute("ReduceMean", x, axes, options.keepDims);
  }

  reduceMax(x: Value, axes?: readonly number[], options: { keepDims?: boolean } = {}): Value {
    return this.reduceWithAttribute("ReduceMax", x, axes, options.keepDims);
  }

  reduceMin(x: Value, axes?: readonly number[], options: { keepDims?: boolean } = {}): Value {
    return this.reduceWithAttribute("ReduceMin", x, axes, options.keepDims);
  }

  reduceSum(x: Value, axes?: readonly number[], options: { keepDims?: boolean } = {}): Value {
    return this.op1("ReduceSum", [x, axes === undefined ? undefined : this.vector(axes)], {
      keepdims: attr.int(options.keepDims === false ? 0 : 1),
    });
  }

  private reduceWithAttribute(opType: string, x: Value, axes: readonly number[] | undefined, keepDims: boolean | undefined): Value {
    return this.op1(opType, [x], {
      axes: axes === undefined ? undefined : attr.ints(axes),
      keepdims: attr.int(keepDims === false ? 0 : 1),
    });
  }

  argMax(x: Value, axis = 0, options: { keepDims?: boolean } = {}): Value {
    return this.op1("ArgMax", [x], { axis: attr.int(axis), keepdims: attr.int(options.keepDims === false ? 0 : 1) });
  }

  /** Running sum along `axis`; exclusive starts from 0, reverse sums from the end. */
  cumSum(x: Value, axis: number, options: { exclusive?: boolean; reverse?: boolean } = {}): Value {
    return this.op1("CumSum", [x, this.scalar(axis, "int64")], {
      exclusive: options.exclusive ? attr.int(1) : undefined,
      reverse: options.reverse ? attr.int(1) : undefined,
    });
  }

  /**
   * GELU. "none" is the exact erf form x·½·(1 + erf(x/√2)) (PyTorch's default, HF "gelu"), written
   * in the Div→Erf→Add→Mul→Mul order ONNX Runtime fuses into one kernel; "tanh" is the tanh
   * approximation (HF "gelu_new" / "gelu_pytorch_tanh").
   */
  gelu(x: Value, approximate: "none" | "tanh" = "none"): Value {
    if (approximate === "tanh") {
      const cube = this.mul(this.mul(x, x), x);
      const inner = this.mul(this.add(x, this.mul(cube, 0.044715)), Math.sqrt(2 / Math.PI));
      return this.mul(this.mul(x, 0.5), this.add(this.tanh(inner), 1));
    }
    const erf = this.erf(this.div(x, Math.SQRT2));
    return this.mul(this.mul(x, this.add(erf, 1)), 0.5);
  }
}
