import type { GraphBuilder } from "../graph/graph-builder.js";
import type { Value } from "../graph/value.js";
import { LayerConfigError } from "./errors.js";
import { type WeightMap, Weights } from "./weights.js";

/** PyTorch nn.Embedding: rows of `${name}.weight` [vocab, dim] picked by int64/int32 ids. */
export function embedding(g: GraphBuilder, weights: WeightMap | Weights, name: string, ids: Value): Value {
  if (ids.dtype !== "int64" && ids.dtype !== "int32") {
    throw new LayerConfigError(`embedding "${name}": ids must be int64 or int32, got ${ids.dtype}`);
  }
  const table = Weights.from(weights).scope(name).param(g, "weight", [null, null]);
  return g.scope(name, () => g.gather(table, ids, 0));
}
