// The training losses in float64, written from PyTorch's definitions, for the gradient checks.
import type { T64 } from "./tensor64.js";

export interface CrossEntropyReference {
  readonly labelSmoothing?: number;
  readonly ignoreIndex?: number;
}

/** torch.nn.functional.cross_entropy(logits [..., C], labels [...]), mean over non-ignored items. */
export function crossEntropy64(logits: T64, labels: ArrayLike<number>, options: CrossEntropyReference = {}): number {
  const eps = options.labelSmoothing ?? 0;
  const ignore = options.ignoreIndex ?? -100;
  const classes = logits.dims[logits.dims.length - 1]!;
  let total = 0;
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === ignore) continue;
    const row = logits.data.subarray(i * classes, (i + 1) * classes);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    const nll = lse - row[labels[i]!]!;
    const smooth = row.reduce((s, v) => s + (lse - v), 0) / classes;
    total += (1 - eps) * nll + eps * smooth;
    count++;
  }
  return count === 0 ? 0 : total / count;
}

/** torch.nn.functional.binary_cross_entropy_with_logits, mean over all elements. */
export function bceWithLogits64(logits: T64, labels: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < logits.data.length; i++) {
    const x = logits.data[i]!;
    const y = labels[i]!;
    total += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
  }
  return total / logits.data.length;
}
