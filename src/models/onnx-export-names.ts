/**
 * Which file of a transformers.js-style export a dtype loads, as transformers.js names them. Kept
 * apart from onnx-export-files.ts (which looks in folders, Node) so browser loaders can use it.
 */
import type { ModelDType } from "../runtime/model-dtype.js";

export const EXPORT_FILE_BY_DTYPE: Readonly<Record<ModelDType, string>> = {
  fp32: "model.onnx",
  q8: "model_quantized.onnx",
  int8: "model_int8.onnx",
  fp16: "model_fp16.onnx",
};

/** The export file name a dtype loads, relative to the export folder ("model_quantized.onnx"). */
export function onnxExportFileFor(dtype: ModelDType = "fp32"): string {
  return EXPORT_FILE_BY_DTYPE[dtype];
}
