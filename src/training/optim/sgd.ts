/**
 * SGD with optional momentum as torch.optim.SGD (maximize off). Per parameter with gradient g:
 *
 *   d ← g + λ·θ                           (L2 weight decay, coupled — unlike AdamW)
 *   b ← d on the first step, else μ·b + (1 − dampening)·d      (only when μ ≠ 0)
 *   d ← d + μ·b if nesterov, else b
 *   θ ← θ − lr·d
 *
 * One fused loop per tensor; the momentum buffer is allocated on the first step (torch creates it
 * then too) and reused after. float64 element arithmetic, float32 storage.
 */
import { InvalidHyperparameterError, OptimizerStateError } from "./errors.js";
import { nonNegative } from "./hyperparameters.js";
import { gradientFor, type GradientOptions, type GradientSource, type NamedArrays, parameterEntries } from "./named-arrays.js";
import type { Optimizer, OptimizerStateDict } from "./optimizer.js";
import { type DecaySelection, groupStates, initialGroups, restoredGroups, savedBuffer, savedScalar, selectDecayed } from "./parameter-groups.js";

const EMPTY = new Float32Array(0);

export interface SGDOptions {
  /** Learning rate (default 5e-5, as the Trainer's default). */
  readonly lr?: number;
  /** Momentum factor μ (default 0: plain SGD, no buffer). */
  readonly momentum?: number;
  /** Dampening applied to the gradient in the momentum update (default 0). */
  readonly dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0, as in torch). */
  readonly nesterov?: boolean;
  /** L2 penalty λ added to the gradient of decayed parameters (default 0). */
  readonly weightDecay?: number;
  readonly decayParameters?: DecaySelection;
}

interface Slot {
  readonly name: string;
  readonly param: Float32Array;
  momentumBuffer: Float32Array | undefined;
  group: number;
  step: number;
}

export class SGD implements Optimizer {
  private readonly slots: Slot[];
  /** Reused each step for the resolved gradients (no allocation per step). */
  private readonly resolved: Float32Array[];
  private learningRate: number;
  private readonly momentum: number;
  private readonly dampening: number;
  private readonly nesterov: boolean;
  private readonly decay: number;
  private groupDecays: number[];

  constructor(params: NamedArrays, options: SGDOptions = {}) {
    const entries = parameterEntries(params);
    this.learningRate = nonNegative("lr", options.lr ?? 5e-5);
    this.momentum = nonNegative("momentum", options.momentum ?? 0);
    this.dampening = nonNegative("dampening", options.dampening ?? 0);
    this.nesterov = options.nesterov ?? false;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new InvalidHyperparameterError(`nesterov momentum requires momentum > 0 and dampening 0 (got momentum ${this.momentum}, dampening ${this.dampening})`, "nesterov");
    }
    this.decay = nonNegative("weightDecay", options.weightDecay ?? 0);
    const names = entries.map(([name]) => name);
    const groups = initialGroups(names, selectDecayed(names, options.decayParameters), this.decay);
    this.groupDecays = groups.weightDecays;
    this.slots = entries.map(([name, param]) => ({ name, param, momentumBuffer: undefined, group: groups.groupOf.get(name) as number, step: 0 }));
    this.resolved = new Array<Float32Array>(this.slots.length);
  }

  get lr(): number {
    return this.learningRate;
  }

  set lr(value: number) {
    this.learningRate = nonNegative("lr", value);
  }

  get parameterNames(): readonly string[] {
    return this.slots.map((s) => s.name);
  }

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
    slot.step++;
    const lr = this.learningRate;
    const decay = this.groupDecays[slot.group];
    const mu = this.momentum;
    const param = slot.param;
    const n = param.length;
    if (mu === 0) {
      for (let i = 0; i < n; i++) {
        const p = param[i];
        param[i] = p - lr * Math.fround(Math.fround(grad[i] * scale) + decay * p);
      }
      return;
    }
    const first = slot.momentumBuffer === undefined;
    const buffer = (slot.momentumBuffer ??= new Float32Array(n));
    const damp = 1 - this.dampening;
    const nesterov = this.nesterov;
    for (let i = 0; i < n; i++) {
      const p = param[i];
      const d = Math.fround(Math.fround(grad[i] * scale) + decay * p);
      const b = first ? d : Math.fround(mu * buffer[i] + damp * d);
      buffer[i] = b;
      param[i] = p - lr * (nesterov ? Math.fround(d + mu * b) : b);
    }
  }

  stateDict(): OptimizerStateDict {
    const tensors = new Map<string, Float32Array>();
    const scalars: Record<string, { step: number; has_momentum_buffer: number }> = {};
    for (const slot of this.slots) {
      if (slot.momentumBuffer) tensors.set(`momentum_buffer.${slot.name}`, slot.momentumBuffer);
      scalars[slot.name] = { step: slot.step, has_momentum_buffer: slot.momentumBuffer ? 1 : 0 };
    }
    const names = this.slots.map((s) => s.name);
    const groupOf = new Map(this.slots.map((s) => [s.name, s.group]));
    return {
      type: "SGD",
      hyperparameters: { lr: this.learningRate, momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov, weight_decay: this.decay },
      groups: groupStates(names, (n) => groupOf.get(n) as number, this.groupDecays),
      scalars,
      tensors,
    };
  }

  /** Restores buffers, steps, lr and groups; momentum settings must match the saved ones. */
  loadStateDict(state: OptimizerStateDict): void {
    const groups = restoredGroups(state, "SGD", this.slots.map((s) => s.name));
    const hp = state.hyperparameters ?? {};
    for (const key of ["momentum", "dampening", "nesterov"] as const) {
      const mine = key === "momentum" ? this.momentum : key === "dampening" ? this.dampening : this.nesterov;
      if (hp[key] !== mine) {
        throw new OptimizerStateError(`the saved SGD state has ${key} ${String(hp[key])} but this optimizer has ${String(mine)}; create the SGD optimizer with the checkpoint's settings`);
      }
    }
    const lr = hp.lr;
    if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) throw new OptimizerStateError(`the saved SGD lr must be a finite number ≥ 0, got ${String(lr)}`);
    const restored = this.slots.map((slot) => {
      const has = savedScalar(state, slot.name, "has_momentum_buffer") === 1;
      const step = savedScalar(state, slot.name, "step");
      if (!Number.isSafeInteger(step) || step < 0) throw new OptimizerStateError(`the saved step of "${slot.name}" must be a whole number ≥ 0, got ${step}`);
      return {
        slot,
        step,
        buffer: has ? savedBuffer(state, `momentum_buffer.${slot.name}`, slot.param.length) : undefined,
        group: groups.groupOf.get(slot.name) as number,
      };
    });
    this.learningRate = lr;
    this.groupDecays = groups.weightDecays;
    for (const r of restored) {
      r.slot.step = r.step;
      r.slot.group = r.group;
      if (r.buffer) (r.slot.momentumBuffer ??= new Float32Array(r.slot.param.length)).set(r.buffer);
      else r.slot.momentumBuffer = undefined;
    }
  }
}
