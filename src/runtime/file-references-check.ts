/**
 * Node only: the check that files ONNX Runtime reads weights from in place (see
 * in-place-weights.ts) are still the versions the graph was built from.
 */
import { stat } from "node:fs/promises";
import { type FileReferences, sameFileIdentity } from "../graph/index.js";
import { ModelFileChangedError } from "./errors.js";

/** Throws ModelFileChangedError unless every referenced file is still the version that was opened. */
export async function checkFilesUnchanged(references: FileReferences, modelName: string, cause?: unknown): Promise<void> {
  for (const file of references.files) {
    let current;
    try {
      current = await stat(file.path);
    } catch (error) {
      throw new ModelFileChangedError(modelName, file.path, `${file.path} was removed while model "${modelName}" was loading; load it again`, { cause: cause ?? error });
    }
    if (!sameFileIdentity(current, file.identity)) {
      throw new ModelFileChangedError(modelName, file.path, `${file.path} was replaced or rewritten while model "${modelName}" was loading; load it again`, { cause });
    }
  }
}
