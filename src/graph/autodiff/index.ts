// graph/autodiff: vector-Jacobian rules over the graph IR, the backward pass, losses and
// training graphs (parameters + batch in; loss, logits and gradients out).
export { buildTrainingGraph, LABELS_INPUT, LOSS_OUTPUT } from "./training-graph.js";
export type { TrainingGraph, TrainingGraphInfo, TrainingGraphOptions, LossName } from "./training-graph.js";
export { buildVjpGraph, GRADIENT_PREFIX, COTANGENT_PREFIX } from "./vjp-graph.js";
export type { VjpGraphOptions } from "./vjp-graph.js";
export { appendBackward, analyzeGradientFlow } from "./backward-pass.js";
export type { GradientFlow } from "./backward-pass.js";
export { replayForward } from "./replay-forward.js";
export type { ReplayOptions } from "./replay-forward.js";
export { crossEntropyLoss, bceWithLogitsLoss } from "./losses.js";
export type { CrossEntropyOptions, LossAndGradient } from "./losses.js";
export { DROPOUT_MASK_PREFIX, dropoutSeedForStep } from "./training-dropout.js";
export type { DropoutOptions, DropoutSite } from "./training-dropout.js";
export { dropoutMaskFeeds } from "./dropout-masks.js";
export { VjpContext, registerVjp, getVjp, gradientSupport } from "./vjp-rule.js";
export type { VjpRule, InputGradients } from "./vjp-rule.js";
export { unbroadcast } from "./gradient-shapes.js";
export { AutodiffError, NoGradientRuleError } from "./errors.js";
