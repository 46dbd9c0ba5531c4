/**
 * Which weights ONNX Runtime may read straight from their checkpoint file. ORT maps such a file (copy-on-write) and
 * keeps the mapping as long as the tensor lives; a weight that a kernel prepacks into its own
 * layout is copied and its mapping dropped at session creation. Restricting in-place loading to
 * those weights means no mapping outlives session creation, so rewriting a checkpoint in place
 * later (Python's save_pretrained truncates it) cannot crash or silently alter a live session.
 * The check that a referenced file did not change is Node's (file-references-check.ts).
 */
import { type GraphModel, type ValueInfo, consumersOf, fileRangeOf } from "../graph/index.js";

/** Kernels whose CPU implementation prepacks a constant B (input 1): MLAS packed GEMM. */
const PREPACKING_OPS = new Set(["Gemm", "MatMul", "com.microsoft.FusedMatMul"]);

/** Accepts the values every consumer of which reads them as the prepacked B input. */
export function prepackedWeights(model: GraphModel): (value: ValueInfo) => boolean {
  const consumers = consumersOf(model);
  return (value) => {
    const nodes = consumers.get(value.id) ?? [];
    return nodes.length > 0 && nodes.every((n) =>
      PREPACKING_OPS.has(n.domain === "" ? n.opType : `${n.domain}.${n.opType}`) && n.inputs.indexOf(value.id) === 1 && n.inputs.lastIndexOf(value.id) === 1);
  };
}

/**
 * Accepts what `prepackedWeights` accepts, plus every file-backed weight in `folders`: files there
 * are only ever replaced by rename (audioclass's own cache of converted weights), which leaves a
 * live mapping of the old file intact, so ORT may keep them mapped for the session's lifetime.
 */
export function inPlaceWeights(model: GraphModel, folders: readonly string[] = []): (value: ValueInfo) => boolean {
  const prepacked = prepackedWeights(model);
  if (folders.length === 0) return prepacked;
  const prefixes = folders.map((f) => (f.endsWith("/") || f.endsWith("\\") ? f : `${f}/`));
  return (value) => {
    const tensor = model.initializers.get(value.id);
    const range = tensor === undefined ? undefined : fileRangeOf(tensor);
    return prepacked(value) || (range !== undefined && prefixes.some((p) => range.path.startsWith(p)));
  };
}
