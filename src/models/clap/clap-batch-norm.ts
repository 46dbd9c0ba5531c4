/**
 * Inference-mode BatchNorm (running statistics) on any axis, written with element-wise ops so
 * the parameters stay trainable graph parameters: y = x·α + β with α = weight/√(var + ε) and
 * β = bias − mean·α, the form PyTorch's CPU kernel evaluates. ORT folds α and β at load.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { Weights } from "../../nn/index.js";

/** BatchNorm2d / BatchNorm1d `name` (weight, bias, running_mean, running_var) over `axis` of x. */
export function batchNorm(g: GraphBuilder, weights: Weights, name: string, x: Value, axis: number, epsilon = 1e-5): Value {
  const w = weights.scope(name);
  const channels = x.shape[axis < 0 ? x.rank + axis : axis];
  const shape = [typeof channels === "number" ? channels : null];
  const scale = w.param(g, "weight", shape);
  const bias = w.param(g, "bias", shape);
  const mean = w.param(g, "running_mean", shape);
  const variance = w.param(g, "running_var", shape);
  // num_batches_tracked only matters in training; read it so it is not reported unused
  if (w.has("num_batches_tracked")) w.tensor("num_batches_tracked");
  return g.scope(name, () => {
    const alpha = g.div(scale, g.sqrt(g.add(variance, epsilon)));
    const beta = g.sub(bias, g.mul(mean, alpha));
    const trailing = (axis < 0 ? -axis : x.rank - axis) - 1;
    const place = (v: Value): Value => (trailing === 0 ? v : g.reshape(v, [-1, ...new Array<number>(trailing).fill(1)]));
    return g.add(g.mul(x, place(alpha)), place(beta));
  });
}
