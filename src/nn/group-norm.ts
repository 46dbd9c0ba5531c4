import type { GraphBuilder } from "../graph/graph-builder.js";
import type { Value } from "../graph/value.js";
import { LayerConfigError } from "./errors.js";
import { type WeightMap, Weights } from "./weights.js";

/**
 * PyTorch nn.GroupNorm on [N, C, D...] with `${name}.weight`/`.bias` [C]. With one group per
 * channel (wav2vec2's feature encoder) this is exactly InstanceNormalization; otherwise the
 * channels are folded into groups, normalised, and the per-channel affine applied after.
 */
export function groupNorm(g: GraphBuilder, weights: WeightMap | Weights, name: string, x: Value, options: { numGroups: number; epsilon?: number }): Value {
  const w = Weights.from(weights).scope(name);
  const channels = x.shape[1];
  if (x.rank < 3 || typeof channels !== "number") {
    throw new LayerConfigError(`groupNorm "${name}": input must be [N, C, D...] with a static C, got [${x.shape.join(", ")}]`);
  }
  const groups = options.numGroups;
  if (!Number.isInteger(groups) || groups < 1 || channels % groups !== 0) {
    throw new LayerConfigError(`groupNorm "${name}": ${channels} channels do not divide into ${groups} groups`);
  }
  const epsilon = options.epsilon ?? 1e-5;
  const scale = w.param(g, "weight", [channels]);
  const bias = w.param(g, "bias", [channels]);
  return g.scope(name, () => {
    if (groups === channels) return g.instanceNormalization(x, scale, bias, { epsilon });
    const ones = g.constant({ type: "float32", dims: [groups], data: new Float32Array(groups).fill(1) });
    const zeros = g.constant({ type: "float32", dims: [groups], data: new Float32Array(groups) });
    const grouped = g.reshape(x, [0, groups, -1]);
    const normed = g.reshape(g.instanceNormalization(grouped, ones, zeros, { epsilon }), g.shape(x));
    const perChannel = [channels, ...x.shape.slice(2).map(() => 1)];
    return g.add(g.mul(normed, g.reshape(scale, perChannel)), g.reshape(bias, perChannel));
  });
}
