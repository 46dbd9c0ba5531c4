/**
 * transformers.js-style exports: a folder with onnx/model.onnx (and its dtype variants) but no
 * checkpoint weights runs that ONNX graph as it is. Which file a dtype loads follows transformers.js:
 * model.onnx (fp32), model_quantized.onnx (q8), model_int8.onnx (int8), model_fp16.onnx (fp16).
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { ModelDType } from "../runtime/index.js";
import { ModelFileNotFoundError } from "./errors.js";
import { EXPORT_FILE_BY_DTYPE } from "./onnx-export-names.js";

export { onnxExportFileFor } from "./onnx-export-names.js";

/** Folders the export may sit in, in the order transformers.js looks. */
const EXPORT_FOLDERS = ["onnx", ""];


const WEIGHT_FILES = ["model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"];

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}


/**
 * The export to load for `dtype` when the folder has no checkpoint weights: onnx/<file> or <file>.
 * Undefined when the folder has checkpoint weights or no export at all; ModelFileNotFoundError,
 * naming the missing file, when it has an export but not the one this dtype loads.
 */
export async function onnxExportIn(dir: string, dtype: ModelDType = "fp32"): Promise<string | undefined> {
  for (const name of WEIGHT_FILES) if (await isFile(join(dir, name))) return undefined;
  const wanted = EXPORT_FILE_BY_DTYPE[dtype];
  const present: string[] = [];
  for (const folder of EXPORT_FOLDERS) {
    if (await isFile(join(dir, folder, wanted))) return join(dir, folder, wanted);
    for (const file of Object.values(EXPORT_FILE_BY_DTYPE)) if (await isFile(join(dir, folder, file))) present.push(join(folder, file));
  }
  if (present.length === 0) return undefined;
  throw new ModelFileNotFoundError(
    join(dir, EXPORT_FOLDERS[0]!, wanted),
    `dtype "${dtype}" loads onnx/${wanted} from an ONNX export (as transformers.js does), but ${dir} has only ${present.join(", ")}; ` +
      `load it with the dtype of a file it has, or add ${wanted} from the model's repo`,
  );
}
