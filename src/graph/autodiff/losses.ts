// Losses over logits, each emitted with its gradient in closed form (no autodiff through the
// loss): the gradient with respect to the logits seeds the backward pass.
import type { GraphBuilder } from "../graph-builder.js";
import { tensorOf } from "../tensor-data.js";
import type { Value } from "../value.js";
import { AutodiffError } from "./errors.js";
import { countOver, dimOf } from "./gradient-shapes.js";

export interface LossAndGradient {
  /** The scalar loss. */
  readonly loss: Value;
  /** ∂loss/∂logits, shaped like the logits. */
  readonly dLogits: Value;
}

export interface CrossEntropyOptions {
  /** PyTorch's label_smoothing ε: the target is (1 − ε)·one-hot + ε/C (default 0). */
  readonly labelSmoothing?: number;
  /** Labels equal to this are left out of the loss and of the mean (default −100). */
  readonly ignoreIndex?: number;
}

/**
 * torch.nn.functional.cross_entropy with class-last logits [..., C] and int64 labels [...]:
 *   loss_i = (1 − ε)·(−log p_i[y_i]) + ε·mean_c(−log p_i[c]),  averaged over non-ignored i,
 *   ∂loss/∂logits_i = (softmax_i − (1 − ε)·onehot(y_i) − ε/C) / count  (0 for ignored i).
 * log-softmax is computed as z − log Σ exp z with z = logits − max (stable for any logits).
 * When every label is ignored the loss is 0 (PyTorch gives NaN). Labels outside [0, C) that are
 * not the ignore index pick no class (PyTorch raises); check them before feeding.
 */
export function crossEntropyLoss(g: GraphBuilder, logits: Value, labels: Value, options: CrossEntropyOptions = {}): LossAndGradient {
  const epsilon = options.labelSmoothing ?? 0;
  if (!(epsilon >= 0 && epsilon <= 1)) throw new AutodiffError(`labelSmoothing must be in [0, 1], got ${epsilon}`);
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (logits.rank < 1 || labels.rank !== logits.rank - 1) {
    throw new AutodiffError(`cross-entropy needs logits [..., classes] and labels [...] with one axis less, got logits [${logits.shape.join(", ")}] and labels [${labels.shape.join(", ")}]`);
  }
  const dtype = logits.dtype;
  const classes = logits.shape[logits.rank - 1]!;
  return g.scope("loss", () => {
    const z = g.sub(logits, g.reduceMax(logits, [-1]));
    const e = g.exp(z);
    const sumE = g.reduceSum(e, [-1]);
    const logProbs = g.sub(z, g.log(sumE));
    const valid = g.not(g.equal(labels, ignoreIndex));
    const safeLabels = g.where(valid, labels, 0);
    const classIds = typeof classes === "number"
      ? g.constant(tensorOf(labels.dtype, [classes], Array.from({ length: classes }, (_, i) => i)))
      : g.range(g.scalar(0, labels.dtype), g.cast(g.squeeze(dimOf(g, logits, -1), [0]), labels.dtype));
    const oneHot = g.cast(g.equal(g.unsqueeze(safeLabels, [labels.rank]), classIds), dtype);
    const nll = g.neg(g.reduceSum(g.mul(oneHot, logProbs), [-1], { keepDims: false }));
    let perItem = nll;
    if (epsilon > 0) {
      const smooth = g.neg(g.reduceMean(logProbs, [-1], { keepDims: false }));
      perItem = g.add(g.mul(nll, 1 - epsilon), g.mul(smooth, epsilon));
    }
    const weight = g.cast(valid, dtype);
    const count = g.max(g.reduceSum(weight, undefined, { keepDims: false }), 1);
    const loss = g.div(g.reduceSum(g.mul(perItem, weight), undefined, { keepDims: false }), count);
    let target = oneHot;
    if (epsilon > 0) {
      const perClass = typeof classes === "number" ? g.scalar(epsilon / classes, dtype) : g.div(g.scalar(epsilon, dtype), countOver(g, logits, [logits.rank - 1]));
      target = g.add(g.mul(oneHot, 1 - epsilon), perClass);
    }
    const dLogits = g.mul(g.sub(g.div(e, sumE), target), g.unsqueeze(g.div(weight, count), [labels.rank]));
    return { loss, dLogits };
  });
}

/**
 * torch.nn.functional.binary_cross_entropy_with_logits (multi-label), mean over all elements,
 * with float labels of the logits' shape:
 *   loss = mean(max(x, 0) − x·y + log(1 + exp(−|x|))),  ∂loss/∂x = (σ(x) − y) / numel.
 * The max/abs form never exponentiates a large positive number.
 */
export function bceWithLogitsLoss(g: GraphBuilder, logits: Value, labels: Value): LossAndGradient {
  if (labels.rank !== logits.rank || labels.dtype !== logits.dtype) {
    throw new AutodiffError(`BCE-with-logits needs ${logits.dtype} labels shaped like the logits [${logits.shape.join(", ")}], got ${labels.dtype} [${labels.shape.join(", ")}]`);
  }
  return g.scope("loss", () => {
    const softplus = g.log(g.add(g.exp(g.neg(g.abs(logits))), 1));
    const elementwise = g.add(g.sub(g.relu(logits), g.mul(logits, labels)), softplus);
    const loss = g.reduceMean(elementwise, undefined, { keepDims: false });
    const all = Array.from({ length: logits.rank }, (_, i) => i);
    const dLogits = g.div(g.sub(g.sigmoid(logits), labels), countOver(g, logits, all));
    return { loss, dLogits };
  });
}
