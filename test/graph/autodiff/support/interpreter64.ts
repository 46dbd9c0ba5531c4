// A float64 interpreter of the graph IR: the reference the gradient checks difference. It
// evaluates forward graphs with ONNX semantics in double precision (ONNX Runtime has no float64
// kernels for Erf, Conv, InstanceNormalization or the fused attention), and re-evaluates only the
// nodes downstream of a perturbed value, which makes coordinate-wise central differences over
// whole tiny models cheap.
import type { GraphModel, ValueId } from "../../../../src/graph/index.js";
import { isIntegerType } from "../../../../src/graph/index.js";
import type { Tensor } from "../../../../src/tensor.js";
import { OPS, type OpContext } from "./interpreter-ops.js";
import { type T64, fromTensor } from "./tensor64.js";

export interface InterpreterOptions {
  /** Keep-masks (1 = keep) of training-mode Dropout nodes, by forward node name. */
  readonly dropoutMasks?: ReadonlyMap<string, T64>;
}

export class Interpreter64 {
  private readonly base: Map<ValueId, T64>;

  constructor(
    readonly model: GraphModel,
    feeds: Readonly<Record<string, Tensor | T64>>,
    private readonly options: InterpreterOptions = {},
  ) {
    const initial = new Map<ValueId, T64>();
    for (const [id, t] of model.initializers) {
      if (t.type === "float16") throw new Error(`interpreter: float16 initializer "${model.values[id]!.name}" is not supported`);
      initial.set(id, fromTensor(t));
    }
    for (const id of model.inputs) {
      const name = model.values[id]!.name;
      const fed = feeds[name];
      if (fed === undefined) throw new Error(`interpreter: no feed for input "${name}"`);
      initial.set(id, "type" in fed ? fromTensor(fed) : fed);
    }
    this.base = this.evaluate(initial, undefined);
  }

  /** Value ids by name. */
  id(name: string): ValueId {
    const v = this.model.values.find((x) => x.name === name);
    if (v === undefined) throw new Error(`interpreter: no value "${name}"`);
    return v.id;
  }

  value(name: string): T64 {
    return this.base.get(this.id(name))!;
  }

  /** Evaluates with some inputs/parameters replaced; only their downstream nodes are recomputed. */
  with(overrides: ReadonlyMap<ValueId, T64>): Map<ValueId, T64> {
    return this.evaluate(new Map(overrides), this.base);
  }

  private evaluate(values: Map<ValueId, T64>, cached: Map<ValueId, T64> | undefined): Map<ValueId, T64> {
    const dirty = new Set(values.keys());
    const out = cached === undefined ? values : new Map(cached);
    if (cached !== undefined) for (const [id, v] of values) out.set(id, v);
    for (const node of this.model.nodes) {
      if (cached !== undefined && !node.inputs.some((id) => id !== null && dirty.has(id))) continue;
      const impl = OPS[node.domain ? `${node.domain}.${node.opType}` : node.opType];
      if (impl === undefined) throw new Error(`interpreter: op ${node.opType} is not implemented`);
      const ctx: OpContext = {
        node,
        outputDtypes: node.outputs.map((id) => this.model.values[id]!.dtype),
        dropoutMask: this.options.dropoutMasks?.get(node.name),
      };
      const inputs = node.inputs.map((id) => (id === null ? undefined : out.get(id)));
      const results = impl(inputs, ctx);
      node.outputs.forEach((id, i) => {
        let r = results[i];
        if (r === undefined) throw new Error(`interpreter: ${node.opType} gave no output #${i}`);
        if (isIntegerType(ctx.outputDtypes[i]!)) r = { dims: r.dims, data: r.data.map(Math.trunc) };
        out.set(id, r);
        dirty.add(id);
      });
    }
    return out;
  }
}
