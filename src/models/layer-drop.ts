/**
 * LayerDrop (Fan et al. 2019) in a static graph: transformers skips each transformer layer of
 * a training step with probability `layerdrop`. The training graph takes one bool per layer
 * (`layer_drop.keep`, drawn each step by the trainer) and each layer's output becomes
 * Where(keep[i], layer(h), h). A skipped layer is still computed but contributes nothing, and
 * its parameters get exactly zero gradient; the trainer then leaves them out of the optimizer
 * step, as PyTorch does for parameters whose .grad stayed None.
 */
import type { GraphBuilder, Value } from "../graph/index.js";
import type { Tensor } from "../tensor.js";
import type { SeededRandom } from "./initialize-parameters.js";

export const LAYER_DROP_INPUT = "layer_drop.keep";

/** Declares the gate input; returns how to gate layer i's output. */
export function layerDropGate(g: GraphBuilder, numLayers: number): (layer: number, input: Value, output: Value) => Value {
  const keep = g.input(LAYER_DROP_INPUT, "bool", [numLayers]);
  return (layer, input, output) => g.scope(`layer_drop.${layer}`, () => g.where(g.gather(keep, layer), output, input));
}

/** One step's gates: layer i is kept unless a uniform draw falls below `probability` (torch.rand([]) < layerdrop). */
export function layerDropFeed(numLayers: number, probability: number, random: SeededRandom): Tensor<"bool"> {
  const data = new Uint8Array(numLayers);
  for (let i = 0; i < numLayers; i++) data[i] = random.random() < probability ? 0 : 1;
  return { type: "bool", dims: [numLayers], data };
}
