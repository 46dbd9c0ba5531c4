import type { Attribute } from "../attributes.js";
import type { GraphBuilder } from "../graph-builder.js";
import type { NodeInfo } from "../ir.js";
import type { Value } from "../value.js";
import { AutodiffError } from "./errors.js";

/**
 * What a vector-Jacobian rule sees of one forward node: the node's inputs and outputs as values of
 * the gradient graph (forward values are reused, not recomputed), its attributes, and which input
 * gradients are wanted, so a rule emits no work for frozen inputs.
 */
export class VjpContext {
  constructor(
    readonly g: GraphBuilder,
    readonly node: NodeInfo,
    private readonly inputs: readonly (Value | undefined)[],
    private readonly outputs: readonly Value[],
    private readonly wanted: readonly boolean[],
  ) {}

  get opType(): string {
    return this.node.domain ? `${this.node.domain}.${this.node.opType}` : this.node.opType;
  }

  input(i: number): Value {
    const v = this.inputs[i];
    if (v === undefined) this.fail(`input #${i} is required`, "Pass a value for it.");
    return v;
  }

  optionalInput(i: number): Value | undefined {
    return this.inputs[i];
  }

  get inputCount(): number {
    return this.inputs.length;
  }

  output(i = 0): Value {
    return this.outputs[i]!;
  }

  /** Whether the gradient of input i is wanted (it is differentiable and depends on a trained parameter). */
  needs(i: number): boolean {
    return this.wanted[i] === true;
  }

  private attribute(name: string): Attribute | undefined {
    return this.node.attributes[name];
  }

  int(name: string, fallback: number): number {
    const a = this.attribute(name);
    return a === undefined ? fallback : (a.value as number);
  }

  float(name: string, fallback: number): number {
    const a = this.attribute(name);
    return a === undefined ? fallback : (a.value as number);
  }

  string(name: string, fallback: string): string {
    const a = this.attribute(name);
    return a === undefined ? fallback : (a.value as string);
  }

  ints(name: string): readonly number[] | undefined {
    return this.attribute(name)?.value as readonly number[] | undefined;
  }

  /** Build-time contents of an integer input (axes, shapes, split sizes), when fully known. */
  knownInts(i: number): number[] | undefined {
    const v = this.inputs[i]?.knownValue;
    if (v === undefined || v.some((d) => typeof d !== "number")) return undefined;
    return v as number[];
  }

  /** Throws an AutodiffError naming this node. */
  fail(problem: string, hint: string): never {
    const where = this.node.scope ? ` in scope "${this.node.scope}"` : "";
    throw new AutodiffError(`gradient of ${this.opType} (node "${this.node.name}"${where}): ${problem}. ${hint}`);
  }
}

/** Gradients of the node's inputs, index-aligned; undefined where no gradient flows. */
export type InputGradients = readonly (Value | undefined)[];

/**
 * A vector-Jacobian rule: given the gradients of the node's outputs (undefined for outputs no
 * gradient reaches), the gradients of its inputs. Rules must return gradients of exactly the
 * input's shape (broadcast operands reduced back) and should only compute those ctx.needs().
 */
export interface VjpRule {
  /**
   * Inputs a gradient can flow to ("all" for variadic ops). Inputs not listed (shapes, axes,
   * indices, conditions) never get one; an empty list marks the op non-differentiable.
   */
  readonly differentiable: readonly number[] | "all";
  /** "zero" for ops whose derivative is zero almost everywhere (Floor); "none" for non-float outputs. */
  readonly kind?: "zero" | "none";
  vjp?(ctx: VjpContext, dOutputs: readonly (Value | undefined)[]): InputGradients;
}

const rules = new Map<string, VjpRule>();

function key(domain: string, opType: string): string {
  return domain ? `${domain}.${opType}` : opType;
}

export function registerVjp(opType: string, rule: VjpRule, domain = ""): void {
  rules.set(key(domain, opType), rule);
}

export function getVjp(opType: string, domain = ""): VjpRule | undefined {
  return rules.get(key(domain, opType));
}

/** Whether a gradient can flow through input `index` of an op with this rule. */
export function isDifferentiableInput(rule: VjpRule | undefined, index: number): boolean {
  if (rule === undefined) return true; // unknown op: assume so, and fail only if it is really needed
  return rule.differentiable === "all" || rule.differentiable.includes(index);
}

/** Ops with a gradient rule, and ops known to pass no gradient (comparisons, shapes, Floor…). */
export function gradientSupport(): { differentiable: string[]; nonDifferentiable: string[] } {
  const differentiable: string[] = [];
  const nonDifferentiable: string[] = [];
  for (const [name, rule] of rules) (rule.vjp !== undefined ? differentiable : nonDifferentiable).push(name);
  return { differentiable: differentiable.sort(), nonDifferentiable: nonDifferentiable.sort() };
}
