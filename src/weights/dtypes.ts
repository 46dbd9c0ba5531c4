/**
 * The element types a checkpoint can hold, named as in the safetensors header. One table drives
 * the reader (sizes, typed arrays), the writer (ordering) and the conversions.
 */
export type Dtype =
  | "BOOL"
  | "U8"
  | "I8"
  | "F8_E5M2"
  | "F8_E4M3"
  | "F8_E8M0"
  | "I16"
  | "U16"
  | "F16"
  | "BF16"
  | "I32"
  | "U32"
  | "F32"
  | "F64"
  | "I64"
  | "U64";

/** The typed array holding a tensor's elements in its own dtype (16-bit floats as raw bit patterns). */
export interface DtypeArrayMap {
  BOOL: Uint8Array;
  U8: Uint8Array;
  I8: Int8Array;
  F8_E5M2: Uint8Array;
  F8_E4M3: Uint8Array;
  F8_E8M0: Uint8Array;
  I16: Int16Array;
  U16: Uint16Array;
  F16: Uint16Array;
  BF16: Uint16Array;
  I32: Int32Array;
  U32: Uint32Array;
  F32: Float32Array;
  F64: Float64Array;
  I64: BigInt64Array;
  U64: BigUint64Array;
}

export type DtypeArray = DtypeArrayMap[Dtype];

type ArrayConstructor = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): DtypeArray;
  new (length: number): DtypeArray;
};

interface DtypeInfo {
  /** Bytes per element. */
  size: number;
  /**
   * Position in the Rust safetensors `Dtype` enum, which is declared in increasing alignment
   * order; `save_file` writes tensors by descending rank, then by name.
   */
  rank: number;
  array: ArrayConstructor;
  isFloat: boolean;
}

// Ranks follow safetensors/src/tensor.rs (BOOL, F4, F6_E2M3, F6_E3M2, U8, I8, F8_E5M2, F8_E4M3,
// F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64); gaps are dtypes we do not read.
const TABLE: Record<Dtype, DtypeInfo> = {
  BOOL: { size: 1, rank: 0, array: Uint8Array as ArrayConstructor, isFloat: false },
  U8: { size: 1, rank: 4, array: Uint8Array as ArrayConstructor, isFloat: false },
  I8: { size: 1, rank: 5, array: Int8Array as ArrayConstructor, isFloat: false },
  F8_E5M2: { size: 1, rank: 6, array: Uint8Array as ArrayConstructor, isFloat: true },
  F8_E4M3: { size: 1, rank: 7, array: Uint8Array as ArrayConstructor, isFloat: true },
  F8_E8M0: { size: 1, rank: 8, array: Uint8Array as ArrayConstructor, isFloat: true },
  I16: { size: 2, rank: 9, array: Int16Array as ArrayConstructor, isFloat: false },
  U16: { size: 2, rank: 10, array: Uint16Array as ArrayConstructor, isFloat: false },
  F16: { size: 2, rank: 11, array: Uint16Array as ArrayConstructor, isFloat: true },
  BF16: { size: 2, rank: 12, array: Uint16Array as ArrayConstructor, isFloat: true },
  I32: { size: 4, rank: 13, array: Int32Array as ArrayConstructor, isFloat: false },
  U32: { size: 4, rank: 14, array: Uint32Array as ArrayConstructor, isFloat: false },
  F32: { size: 4, rank: 15, array: Float32Array as ArrayConstructor, isFloat: true },
  F64: { size: 8, rank: 17, array: Float64Array as ArrayConstructor, isFloat: true },
  I64: { size: 8, rank: 18, array: BigInt64Array as ArrayConstructor, isFloat: false },
  U64: { size: 8, rank: 19, array: BigUint64Array as ArrayConstructor, isFloat: false },
};

export const DTYPES: readonly Dtype[] = Object.keys(TABLE) as Dtype[];

export function isDtype(value: unknown): value is Dtype {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(TABLE, value);
}

export function dtypeSize(dtype: Dtype): number {
  return TABLE[dtype].size;
}

export function dtypeRank(dtype: Dtype): number {
  return TABLE[dtype].rank;
}

export function isFloatDtype(dtype: Dtype): boolean {
  return TABLE[dtype].isFloat;
}

export function dtypeArrayConstructor(dtype: Dtype): ArrayConstructor {
  return TABLE[dtype].array;
}

/** True on little-endian hosts (every mainstream one); files are little-endian, so views need no swap. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Interprets little-endian bytes as the dtype's typed array. A view (no copy) when the bytes are
 * suitably aligned and the host is little-endian; otherwise one bulk copy (plus a byte swap on
 * big-endian hosts). The result may share memory with `bytes`: treat it as read-only.
 */
export function typedArrayFromBytes<D extends Dtype>(dtype: D, bytes: Uint8Array): DtypeArrayMap[D] {
  const { size, array } = TABLE[dtype];
  const length = bytes.byteLength / size;
  if (HOST_IS_LITTLE_ENDIAN && bytes.byteOffset % size === 0) {
    return new array(bytes.buffer, bytes.byteOffset, length) as DtypeArrayMap[D];
  }
  const copy = copyBytes(bytes);
  if (!HOST_IS_LITTLE_ENDIAN) swapBytesInPlace(copy, size);
  return new array(copy.buffer, 0, length) as DtypeArrayMap[D];
}

/** Little-endian bytes of a typed array: a view on little-endian hosts, a swapped copy otherwise. */
export function littleEndianBytes(array: ArrayBufferView): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  if (HOST_IS_LITTLE_ENDIAN) return bytes;
  const element = (array as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  const copy = copyBytes(bytes);
  swapBytesInPlace(copy, element);
  return copy;
}

/** Reverses the byte order of every `elementSize`-byte element (big- ↔ little-endian). */
export function swapBytesInPlace(bytes: Uint8Array, elementSize: number): void {
  if (elementSize === 1) return;
  const n = bytes.length - (bytes.length % elementSize);
  for (let i = 0; i < n; i += elementSize) {
    for (let a = i, b = i + elementSize - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/**
 * A fresh copy in its own ArrayBuffer. (Not `.slice()`: on a Node Buffer that returns a view.)
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
