/**
 * ClapProjectionLayer (linear1 → activation → linear2) and the L2 normalisation CLAP applies
 * to both towers' projections before comparing them (F.normalize: x / max(‖x‖, 1e-12)).
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { type Weights, activation, linear } from "../../nn/index.js";

export function projection(g: GraphBuilder, weights: Weights, name: string, x: Value, act: string): Value {
  const w = weights.scope(name);
  return g.scope(name, () => linear(g, w, "linear2", activation(g, linear(g, w, "linear1", x), act)));
}

/** Unit vectors along the last axis. */
export function l2Normalize(g: GraphBuilder, x: Value): Value {
  return g.scope("normalize", () => {
    const norm = g.sqrt(g.reduceSum(g.mul(x, x), [-1], { keepDims: true }));
    return g.div(x, g.max(norm, 1e-12));
  });
}
