import type { Dim } from "./dim.js";
import { type DType, type GraphTensor, expectedArrayName, fileRangeOf, isDType, isIntegerType } from "./dtype.js";
import { GraphError } from "./errors.js";

// Tensor data handed to the builder: validation, construction from numbers, and the contents
// tracked at build time for shape arithmetic.

/** Largest integer constant whose contents are tracked for shape arithmetic. */
export const KNOWN_VALUE_LIMIT = 64;

/** Short description of an unexpected argument for error messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return `${typeof value} ${String(value)}`;
}

const ARRAY_CTORS: Record<DType, new (n: number) => GraphTensor["data"]> = {
  float32: Float32Array, float16: Uint16Array, float64: Float64Array, int64: BigInt64Array,
  int32: Int32Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
};

/** Validates dtype, array class and element count of a tensor handed to the builder. */
export function validateTensor(tensor: GraphTensor, what: string): void {
  if (tensor === null || typeof tensor !== "object" || !isDType(tensor.type)) {
    throw new GraphError(`${what}: expected a tensor {type, dims, data}, got ${describe(tensor)}`);
  }
  let count = 1;
  for (const d of tensor.dims) {
    if (!Number.isInteger(d) || d < 0) throw new GraphError(`${what}: dims [${tensor.dims.join(", ")}] must be non-negative integers`);
    count *= d;
  }
  // A file-backed tensor's range was checked against its dims (fileRangeOf); reading `data` here
  // would pull the weights into memory that ONNX Runtime is meant to read from the file itself.
  if (fileRangeOf(tensor) !== undefined) return;
  const expectedClass = expectedArrayName(tensor.type);
  if (!(tensor.data instanceof ARRAY_CTORS[tensor.type])) {
    throw new GraphError(`${what}: ${tensor.type} data must be a ${expectedClass}, got ${describe(tensor.data)}`);
  }
  if (tensor.data.length !== count) {
    throw new GraphError(`${what}: dims [${tensor.dims.join(", ")}] need ${count} elements, data has ${tensor.data.length}`);
  }
}

/** Contents tracked at build time: small integer vectors (shapes, axes) and numeric scalars (Range bounds). */
export function knownContents(tensor: GraphTensor): readonly Dim[] | undefined {
  if (tensor.type === "float16" || tensor.type === "bool" || tensor.dims.length > 1) return undefined;
  // Counted from dims so that weights still on disk are not read just to be rejected here.
  const count = tensor.dims.length === 0 ? 1 : tensor.dims[0]!;
  const scalar = count === 1;
  if (!scalar && (!isIntegerType(tensor.type) || count > KNOWN_VALUE_LIMIT)) return undefined;
  return Array.from(tensor.data as ArrayLike<number | bigint>, (v) => Number(v));
}

const INT64_MAX = 2n ** 63n - 1n;

/** Builds a tensor from JavaScript numbers; ±Infinity become the int64 limits (Slice "to the end"). */
export function tensorOf(dtype: DType, dims: readonly number[], values: readonly (number | bigint | boolean)[]): GraphTensor {
  const n = values.length;
  const data = new ARRAY_CTORS[dtype](n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (dtype === "int64") {
      (data as BigInt64Array)[i] =
        typeof v === "bigint" ? v
        : v === Infinity ? INT64_MAX
        : v === -Infinity ? -INT64_MAX
        : BigInt(Math.trunc(Number(v)));
    } else if (dtype === "float16") {
      throw new GraphError("float16 constants from numbers are not supported; pass a float16 tensor (Uint16Array of half bits)");
    } else if (dtype === "int32" && (v === Infinity || v === -Infinity)) {
      (data as Int32Array)[i] = v === Infinity ? 2147483647 : -2147483647;
    } else {
      (data as Float32Array)[i] = Number(v);
    }
  }
  return { type: dtype, dims: [...dims], data } as GraphTensor;
}
