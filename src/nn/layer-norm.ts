import type { GraphBuilder } from "../graph/graph-builder.js";
import type { Value } from "../graph/value.js";
import { type WeightMap, Weights, featureDim } from "./weights.js";

/** PyTorch nn.LayerNorm over the last axis: `${name}.weight` and `${name}.bias`, both [features]. */
export function layerNorm(g: GraphBuilder, weights: WeightMap | Weights, name: string, x: Value, options: { epsilon?: number } = {}): Value {
  const w = Weights.from(weights).scope(name);
  const features = featureDim(x);
  const shape = [typeof features === "number" ? features : null];
  const scale = w.param(g, "weight", shape);
  const bias = w.optionalParam(g, "bias", shape);
  return g.scope(name, () => g.layerNormalization(x, scale, bias, { epsilon: options.epsilon ?? 1e-5 }));
}
