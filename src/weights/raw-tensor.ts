import type { Tensor, TensorType } from "../tensor.js";
import { describeValue } from "../errors.js";
import { type Dtype, type DtypeArrayMap, dtypeArrayConstructor, dtypeSize, HOST_IS_LITTLE_ENDIAN, isDtype, littleEndianBytes, typedArrayFromBytes } from "./dtypes.js";
import { InvalidTensorError, UnsupportedWeightsError } from "./errors.js";
import { bfloat16BitsToFloat32, float16BitsToFloat32, float8ToFloat32 } from "../util/float-conversion.js";

/**
 * A tensor exactly as stored in a checkpoint: its source dtype, its shape and its elements in that
 * dtype's typed array (F16/BF16/F8 as raw bit patterns). `data` may be a view into the file's
 * buffer: copy it before mutating.
 */
export interface RawTensor<D extends Dtype = Dtype> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: DtypeArrayMap[D];
}

export function shapeNumel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function rawTensorFromBytes<D extends Dtype>(dtype: D, shape: readonly number[], bytes: Uint8Array): RawTensor<D> {
  return { dtype, shape: [...shape], data: typedArrayFromBytes(dtype, bytes) };
}

/** The tensor's elements as little-endian bytes (a view on little-endian hosts). */
export function rawTensorBytes(raw: RawTensor): Uint8Array {
  return littleEndianBytes(raw.data);
}

/**
 * Float32 values of any stored dtype, the form model builders consume. F32 is returned as is
 * (possibly a view into the file), every other dtype is converted into a new array: F16/BF16/F8
 * exactly, F64 rounded to nearest, integers as `tensor.float()` would.
 */
export function rawToFloat32(raw: RawTensor): Float32Array {
  switch (raw.dtype) {
    case "F32":
      return raw.data as Float32Array;
    case "F16":
      return float16BitsToFloat32(raw.data as Uint16Array);
    case "BF16":
      return bfloat16BitsToFloat32(raw.data as Uint16Array);
    case "F8_E4M3":
    case "F8_E5M2":
    case "F8_E8M0":
      return float8ToFloat32(raw.data as Uint8Array, raw.dtype);
    case "I64":
    case "U64":
      return int64ToFloat32(raw.data as BigInt64Array | BigUint64Array, raw.dtype === "I64");
    default:
      // F64, BOOL and the ≤32-bit integers: the typed-array constructor converts element-wise.
      return new Float32Array(raw.data as Float64Array);
  }
}

/** 64-bit integers via their 32-bit halves: avoids allocating a BigInt per element. */
function int64ToFloat32(data: BigInt64Array | BigUint64Array, signed: boolean): Float32Array {
  const halves = new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
  const out = new Float32Array(data.length);
  const [lo, hi] = HOST_IS_LITTLE_ENDIAN ? [0, 1] : [1, 0];
  for (let i = 0; i < data.length; i++) {
    const high = signed ? halves[2 * i + hi] | 0 : halves[2 * i + hi];
    out[i] = high * 4294967296 + halves[2 * i + lo];
  }
  return out;
}

/**
 * The shared `Tensor` closest to the stored dtype: floats narrower than 32 bits widen to float32,
 * 16-bit integers to int32, U32 to int64. U64 has no lossless match and is refused.
 */
export function rawToTensor(raw: RawTensor, name = "tensor"): Tensor {
  const dims = [...raw.shape];
  switch (raw.dtype) {
    case "F32":
    case "F16":
    case "BF16":
    case "F8_E4M3":
    case "F8_E5M2":
    case "F8_E8M0":
      return { type: "float32", dims, data: rawToFloat32(raw) };
    case "F64":
      return { type: "float64", dims, data: raw.data as Float64Array };
    case "I64":
      return { type: "int64", dims, data: raw.data as BigInt64Array };
    case "I32":
      return { type: "int32", dims, data: raw.data as Int32Array };
    case "I16":
    case "U16":
      return { type: "int32", dims, data: new Int32Array(raw.data as Int16Array) };
    case "U32": {
      const src = raw.data as Uint32Array;
      const out = new BigInt64Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = BigInt(src[i]);
      return { type: "int64", dims, data: out };
    }
    case "I8":
      return { type: "int8", dims, data: raw.data as Int8Array };
    case "U8":
      return { type: "uint8", dims, data: raw.data as Uint8Array };
    case "BOOL":
      return { type: "bool", dims, data: raw.data as Uint8Array };
    case "U64":
      throw new UnsupportedWeightsError(
        `${name} is U64, which no shared Tensor type holds without loss; read it with getRaw() instead`,
        { tensor: name },
      );
  }
}

const TENSOR_TYPE_TO_DTYPE: Record<TensorType, Dtype> = {
  float32: "F32",
  float64: "F64",
  int32: "I32",
  int64: "I64",
  bool: "BOOL",
  uint8: "U8",
  int8: "I8",
};

/** Either form a writer accepts: the shared Tensor or a RawTensor (for F16/BF16 and other stored dtypes). */
export type WritableTensor = Tensor | RawTensor;

/** Validates a tensor handed to a writer and returns it as a RawTensor (no copy). */
export function toRawTensor(value: WritableTensor, name: string): RawTensor {
  if (value === null || typeof value !== "object") {
    throw new InvalidTensorError(`tensor "${name}" must be a Tensor {type, dims, data} or a RawTensor {dtype, shape, data}, got ${describeValue(value)}`, { tensor: name });
  }
  const candidate = value as Partial<Tensor> & Partial<RawTensor>;
  let dtype: Dtype;
  let shape: readonly number[] | undefined;
  if (candidate.dtype !== undefined) {
    if (!isDtype(candidate.dtype)) {
      throw new InvalidTensorError(`tensor "${name}" has unknown dtype ${describeValue(candidate.dtype)}; use one of F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL`, { tensor: name });
    }
    dtype = candidate.dtype;
    shape = candidate.shape;
  } else if (candidate.type !== undefined && Object.prototype.hasOwnProperty.call(TENSOR_TYPE_TO_DTYPE, candidate.type)) {
    dtype = TENSOR_TYPE_TO_DTYPE[candidate.type];
    shape = candidate.dims;
  } else {
    throw new InvalidTensorError(`tensor "${name}" has neither a known dtype nor a known type (got type ${describeValue(candidate.type)})`, { tensor: name });
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new InvalidTensorError(`tensor "${name}" needs its shape as an array of non-negative integers, got ${describeValue(shape)}`, { tensor: name });
  }
  const data = candidate.data;
  const arrayType = dtypeArrayConstructor(dtype);
  if (!(data instanceof arrayType)) {
    throw new InvalidTensorError(`tensor "${name}" (${dtype}) needs its data in a ${arrayType.name}, got ${describeValue(data)}`, { tensor: name });
  }
  const length = data.byteLength / dtypeSize(dtype);
  const expected = shapeNumel(shape);
  if (length !== expected) {
    throw new InvalidTensorError(`tensor "${name}" has shape [${shape.join(", ")}] (${expected} elements) but ${length} elements of data`, { tensor: name });
  }
  return { dtype, shape: [...shape], data } as RawTensor;
}
