import type { GraphBuilder } from "../graph/graph-builder.js";
import type { Value } from "../graph/value.js";
import { activation } from "./activations.js";
import { type LinearForm, linear } from "./linear.js";
import { type WeightMap, Weights } from "./weights.js";

export interface FeedForwardOptions {
  /** Name of the first (expanding) Linear, relative to `name` (default "fc1"). */
  readonly intermediate?: string;
  /** Name of the second (projecting) Linear (default "fc2"). */
  readonly output?: string;
  /** Hugging Face activation name (default "gelu", the exact erf GELU). */
  readonly activation?: string;
  readonly linearForm?: LinearForm;
  /** Dropout after the activation (training graphs; 0 adds nothing). */
  readonly dropout?: number;
}

/** Transformer feed-forward block: Linear → activation → Linear. */
export function feedForward(g: GraphBuilder, weights: WeightMap | Weights, name: string, x: Value, options: FeedForwardOptions = {}): Value {
  const w = Weights.from(weights).scope(name);
  return g.scope(name, () => {
    const h = linear(g, w, options.intermediate ?? "fc1", x, { form: options.linearForm });
    const a = g.dropout(activation(g, h, options.activation ?? "gelu"), options.dropout ?? 0);
    return linear(g, w, options.output ?? "fc2", a, { form: options.linearForm });
  });
}
