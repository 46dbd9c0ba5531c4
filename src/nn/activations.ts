import type { GraphBuilder } from "../graph/graph-builder.js";
import type { Value } from "../graph/value.js";
import { UnknownActivationError } from "./errors.js";

type Activation = (g: GraphBuilder, x: Value) => Value;

// Hugging Face's ACT2FN names (transformers/activations.py) and what each computes.
const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  gelu: (g, x) => g.gelu(x), // exact erf form (torch.nn.functional.gelu)
  gelu_python: (g, x) => g.gelu(x),
  gelu_new: (g, x) => g.gelu(x, "tanh"),
  gelu_pytorch_tanh: (g, x) => g.gelu(x, "tanh"),
  gelu_fast: (g, x) => {
    // 0.5·x·(1 + tanh(x·0.7978845608·(1 + 0.044715·x²)))
    const inner = g.mul(g.mul(x, 0.7978845608), g.add(g.mul(g.mul(x, x), 0.044715), 1));
    return g.mul(g.mul(x, 0.5), g.add(g.tanh(inner), 1));
  },
  quick_gelu: (g, x) => g.mul(x, g.sigmoid(g.mul(x, 1.702))),
  relu: (g, x) => g.relu(x),
  relu6: (g, x) => g.clip(x, 0, 6),
  silu: (g, x) => g.mul(x, g.sigmoid(x)),
  swish: (g, x) => g.mul(x, g.sigmoid(x)),
  sigmoid: (g, x) => g.sigmoid(x),
  tanh: (g, x) => g.tanh(x),
  linear: (_g, x) => x,
};

export const SUPPORTED_ACTIVATIONS: readonly string[] = Object.keys(ACTIVATIONS).sort();

/** Applies an activation by its Hugging Face config name (`hidden_act`, `feat_extract_activation`, …). */
export function activation(g: GraphBuilder, x: Value, name: string): Value {
  const fn = Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name] : undefined;
  if (fn === undefined) throw new UnknownActivationError(name, SUPPORTED_ACTIVATIONS);
  return fn(g, x);
}
