import type { GraphBuilder } from "../graph/graph-builder.js";
import type { Value } from "../graph/value.js";
import { WeightShapeError } from "./errors.js";
import { type WeightMap, Weights } from "./weights.js";

/**
 * A weight-normalised parameter w = g · v / ‖v‖, the norm taken over every axis except `dim`
 * (torch.nn.utils.weight_norm; wav2vec2's positional conv uses dim=2). Reads either the legacy
 * `${name}.weight_g`/`weight_v` or the parametrization form
 * `${name}.parametrizations.weight.original0`/`original1`. Built in the graph so training can
 * update g and v; ONNX Runtime folds it to a constant for inference.
 */
export function weightNorm(g: GraphBuilder, weights: WeightMap | Weights, name: string, options: { dim: number }): Value {
  const w = Weights.from(weights).scope(name);
  const [gName, vName] = w.has("weight_g") || !w.has("parametrizations.weight.original0")
    ? ["weight_g", "weight_v"]
    : ["parametrizations.weight.original0", "parametrizations.weight.original1"];
  const v = w.param(g, vName);
  const magnitude = w.param(g, gName);
  const rank = v.rank;
  const dim = options.dim < 0 ? options.dim + rank : options.dim;
  const gShape = magnitude.shape;
  if (gShape.length !== rank || gShape.some((d, i) => (i === dim ? d !== v.shape[i] : d !== 1))) {
    throw new WeightShapeError(w.fullName(gName), `has shape [${gShape.join(", ")}]; with dim=${options.dim} it must be 1 on every axis but ${dim} (size ${v.shape[dim]})`);
  }
  const axes = v.shape.map((_, i) => i).filter((i) => i !== dim);
  return g.scope(name, () => {
    const norm = g.sqrt(g.reduceSum(g.mul(v, v), axes, { keepDims: true }));
    return g.mul(v, g.div(magnitude, norm));
  });
}
