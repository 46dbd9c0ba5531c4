/**
 * AdamW exactly as torch.optim.AdamW (single-tensor path, amsgrad off, maximize off), on
 * Float32Arrays updated in place. Per step t and parameter θ with gradient g:
 *
 *   θ ← θ·(1 − lr·λ)                               decoupled weight decay
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 *
 * One fused loop per tensor, no allocation per step (moment buffers are allocated once). Element
 * arithmetic runs in float64 and is stored as float32 — torch computes in float32 — so results
 * agree with torch to float32 rounding, not bit for bit. The stored (rounded) m and v feed the
 * update, as in torch. Defaults follow Hugging Face's TrainingArguments (lr 5e-5, weight decay 0,
 * decay groups by the Trainer's rule); torch's own defaults are lr 1e-3, weight decay 1e-2.
 */
import { unitInterval, nonNegative } from "./hyperparameters.js";
import { gradientFor, type GradientOptions, type GradientSource, type NamedArrays, parameterEntries } from "./named-arrays.js";
import type { Optimizer, OptimizerStateDict } from "./optimizer.js";
import { type DecaySelection, groupStates, initialGroups, restoredGroups, savedBuffer, savedScalar, selectDecayed } from "./parameter-groups.js";
import { InvalidHyperparameterError, OptimizerStateError } from "./errors.js";

/** Fills the reused gradient slots between steps so the caller's arrays are not kept alive. */
const EMPTY = new Float32Array(0);

export interface AdamWOptions {
  /** Learning rate (default 5e-5, TrainingArguments.learning_rate). */
  readonly lr?: number;
  /** (β1, β2), default (0.9, 0.999). */
  readonly betas?: readonly [number, number];
  /** Added to the denominator, default 1e-8. */
  readonly eps?: number;
  /** Decoupled weight decay λ for the decayed group, default 0. */
  readonly weightDecay?: number;
  /** Which parameters are decayed (default "hf": not biases or norm layers). */
  readonly decayParameters?: DecaySelection;
}

interface Slot {
  readonly name: string;
  readonly param: Float32Array;
  readonly expAvg: Float32Array;
  readonly expAvgSq: Float32Array;
  /** Index into the optimizer's groups (the weight decay this parameter gets). */
  group: number;
  step: number;
}

export class AdamW implements Optimizer {
  private readonly slots: Slot[];
  /** Reused each step for the resolved gradients (no allocation per step). */
  private readonly resolved: Float32Array[];
  private learningRate: number;
  private beta1: number;
  private beta2: number;
  private epsilon: number;
  private decay: number;
  private groupDecays: number[];

