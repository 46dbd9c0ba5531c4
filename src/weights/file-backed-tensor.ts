import type { Tensor, TensorDataMap, TensorType } from "../tensor.js";
import { type Dtype, typedArrayFromBytes } from "./dtypes.js";
import type { FilePiece, FileRange } from "./file-range.js";

/** Stored dtypes whose bytes are exactly a shared Tensor type's elements, so the file can be read as is. */
export const FILE_BACKED_TYPES: Partial<Record<Dtype, TensorType>> = {
  F32: "float32",
  F64: "float64",
  I64: "int64",
  I32: "int32",
  I8: "int8",
  U8: "uint8",
  BOOL: "bool",
};

/**
 * A checkpoint tensor that stays in its file until `data` is first read. It carries its file
 * range (non-enumerable `fileRange`, see graph's `fileRangeOf`) so ONNX Runtime can load it
 * straight from the checkpoint: a model whose weights are never touched in JavaScript is never
 * held in memory twice. `data` is an own enumerable getter, so spreading or cloning the tensor
 * reads it and yields a plain tensor without the (then possibly stale) range.
 */
export class FileBackedTensor<T extends TensorType = TensorType> implements Tensor<T> {
  readonly type: T;
  readonly dims: readonly number[];
  declare readonly data: TensorDataMap[T];
  declare readonly fileRange: FileRange;
  #data: TensorDataMap[T] | undefined;

  constructor(type: T, dims: readonly number[], dtype: Dtype, piece: FilePiece) {
    this.type = type;
    this.dims = [...dims];
    Object.defineProperty(this, "fileRange", { value: piece.range, enumerable: false });
    Object.defineProperty(this, "data", {
      enumerable: true,
      get: () => (this.#data ??= typedArrayFromBytes(dtype, piece.read()) as unknown as TensorDataMap[T]),
    });
  }

  /** Whether `data` has been read into memory. */
  get loaded(): boolean {
    return this.#data !== undefined;
  }

  /** Forgets the data read so far (a later access reads the file again); returns it, if any. */
  unload(): TensorDataMap[T] | undefined {
    const data = this.#data;
    this.#data = undefined;
    return data;
  }
}

/**
 * FileBackedTensor for IEEE half-precision (F16) data, held as raw bits in a Uint16Array — the
 * graph layer's float16 tensor form. The shared Tensor types have no float16, hence its own class.
 */
export class FileBackedHalfTensor {
  readonly type = "float16" as const;
  readonly dims: readonly number[];
  declare readonly data: Uint16Array;
  declare readonly fileRange: FileRange;
  #data: Uint16Array | undefined;

  constructor(dims: readonly number[], piece: FilePiece) {
    this.dims = [...dims];
    Object.defineProperty(this, "fileRange", { value: piece.range, enumerable: false });
    Object.defineProperty(this, "data", {
      enumerable: true,
      get: () => (this.#data ??= typedArrayFromBytes("F16", piece.read()) as Uint16Array),
    });
  }

  get loaded(): boolean {
    return this.#data !== undefined;
  }

  unload(): Uint16Array | undefined {
    const data = this.#data;
    this.#data = undefined;
    return data;
  }
}
