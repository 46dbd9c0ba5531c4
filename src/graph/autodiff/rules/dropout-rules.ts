// Dropout: the identity at inference; in training mode y = x·mask/(1 − ratio), so the gradient
// reuses the keep-mask the forward kernel returned (1 byte per element, instead of keeping x).
import type { Value } from "../../value.js";
import { type VjpContext, registerVjp } from "../vjp-rule.js";

registerVjp("Dropout", {
  differentiable: [0],
  vjp: (ctx: VjpContext, [dy]) => {
    const { g } = ctx;
    const mode = ctx.optionalInput(2);
    const training = mode !== undefined && mode.knownValue?.[0] !== 0;
    if (!training) return [dy];
    if (ctx.node.outputs.length < 2) ctx.fail("training-mode Dropout without its mask output", "Ask the node for its second output (the mask).");
    const ratio = ctx.optionalInput(1);
    const p = ratio === undefined ? 0.5 : ratio.knownValue?.[0];
    let scale: Value | number;
    if (typeof p === "number") scale = 1 / (1 - p);
    else scale = g.reciprocal(g.sub(1, g.cast(ratio!, dy!.dtype)));
    return [g.where(ctx.output(1), g.mul(dy!, scale), 0)];
  },
});
