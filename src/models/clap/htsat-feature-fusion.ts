/**
 * ClapAudioAFFBlock, CLAP's attentional feature fusion (2-D): a local branch (1×1 conv → BN →
 * ReLU → 1×1 conv → BN) and a global one (the same after global average pooling) weigh the
 * whole-clip patch embedding x against the embedding of the local crops r:
 * w = σ(local(x + r) + global(x + r)), out = 2·x·w + 2·r·(1 − w).
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { type Weights, conv2d } from "../../nn/index.js";
import { batchNorm } from "./clap-batch-norm.js";

/** conv(i) → BN(i+1) → ReLU → conv(i+3) → BN(i+4), PyTorch Sequential numbering from `first`. */
function branch(g: GraphBuilder, w: Weights, x: Value, first: number): Value {
  let h = conv2d(g, w, String(first), x);
  h = g.relu(batchNorm(g, w, String(first + 1), h, 1));
  h = conv2d(g, w, String(first + 3), h);
  return batchNorm(g, w, String(first + 4), h, 1);
}

/** x, residual: [batch, channels, height, width] → the fused [batch, channels, height, width]. */
export function attentionalFeatureFusion(g: GraphBuilder, weights: Weights, name: string, x: Value, residual: Value): Value {
  const w = weights.scope(name);
  return g.scope(name, () => {
    const input = g.add(x, residual);
    const local = branch(g, w.scope("local_att"), input, 0);
    // global_att.0 is AdaptiveAvgPool2d(1): the mean over the spatial axes
    const global = branch(g, w.scope("global_att"), g.reduceMean(input, [2, 3]), 1);
    const gate = g.sigmoid(g.add(local, global));
    return g.add(g.mul(g.mul(x, 2), gate), g.mul(g.mul(residual, 2), g.sub(g.scalar(1), gate)));
  });
}
