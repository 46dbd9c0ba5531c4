/**
 * `dtype`: the precision a model's weights are held in, named as transformers.js names them.
 * - "fp32" (default): the checkpoint's float32 weights, unchanged.
 * - "q8" / "int8": the matrix products' weights as int8 (one scale per output channel), activations
 *   quantized on the fly; about a quarter of the weight memory.
 * - "fp16": weights stored in half precision (half the memory), computed in float32.
 */
import { describeValue } from "../errors.js";
import { UnknownModelDTypeError } from "./errors.js";
import type { ReducedPrecision } from "./weight-precision-pass.js";

export const MODEL_DTYPES = ["fp32", "q8", "int8", "fp16"] as const;
export type ModelDType = (typeof MODEL_DTYPES)[number];

/** What a dtype does to the weights: "fp32" leaves them as they are. */
export type WeightPrecision = "fp32" | ReducedPrecision;

/** transformers.js dtypes audioclass does not build, with what to use instead. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  q4: "4-bit weights are not supported",
  q4f16: "4-bit weights are not supported",
  bnb4: "4-bit weights are not supported",
  uint8: "int8 weights are signed here",
  auto: "audioclass has no per-device default",
};

/** Checks a user-given dtype (undefined → "fp32") and returns the weight precision it asks for. */
export function weightPrecisionOf(dtype: unknown): WeightPrecision {
  if (dtype === undefined || dtype === "fp32") return "fp32";
  if (dtype === "q8" || dtype === "int8") return "q8";
  if (dtype === "fp16") return "fp16";
  const why = typeof dtype === "string" && UNSUPPORTED[dtype] !== undefined ? ` (${UNSUPPORTED[dtype]})` : "";
  throw new UnknownModelDTypeError(
    dtype,
    MODEL_DTYPES,
    `dtype ${describeValue(dtype)} is not supported${why}; use one of ${MODEL_DTYPES.map((d) => `"${d}"`).join(", ")}: ` +
      `"fp32" (default), "q8" or its alias "int8" for int8 weights, "fp16" for half-precision weights`,
  );
}
