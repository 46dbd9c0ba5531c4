import { closestNames } from "../close-names.js";
import { type Dim, type Shape, isSymbolName } from "../dim.js";
import { isFloatType } from "../dtype.js";
import { GraphBuilder } from "../graph-builder.js";
import type { GraphModel, ValueId } from "../ir.js";
import type { Value } from "../value.js";
import { appendBackward } from "./backward-pass.js";
import { AutodiffError } from "./errors.js";
import { zerosLike } from "./gradient-shapes.js";
import { replayForward } from "./replay-forward.js";

/** Prefix of the gradient outputs: `grad.<name>`. */
export const GRADIENT_PREFIX = "grad.";
/** Prefix of the cotangent inputs of a VJP graph: `cotangent.<output name>`. */
export const COTANGENT_PREFIX = "cotangent.";

export interface VjpGraphOptions {
  /** Inputs and parameters (by name) to differentiate with respect to; parameters become inputs. */
  readonly wrt: readonly string[];
  /** Forward outputs that get a cotangent input (default: all float outputs). */
  readonly outputs?: readonly string[];
}

/**
 * A shape usable for a new graph input: dims that are expressions ("floor((samples-5)/3)+1") or
 * unknown become fresh symbols `<prefix>_<axis>`, since inputs take only numbers and plain names.
 */
export function inputShape(shape: Shape, prefix: string): Dim[] {
  const base = prefix.replace(/[^A-Za-z0-9_]/g, "_");
  return shape.map((d, i) => (typeof d === "number" || isSymbolName(d) ? d : `${base}_${i}`));
}

/** Resolves names to forward values, failing with close-name suggestions. */
export function resolveNames(forward: GraphModel, names: readonly string[], what: string): ValueId[] {
  const byName = new Map(forward.values.map((v) => [v.name, v]));
  return names.map((name) => {
    const v = byName.get(name);
    if (v === undefined) {
      const near = closestNames(name, [...byName.keys()]);
      throw new AutodiffError(`${what} "${name}" is not a value of graph "${forward.name}"${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(", ")}?` : ""}`);
    }
    return v.id;
  });
}

/**
 * The vector-Jacobian product graph of `forward`: inputs are the forward inputs, the `wrt`
 * parameters and one cotangent per chosen output (`cotangent.<output>`, same shape); outputs
 * are the forward outputs and `grad.<name>` = Σ_outputs cotangentᵀ·∂output/∂name for each wrt
 * value (zeros where no output depends on it).
 */
export function buildVjpGraph(forward: GraphModel, options: VjpGraphOptions): GraphModel {
  const wrt = resolveNames(forward, options.wrt, "wrt value");
  for (const id of wrt) {
    const v = forward.values[id]!;
    if ((v.kind !== "input" && v.kind !== "parameter") || !isFloatType(v.dtype)) {
      throw new AutodiffError(`cannot differentiate with respect to "${v.name}": only float inputs and parameters are supported, it is a ${v.dtype} ${v.kind}`);
    }
  }
  const outputNames = options.outputs ?? forward.outputs.map((id) => forward.values[id]!).filter((v) => isFloatType(v.dtype)).map((v) => v.name);
  const outputs = resolveNames(forward, outputNames, "output");
  const g = new GraphBuilder({ name: `${forward.name}.vjp` });
  const map = replayForward(forward, g, { promote: new Set(wrt.filter((id) => forward.values[id]!.kind === "parameter")) });
  const seeds = new Map<ValueId, Value>();
  for (const id of outputs) {
    const v = forward.values[id]!;
    const name = `${COTANGENT_PREFIX}${v.name}`;
    seeds.set(id, g.input(name, v.dtype, inputShape(map.get(id)!.shape, name)));
  }
  for (const id of forward.outputs) g.output(forward.values[id]!.name, map.get(id)!);
  const grads = appendBackward(g, forward, (id) => map.get(id), seeds, new Set(wrt));
  for (const id of wrt) {
    const value = map.get(id)!;
    g.output(`${GRADIENT_PREFIX}${forward.values[id]!.name}`, grads.get(id) ?? zerosLike(g, value));
  }
  return g.build();
}
