import type { GraphBuilder } from "../graph-builder.js";
import type { GraphModel, NodeInfo, ValueId } from "../ir.js";
import type { Value } from "../value.js";

export interface ReplayOptions {
  /** Parameters that become graph inputs (fed each step); the others stay initializers. */
  readonly promote: ReadonlySet<ValueId>;
  /**
   * Emits a replacement for a node (e.g. training-mode Dropout) and returns the values standing
   * for its outputs, or undefined to copy the node as is.
   */
  readonly substitute?: (node: NodeInfo, inputs: readonly (Value | null)[]) => readonly Value[] | undefined;
}

/**
 * Copies a forward graph into `g`, node by node through the builder (so every shape is inferred
 * again and the result is an ordinary builder graph), turning the promoted parameters into
 * inputs. Returns the map from forward value ids to values of `g`.
 */
export function replayForward(forward: GraphModel, g: GraphBuilder, options: ReplayOptions): Map<ValueId, Value> {
  const map = new Map<ValueId, Value>();
  for (const id of forward.inputs) {
    const v = forward.values[id]!;
    map.set(id, g.input(v.name, v.dtype, v.shape));
  }
  for (const v of forward.values) {
    if (v.kind === "parameter") {
      map.set(v.id, options.promote.has(v.id) ? g.input(v.name, v.dtype, v.shape) : g.initializer(v.name, forward.initializers.get(v.id)!));
    } else if (v.kind === "constant") {
      map.set(v.id, g.constant(forward.initializers.get(v.id)!));
    }
  }
  for (const node of forward.nodes) {
    const inputs = node.inputs.map((id) => (id === null ? null : map.get(id)!));
    const replaced = options.substitute?.(node, inputs);
    const outputs =
      replaced ??
      g.scope(node.scope, () => g.op(node.opType, inputs, node.attributes, { domain: node.domain, outputs: node.outputs.length }));
    node.outputs.forEach((id, i) => map.set(id, outputs[i]!));
  }
  return map;
}
