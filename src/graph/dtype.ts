import type { Tensor, TensorType } from "../tensor.js";

/**
 * Element types a graph value can have: the shared Tensor types plus float16, which only appears
 * inside graphs (half-precision weights); feeds and fetches stay in the Tensor types.
 */
export type DType = TensorType | "float16";

export const DTYPES: readonly DType[] = ["float32", "float16", "float64", "int64", "int32", "int8", "uint8", "bool"];

/** TensorProto.DataType codes from onnx.proto. */
export const ONNX_DATA_TYPE: Readonly<Record<DType, number>> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
};

export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  float32: 4,
  float16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** A tensor held by a graph as an initializer or constant. float16 data is raw IEEE half bits. */
export type Float16Tensor = { readonly type: "float16"; readonly dims: readonly number[]; readonly data: Uint16Array };
export type GraphTensor = Tensor | Float16Tensor;

import type { FileRange } from "../file-range.js";

export type { FileIdentity, FileRange } from "../file-range.js";
export { sameFileIdentity } from "../file-range.js";

/**
 * The file range of a file-backed tensor (one that reads its data only when `data` is first
 * accessed), or undefined for an ordinary tensor. The range is a non-enumerable `fileRange`
 * property, so `{ ...tensor, data: other }` yields a plain tensor rather than a stale reference.
 */
export function fileRangeOf(tensor: GraphTensor): FileRange | undefined {
  const range = (tensor as { readonly fileRange?: FileRange }).fileRange;
  return range !== undefined && typeof range.path === "string" && range.length === tensorByteLength(tensor) ? range : undefined;
}

/** Bytes of a tensor's elements, from its dims (never touches `data`, which may still be on disk). */
export function tensorByteLength(tensor: GraphTensor): number {
  let count = 1;
  for (const d of tensor.dims) count *= d;
  return count * DTYPE_BYTES[tensor.type];
}

export function isDType(value: unknown): value is DType {
  return typeof value === "string" && (DTYPES as readonly string[]).includes(value);
}

export function isFloatType(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float16" || dtype === "float64";
}

export function isIntegerType(dtype: DType): boolean {
  return dtype === "int64" || dtype === "int32" || dtype === "int8" || dtype === "uint8";
}

/** Types arithmetic ops (Add, Mul, MatMul, …) accept. */
export function isNumericType(dtype: DType): boolean {
  return isFloatType(dtype) || isIntegerType(dtype);
}

/** Typed-array constructor holding elements of `dtype`. */
export function typedArrayFor(dtype: DType, length: number): GraphTensor["data"] {
  switch (dtype) {
    case "float32": return new Float32Array(length);
    case "float16": return new Uint16Array(length);
    case "float64": return new Float64Array(length);
    case "int64": return new BigInt64Array(length);
    case "int32": return new Int32Array(length);
    case "int8": return new Int8Array(length);
    case "uint8": return new Uint8Array(length);
    case "bool": return new Uint8Array(length);
  }
}

/** The typed-array class each dtype's data must be, for validating tensors handed to the builder. */
export function expectedArrayName(dtype: DType): string {
  switch (dtype) {
    case "float32": return "Float32Array";
    case "float16": return "Uint16Array";
    case "float64": return "Float64Array";
    case "int64": return "BigInt64Array";
    case "int32": return "Int32Array";
    case "int8": return "Int8Array";
    case "uint8":
    case "bool": return "Uint8Array";
  }
}
