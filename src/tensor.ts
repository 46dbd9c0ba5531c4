import { InvalidArgumentError } from "./errors.js";

/**
 * The small tensor value that travels between layers. Field names match onnxruntime's Tensor
 * (`type`, `dims`, `data`) so a Tensor can be handed to a session without copying.
 */
export type TensorType = "float32" | "float64" | "int32" | "int64" | "bool" | "uint8" | "int8";

export interface TensorDataMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  int64: BigInt64Array;
  bool: Uint8Array;
  uint8: Uint8Array;
  int8: Int8Array;
}

export interface Tensor<T extends TensorType = TensorType> {
  readonly type: T;
  readonly dims: readonly number[];
  readonly data: TensorDataMap[T];
}

export function numel(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function tensor<T extends TensorType>(type: T, dims: readonly number[], data: TensorDataMap[T]): Tensor<T> {
  const expected = numel(dims);
  if (data.length !== expected) {
    throw new InvalidArgumentError(`tensor of type ${type} with dims [${dims.join(", ")}] needs ${expected} elements, got ${data.length}`);
  }
  return { type, dims: [...dims], data };
}
