/**
 * Splitting parameters into weight-decay groups and checking a saved state against the live
 * parameters: shared by every optimizer so they save and restore groups the same way.
 */
import { describeValue } from "../../errors.js";
import { decayParameterNames } from "./decay-parameters.js";
import { InvalidHyperparameterError, OptimizerStateError } from "./errors.js";
import type { OptimizerStateDict, ParameterGroupState } from "./optimizer.js";

/**
 * Which parameters receive weight decay: "hf" (default) applies the Hugging Face Trainer's rule
 * (no decay for biases and norm layers, see decayParameterNames); "all" decays every parameter as
 * a bare torch optimizer would; a list names the decayed parameters explicitly.
 */
export type DecaySelection = "hf" | "all" | Iterable<string>;

/** The decayed subset of `names` as a Set. */
export function selectDecayed(names: readonly string[], selection: DecaySelection | undefined): Set<string> {
  if (selection === undefined || selection === "hf") return new Set(decayParameterNames(names));
  if (selection === "all") return new Set(names);
  if (typeof selection === "string" || typeof (selection as Iterable<string>)[Symbol.iterator] !== "function") {
    throw new InvalidHyperparameterError(`decayParameters must be "hf", "all" or a list of parameter names, got ${describeValue(selection)}`, "decayParameters");
  }
  const known = new Set(names);
  const chosen = new Set<string>();
  for (const name of selection) {
    if (!known.has(name)) {
      throw new InvalidHyperparameterError(`decayParameters names "${name}", which is not one of the ${names.length} parameters being optimized`, "decayParameters");
    }
    chosen.add(name);
  }
  return chosen;
}

/** The groups as saved: one entry per group, parameters in their given order. */
export function groupStates(names: readonly string[], groupOf: (name: string) => number, weightDecays: readonly number[]): ParameterGroupState[] {
  return weightDecays.map((weightDecay, index) => ({ weightDecay, params: names.filter((n) => groupOf(n) === index) }));
}

/** The initial groups: the decayed parameters with `weightDecay`, then the rest with 0 (empty groups omitted). */
export function initialGroups(names: readonly string[], decayed: ReadonlySet<string>, weightDecay: number): RestoredGroups {
  const weightDecays: number[] = [];
  const groupOf = new Map<string, number>();
  for (const [members, decay] of [[names.filter((n) => decayed.has(n)), weightDecay], [names.filter((n) => !decayed.has(n)), 0]] as const) {
    if (members.length === 0) continue;
    for (const name of members) groupOf.set(name, weightDecays.length);
    weightDecays.push(decay);
  }
  return { weightDecays, groupOf };
}

/** Saved groups resolved against the live parameters: each group's decay and each parameter's group. */
export interface RestoredGroups {
  readonly weightDecays: number[];
  readonly groupOf: Map<string, number>;
}

/**
 * Checks that a saved state covers exactly `names`, each in one group, and returns the groups.
 * The state must name the same parameters: resuming with a different trainable set (e.g. the
 * feature encoder unfrozen) needs a fresh optimizer, not a silent partial restore.
 */
export function restoredGroups(state: OptimizerStateDict, type: string, names: readonly string[]): RestoredGroups {
  if (state === null || typeof state !== "object") throw new OptimizerStateError(`an optimizer state must be an object from stateDict(), got ${describeValue(state)}`);
  if (state.type !== type) throw new OptimizerStateError(`the saved optimizer state is for ${describeValue(state.type)}, not ${type}; create the optimizer the checkpoint was trained with`);
  if (!Array.isArray(state.groups)) throw new OptimizerStateError(`the saved ${type} state has no parameter groups list`);
  const weightDecays: number[] = [];
  const groupOf = new Map<string, number>();
  for (const group of state.groups) {
    if (typeof group.weightDecay !== "number" || !Number.isFinite(group.weightDecay) || group.weightDecay < 0 || !Array.isArray(group.params)) {
      throw new OptimizerStateError(`the saved ${type} state has a malformed parameter group: ${describeValue(group)}`);
    }
    for (const name of group.params) {
      if (groupOf.has(name)) throw new OptimizerStateError(`the saved ${type} state lists parameter "${name}" in two groups`);
      groupOf.set(name, weightDecays.length);
    }
    weightDecays.push(group.weightDecay);
  }
  const live = new Set(names);
  const missing = names.filter((n) => !groupOf.has(n));
  const extra = [...groupOf.keys()].filter((n) => !live.has(n));
  if (missing.length > 0 || extra.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing from the saved state: ${preview(missing)}`);
    if (extra.length > 0) parts.push(`saved but not being optimized now: ${preview(extra)}`);
    throw new OptimizerStateError(`the saved ${type} state is for a different set of parameters (${parts.join("; ")}); resume with the same trainable parameters, or start a new optimizer`);
  }
  return { weightDecays, groupOf };
}

/** The saved buffer `key`, checked for type and length. */
export function savedBuffer(state: OptimizerStateDict, key: string, length: number): Float32Array {
  const tensors = state.tensors;
  const buffer = tensors instanceof Map ? tensors.get(key) : undefined;
  if (!(buffer instanceof Float32Array)) throw new OptimizerStateError(`the saved ${state.type} state has no float32 buffer "${key}"`);
  if (buffer.length !== length) {
    throw new OptimizerStateError(`the saved buffer "${key}" has ${buffer.length} elements but the parameter has ${length}; the checkpoint belongs to a different model shape`);
  }
  return buffer;
}

/** A per-parameter saved scalar, checked to be a number. */
export function savedScalar(state: OptimizerStateDict, name: string, key: string): number {
  const scalars = state.scalars;
  const own = (o: unknown, k: string) => (o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined);
  const value = own(own(scalars, name), key);
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new OptimizerStateError(`the saved ${state.type} state has no numeric "${key}" for parameter "${name}", got ${describeValue(value)}`);
  }
  return value;
}

function preview(names: readonly string[]): string {
  const shown = names.slice(0, 4).map((n) => `"${n}"`).join(", ");
  return names.length > 4 ? `${shown} and ${names.length - 4} more` : shown;
}