  constructor(params: NamedArrays, options: AdamWOptions = {}) {
    const entries = parameterEntries(params);
    this.learningRate = nonNegative("lr", options.lr ?? 5e-5);
    const betas = options.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) throw new InvalidHyperparameterError(`betas must be a pair [β1, β2] such as [0.9, 0.999]`, "betas");
    this.beta1 = unitInterval("betas[0]", betas[0]);
    this.beta2 = unitInterval("betas[1]", betas[1]);
    this.epsilon = nonNegative("eps", options.eps ?? 1e-8);
    this.decay = nonNegative("weightDecay", options.weightDecay ?? 0);
    const names = entries.map(([name]) => name);
    const groups = initialGroups(names, selectDecayed(names, options.decayParameters), this.decay);
    this.groupDecays = groups.weightDecays;
    this.slots = entries.map(([name, param]) => ({
      name,
      param,
      expAvg: new Float32Array(param.length),
      expAvgSq: new Float32Array(param.length),
      group: groups.groupOf.get(name) as number,
      step: 0,
    }));
    this.resolved = new Array<Float32Array>(this.slots.length);
  }

  get lr(): number {
    return this.learningRate;
  }

  set lr(value: number) {
    this.learningRate = nonNegative("lr", value);
  }

  get betas(): readonly [number, number] {
    return [this.beta1, this.beta2];
  }

  get eps(): number {
    return this.epsilon;
  }

  get weightDecay(): number {
    return this.decay;
  }

  get parameterNames(): readonly string[] {
    return this.slots.map((s) => s.name);
  }

  /** Names of the parameters that get weight decay (their group's decay is > 0). */
  get decayedParameterNames(): readonly string[] {
    return this.slots.filter((s) => this.groupDecays[s.group] > 0).map((s) => s.name);
  }

  /** Steps taken so far (the most any parameter took: parameters passed in `skip` do not count a step). */
  get stepCount(): number {
    let most = 0;
    for (const slot of this.slots) most = Math.max(most, slot.step);
    return most;
  }

  /**
   * One AdamW update of every parameter. All gradients are checked before any parameter changes,
   * so a missing or misshapen gradient leaves the model and the state untouched.
   */
  step(grads: GradientSource, options: GradientOptions = {}): void {
    const resolved = this.resolved;
    const skip = options.skip;
    for (let i = 0; i < this.slots.length; i++) {
      resolved[i] = skip?.has(this.slots[i].name) ? EMPTY : gradientFor(grads, this.slots[i].name, this.slots[i].param.length, options);
    }
    const scale = nonNegative("scale", options.scale ?? 1);
    for (let i = 0; i < this.slots.length; i++) if (!skip?.has(this.slots[i].name)) this.update(this.slots[i], resolved[i], scale);
    resolved.fill(EMPTY);
  }

  private update(slot: Slot, grad: Float32Array, scale: number): void {
    const step = ++slot.step;
    const lr = this.learningRate;
    const beta1 = this.beta1;
    const beta2 = this.beta2;
    const eps = this.epsilon;
    // Scalars are formed in float64 exactly as torch forms them in Python.
    const keep = 1 - lr * this.groupDecays[slot.group];
    const oneMinusBeta1 = 1 - beta1;
    const oneMinusBeta2 = 1 - beta2;
    const stepSize = lr / (1 - beta1 ** step);
    const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
    const { param, expAvg, expAvgSq } = slot;
    const n = param.length;
    for (let i = 0; i < n; i++) {
      // Rounded like a gradient clipped in place, so a fused clip equals clip-then-step bit for bit.
      const g = Math.fround(grad[i] * scale);
      const m = Math.fround(beta1 * expAvg[i] + oneMinusBeta1 * g);
      const v = Math.fround(beta2 * expAvgSq[i] + oneMinusBeta2 * g * g);
      expAvg[i] = m;
      expAvgSq[i] = v;
      // torch rounds θ·(1 − lr·λ) to float32 before the Adam step; fround keeps that order.
      param[i] = Math.fround(param[i] * keep) - (stepSize * m) / (Math.sqrt(v) / bias2Sqrt + eps);
    }
  }

  stateDict(): OptimizerStateDict {
    const tensors = new Map<string, Float32Array>();
    const scalars: Record<string, { step: number }> = {};
    for (const slot of this.slots) {
      tensors.set(`exp_avg.${slot.name}`, slot.expAvg);
      tensors.set(`exp_avg_sq.${slot.name}`, slot.expAvgSq);
      scalars[slot.name] = { step: slot.step };
    }
    const names = this.slots.map((s) => s.name);
    const groupOf = new Map(this.slots.map((s) => [s.name, s.group]));
    return {
      type: "AdamW",
      hyperparameters: { lr: this.learningRate, betas: [this.beta1, this.beta2], eps: this.epsilon, weight_decay: this.decay },
      groups: groupStates(names, (n) => groupOf.get(n) as number, this.groupDecays),
      scalars,
      tensors,
    };
  }

  /**
   * Restores moments, step counts, hyperparameters and decay groups (as torch's load_state_dict
   * restores param_groups). Everything is validated before anything is changed.
   */
  loadStateDict(state: OptimizerStateDict): void {
    const names = this.slots.map((s) => s.name);
    const groups = restoredGroups(state, "AdamW", names);
    const { lr, beta1, beta2, eps, weightDecay } = savedHyperparameters(state);
    const restored = this.slots.map((slot) => ({
      slot,
      expAvg: savedBuffer(state, `exp_avg.${slot.name}`, slot.param.length),
      expAvgSq: savedBuffer(state, `exp_avg_sq.${slot.name}`, slot.param.length),
      step: savedStep(state, slot.name),
      group: groups.groupOf.get(slot.name) as number,
    }));
    this.learningRate = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = eps;
    this.decay = weightDecay;
    this.groupDecays = groups.weightDecays;
    for (const r of restored) {
      r.slot.expAvg.set(r.expAvg);
      r.slot.expAvgSq.set(r.expAvgSq);
      r.slot.step = r.step;
      r.slot.group = r.group;
    }
  }
}

function savedStep(state: OptimizerStateDict, name: string): number {
  const step = savedScalar(state, name, "step");
  if (!Number.isSafeInteger(step) || step < 0) throw new OptimizerStateError(`the saved step of "${name}" must be a whole number ≥ 0, got ${step}`);
  return step;
}

function savedHyperparameters(state: OptimizerStateDict) {
  const hp = state.hyperparameters ?? {};
  try {
    const betas = hp.betas;
    if (!Array.isArray(betas) || betas.length !== 2) throw new InvalidHyperparameterError(`betas must be a pair, got ${String(betas)}`, "betas");
    return {
      lr: nonNegative("lr", hp.lr),
      beta1: unitInterval("betas[0]", betas[0]),
      beta2: unitInterval("betas[1]", betas[1]),
      eps: nonNegative("eps", hp.eps),
      weightDecay: nonNegative("weight_decay", hp.weight_decay),
    };
  } catch (error) {
    throw new OptimizerStateError(`the saved AdamW hyperparameters are invalid: ${(error as Error).message}`, { cause: error });
  }
}
