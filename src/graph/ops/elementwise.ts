import { type Dim, dimAdd, dimFloorDiv, dimMul, dimSub } from "../dim.js";
import { type DType, ONNX_DATA_TYPE, isFloatType } from "../dtype.js";
import { type InferenceContext, type InputDesc, type OutputDesc, registerOp } from "../op-schema.js";

// Unary ops: output has the input's shape and (except Not) type.
const UNARY_FLOAT = ["Sqrt", "Exp", "Log", "Erf", "Tanh", "Sigmoid", "Reciprocal", "Sin", "Cos", "Floor", "Ceil"];
const UNARY_NUMERIC = ["Neg", "Abs", "Relu"];

function unary(accepts: "float" | "numeric" | "bool" | "any") {
  return (ctx: InferenceContext): OutputDesc[] => {
    if (accepts !== "any") ctx.requireDType(0, accepts);
    const x = ctx.input(0);
    return [{ dtype: x.dtype, shape: x.shape, knownValue: accepts === "any" ? x.knownValue : undefined }];
  };
}

for (const opType of UNARY_FLOAT) registerOp({ opType, domain: "", inputs: [1, 1], infer: unary("float") });
for (const opType of UNARY_NUMERIC) registerOp({ opType, domain: "", inputs: [1, 1], infer: unary("numeric") });
registerOp({ opType: "Not", domain: "", inputs: [1, 1], infer: unary("bool") });
registerOp({ opType: "Identity", domain: "", inputs: [1, 1], infer: unary("any") });

/** Element-wise arithmetic on build-time known integer vectors (shape arithmetic). */
function foldKnown(a: InputDesc, b: InputDesc, op: (x: Dim, y: Dim) => Dim | undefined): Dim[] | undefined {
  const va = a.knownValue;
  const vb = b.knownValue;
  if (va === undefined || vb === undefined || a.shape.length > 1 || b.shape.length > 1) return undefined;
  const n = Math.max(va.length, vb.length);
  if ((va.length !== n && va.length !== 1) || (vb.length !== n && vb.length !== 1)) return undefined;
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const r = op(va[va.length === 1 ? 0 : i]!, vb[vb.length === 1 ? 0 : i]!);
    if (r === undefined) return undefined;
    out.push(r);
  }
  return out;
}

type Fold = (x: Dim, y: Dim) => Dim | undefined;
const ARITHMETIC: ReadonlyArray<[string, Fold | undefined]> = [
  ["Add", dimAdd],
  ["Sub", dimSub],
  ["Mul", dimMul],
  // integer Div truncates; shape values are non-negative, where that equals floor division
  ["Div", (x, y) => (y === 0 ? undefined : dimFloorDiv(x, y))],
];

for (const [opType, fold] of ARITHMETIC) {
  registerOp({
    opType,
    domain: "",
    inputs: [2, 2],
    infer(ctx: InferenceContext) {
      ctx.requireDType(0, "numeric");
      const dtype = ctx.sameDType([0, 1]);
      const shape = ctx.broadcast([0, 1]);
      const knownValue = fold && !isFloatType(dtype) ? foldKnown(ctx.input(0), ctx.input(1), fold) : undefined;
      return [{ dtype, shape, knownValue }];
    },
  });
}

registerOp({
  opType: "Pow",
  domain: "",
  inputs: [2, 2],
  infer(ctx: InferenceContext) {
    const dtype = ctx.requireDType(0, "numeric");
    ctx.requireDType(1, "numeric");
    return [{ dtype, shape: ctx.broadcast([0, 1]) }];
  },
});

registerOp({
  opType: "Mod",
  domain: "",
  inputs: [2, 2],
  attributes: { fmod: "int" },
  infer(ctx: InferenceContext) {
    const dtype = ctx.sameDType([0, 1]);
    ctx.requireDType(0, "numeric");
    if (isFloatType(dtype) && ctx.int("fmod", 0) !== 1) {
      ctx.dtypeError("Mod of floating-point inputs needs fmod=1", "Pass { fmod: true } or use integer inputs.");
    }
    return [{ dtype, shape: ctx.broadcast([0, 1]) }];
  },
});

// Comparisons produce bool.
for (const opType of ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"]) {
  registerOp({
    opType,
    domain: "",
    inputs: [2, 2],
    infer(ctx: InferenceContext) {
      ctx.sameDType([0, 1]);
      return [{ dtype: "bool", shape: ctx.broadcast([0, 1]) }];
    },
  });
}

for (const opType of ["And", "Or", "Xor"]) {
  registerOp({
    opType,
    domain: "",
    inputs: [2, 2],
    infer(ctx: InferenceContext) {
      ctx.requireDType(0, "bool");
      ctx.requireDType(1, "bool");
      return [{ dtype: "bool", shape: ctx.broadcast([0, 1]) }];
    },
  });
}

// Variadic Min/Max/Sum/Mean with broadcasting.
for (const opType of ["Min", "Max", "Sum", "Mean"]) {
  registerOp({
    opType,
    domain: "",
    inputs: [1, 2147483647],
    infer(ctx: InferenceContext) {
      const all = ctx.inputs.map((_, i) => i);
      ctx.requireDType(0, opType === "Mean" ? "float" : "numeric");
      const dtype = ctx.sameDType(all);
      return [{ dtype, shape: ctx.broadcast(all) }];
    },
  });
}

registerOp({
  opType: "Where",
  domain: "",
  inputs: [3, 3],
  infer(ctx: InferenceContext) {
    ctx.requireDType(0, "bool");
    const dtype = ctx.sameDType([1, 2]);
    return [{ dtype, shape: ctx.broadcast([0, 1, 2]) }];
  },
});

registerOp({
  opType: "Clip",
  domain: "",
  inputs: [1, 3],
  infer(ctx: InferenceContext) {
    ctx.requireDType(0, "numeric");
    const dtype = ctx.sameDType([0, 1, 2]);
    for (const i of [1, 2]) {
      const bound = ctx.optionalInput(i);
      if (bound !== undefined && bound.shape.length !== 0 && !(bound.shape.length === 1 && bound.shape[0] === 1)) {
        ctx.shapeError(`the ${i === 1 ? "min" : "max"} bound must be a scalar`, "Pass a scalar (or a number) as the bound.");
      }
    }
    return [{ dtype, shape: ctx.input(0).shape }];
  },
});

const DTYPE_BY_CODE = new Map<number, DType>(Object.entries(ONNX_DATA_TYPE).map(([k, v]) => [v, k as DType]));

/** The DType for an ONNX TensorProto.DataType code, if it is one we handle. */
export function dtypeFromOnnxCode(code: number): DType | undefined {
  return DTYPE_BY_CODE.get(code);
}

registerOp({
  opType: "Cast",
  domain: "",
  inputs: [1, 1],
  attributes: { to: "int" },
  infer(ctx: InferenceContext) {
    const code = ctx.requiredInt("to");
    const dtype = DTYPE_BY_CODE.get(code);
    if (dtype === undefined) ctx.dtypeError(`unsupported target type code ${code}`, "Cast to one of the supported element types.");
    const x = ctx.input(0);
    const keep = x.knownValue !== undefined && (dtype === "int64" || dtype === "int32");
    return [{ dtype, shape: x.shape, knownValue: keep ? x.knownValue : undefined }];
  },
});
