/**
 * A Linear whose weight must be [out, in] for sizes the config dictates. nn's linear() checks the
 * input side only; checking the output side too means a checkpoint that does not match its
 * config.json fails with a WeightShapeError naming the parameter, not a shape error deep inside
 * the graph.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { featureDim, linear, type Weights } from "../../nn/index.js";

export function checkedLinear(g: GraphBuilder, weights: Weights, name: string, x: Value, outFeatures: number, options: { bias?: boolean } = {}): Value {
  const inFeatures = featureDim(x);
  weights.tensor(`${name}.weight`, [outFeatures, typeof inFeatures === "number" ? inFeatures : null]);
  if (options.bias !== false) weights.tensor(`${name}.bias`, [outFeatures]);
  return linear(g, weights, name, x, { bias: options.bias });
}
