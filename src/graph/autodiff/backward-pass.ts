import { formatShape } from "../dim.js";
import { isFloatType } from "../dtype.js";
import type { GraphBuilder } from "../graph-builder.js";
import type { GraphModel, NodeInfo, ValueId } from "../ir.js";
import type { Value } from "../value.js";
import { AutodiffError, NoGradientRuleError } from "./errors.js";
import { findFusedPatterns } from "./fused-patterns.js";
import { shapesCompatible, sumAll } from "./gradient-shapes.js";
import { VjpContext, type VjpRule, getVjp, gradientSupport, isDifferentiableInput } from "./vjp-rule.js";
import "./rules/index.js";

/** Which forward values carry gradients. */
export interface GradientFlow {
  /** Float values that depend (differentiably) on a value in `wrt`. */
  readonly dependsOnWrt: ReadonlySet<ValueId>;
  /** Values some seed depends on differentiably (a gradient reaches them). */
  readonly reachesSeed: ReadonlySet<ValueId>;
}

function qualified(node: NodeInfo): string {
  return node.domain ? `${node.domain}.${node.opType}` : node.opType;
}

/**
 * The analysis behind the backward pass, on the forward IR alone: a forward sweep marks values
 * depending on `wrt`, a backward sweep marks values the seeds depend on. A node gets backward
 * work only where both meet, so subgraphs feeding only frozen parameters, or not feeding the
 * loss, cost nothing.
 */
export function analyzeGradientFlow(model: GraphModel, wrt: Iterable<ValueId>, seeds: Iterable<ValueId>): GradientFlow {
  const dependsOnWrt = new Set<ValueId>();
  for (const id of wrt) if (isFloatType(model.values[id]!.dtype)) dependsOnWrt.add(id);
  for (const node of model.nodes) {
    const rule = getVjp(node.opType, node.domain);
    const flows = node.inputs.some((id, i) => id !== null && dependsOnWrt.has(id) && isDifferentiableInput(rule, i));
    if (!flows) continue;
    for (const id of node.outputs) if (isFloatType(model.values[id]!.dtype)) dependsOnWrt.add(id);
  }
  const reachesSeed = new Set<ValueId>(seeds);
  for (let n = model.nodes.length - 1; n >= 0; n--) {
    const node = model.nodes[n]!;
    if (!node.outputs.some((id) => reachesSeed.has(id))) continue;
    const rule = getVjp(node.opType, node.domain);
    node.inputs.forEach((id, i) => {
      if (id !== null && dependsOnWrt.has(id) && isDifferentiableInput(rule, i)) reachesSeed.add(id);
    });
  }
  return { dependsOnWrt, reachesSeed };
}

/**
 * Appends the backward pass of `model` to `g`, which already holds the forward values
 * (`valueOf` maps forward ids to them). Nodes are visited in reverse topological order; the
 * gradients a value receives from its consumers are summed when its producer is reached (one
 * Add, or one Sum for more than two). Chains matching a fused pattern (exact GELU) are
 * differentiated as one function of their input. Returns the gradient of each `wrt` value
 * reached by a seed.
 */
export function appendBackward(
  g: GraphBuilder,
  model: GraphModel,
  valueOf: (id: ValueId) => Value | undefined,
  seeds: ReadonlyMap<ValueId, Value>,
  wrt: ReadonlySet<ValueId>,
  /** Rules for particular nodes (by forward node id) that were replaced when replayed (training-mode Dropout). */
  overrides: ReadonlyMap<number, VjpRule> = new Map(),
): Map<ValueId, Value> {
  const flow = analyzeGradientFlow(model, wrt, seeds.keys());
  const pending = new Map<ValueId, Value[]>();
  const contribute = (id: ValueId, grad: Value): void => {
    const list = pending.get(id);
    if (list === undefined) pending.set(id, [grad]);
    else list.push(grad);
  };
  const take = (id: ValueId): Value | undefined => {
    const list = pending.get(id);
    if (list === undefined) return undefined;
    pending.delete(id);
    return g.scope(`backward/sum`, () => sumAll(g, list));
  };
  for (const [id, seed] of seeds) contribute(id, seed);
  const patterns = findFusedPatterns(model);
  const insidePattern = new Set([...patterns.values()].flatMap((m) => m.nodes.slice(0, -1)));

  for (let n = model.nodes.length - 1; n >= 0; n--) {
    const node = model.nodes[n]!;
    if (insidePattern.has(node.id) || !node.outputs.some((id) => pending.has(id))) continue;
    const pattern = patterns.get(node.id);
    if (pattern !== undefined) {
      const dy = take(pattern.output)!;
      const x = pattern.input;
      if (!flow.dependsOnWrt.has(x) || !flow.reachesSeed.has(x)) continue;
      contribute(x, g.scope(node.scope ? `backward/${node.scope}` : "backward", () => pattern.gradient(g, valueOf(x)!, dy)));
      continue;
    }
    const rule = overrides.get(node.id) ?? getVjp(node.opType, node.domain);
    const wanted = node.inputs.map((id, i) => id !== null && flow.dependsOnWrt.has(id) && flow.reachesSeed.has(id) && isDifferentiableInput(rule, i));
    const dOutputs = node.outputs.map(take);
    if (!wanted.some(Boolean)) continue;
    if (rule?.vjp === undefined) throw new NoGradientRuleError(qualified(node), node.name, node.scope, gradientSupport().differentiable);
    const ctx = new VjpContext(
      g,
      node,
      node.inputs.map((id) => (id === null ? undefined : valueOf(id))),
      node.outputs.map((id) => valueOf(id)!),
      wanted,
    );
    const scope = node.scope ? `backward/${node.scope}` : "backward";
    const grads = g.scope(scope, () => rule.vjp!(ctx, dOutputs));
    node.inputs.forEach((id, i) => {
      const grad = grads[i];
      if (id === null || !wanted[i] || grad === undefined) return;
      const input = valueOf(id)!;
      if (!shapesCompatible(grad.shape, input.shape) || grad.dtype !== input.dtype) {
        throw new AutodiffError(
          `gradient rule of ${qualified(node)} (node "${node.name}") gave ${grad.dtype}${formatShape(grad.shape)} for input #${i}, ` +
            `which is ${input.dtype}${formatShape(input.shape)}; this is a bug in the rule`,
        );
      }
      contribute(id, grad);
    });
  }
  const result = new Map<ValueId, Value>();
  for (const id of wrt) {
    const grad = take(id);
    if (grad !== undefined) result.set(id, grad);
  }
  return result;
}
