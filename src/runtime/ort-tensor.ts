import type { Tensor as OrtTensor } from "onnxruntime-common";
import { type OrtTensorConstructor, inferenceBackend } from "./backend.js";
import type { Tensor, TensorType } from "../tensor.js";

const TENSOR_TYPES: readonly TensorType[] = ["float32", "float64", "int32", "int64", "bool", "uint8", "int8"];

export function isTensorType(type: string): type is TensorType {
  return (TENSOR_TYPES as readonly string[]).includes(type);
}

/** Wraps our Tensor for ORT without copying: ort.Tensor keeps a reference to the typed array. */
export function toOrtTensor(t: Tensor, TensorClass: OrtTensorConstructor = inferenceBackend().Tensor): OrtTensor {
  return new TensorClass(t.type, t.data as OrtTensor.DataType, t.dims as number[]);
}

/** Our Tensor view of an ORT output (same typed array, no copy); undefined for unsupported types. */
export function fromOrtTensor(t: OrtTensor): Tensor | undefined {
  if (!isTensorType(t.type)) return undefined;
  return { type: t.type, dims: [...t.dims], data: t.data as Tensor["data"] };
}
