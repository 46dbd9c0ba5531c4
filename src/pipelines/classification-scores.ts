/**
 * Post-processing of the audio-classification pipeline (transformers 4.49
 * `AudioClassificationPipeline.postprocess`): softmax / sigmoid / none over one row of logits,
 * then the top k labels by score, ties in label-index order (torch.topk on CPU).
 */
import { describeValue } from "../errors.js";
import { PipelineOptionError } from "./errors.js";

export const FUNCTIONS_TO_APPLY = ["softmax", "sigmoid", "none"] as const;
export type FunctionToApply = (typeof FUNCTIONS_TO_APPLY)[number];

export interface LabelScore {
  label: string;
  score: number;
}

export function checkFunctionToApply(value: unknown): FunctionToApply {
  if (typeof value === "string" && (FUNCTIONS_TO_APPLY as readonly string[]).includes(value)) return value as FunctionToApply;
  // Python's message, word for word, so users searching for it find the same answers.
  throw new PipelineOptionError(
    `Invalid value for \`function_to_apply\`: ${typeof value === "string" ? value : describeValue(value)}. ` +
      `Valid options are ['softmax', 'sigmoid', 'none']`,
  );
}

/** `null`/`undefined` mean "all labels"; larger than the label count is clipped, as in Python. */
export function checkTopK(value: unknown, numLabels: number): number {
  if (value === null || value === undefined) return numLabels;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new PipelineOptionError(`topK must be a positive integer or null (all labels), got ${describeValue(value)}`);
  }
  return Math.min(value, numLabels);
}

/** Applies the chosen function to one row of logits; results are float32 values like torch's. */
export function applyFunction(logits: ArrayLike<number>, fn: FunctionToApply): Float32Array {
  const out = new Float32Array(logits.length);
  if (fn === "none") {
    out.set(Array.from(logits));
  } else if (fn === "sigmoid") {
    for (let i = 0; i < logits.length; i++) out[i] = 1 / (1 + Math.exp(-logits[i]!));
  } else {
    let max = -Infinity;
    for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
    let sum = 0;
    const exps = new Float64Array(logits.length);
    for (let i = 0; i < logits.length; i++) sum += exps[i] = Math.exp(logits[i]! - max);
    for (let i = 0; i < logits.length; i++) out[i] = exps[i]! / sum;
  }
  return out;
}

/** Indices of the k largest values, descending, ties broken by the lower index. */
export function topKIndices(values: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => {
    const va = values[a]!;
    const vb = values[b]!;
    if (va !== vb) {
      // NaN sorts first, as torch.topk treats it as the largest value.
      if (Number.isNaN(va)) return -1;
      if (Number.isNaN(vb)) return 1;
      return vb - va;
    }
    return a - b;
  });
  return order.slice(0, k);
}

export function labelScores(
  logits: ArrayLike<number>,
  id2label: (id: number) => string,
  options: { topK: number; functionToApply: FunctionToApply },
): LabelScore[] {
  const scores = applyFunction(logits, options.functionToApply);
  return topKIndices(scores, options.topK).map((i) => ({ label: id2label(i), score: scores[i]! }));
}
