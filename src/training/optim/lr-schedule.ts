/**
 * Learning-rate schedules as transformers builds them (optimization.py): each is a LambdaLR whose
 * multiplier is a function of the number of optimizer steps taken. As in torch's LambdaLR, the
 * lr of the first step is base·λ(0) — 0 with a warm-up — and each scheduler.step() after an
 * optimizer step moves to λ(t+1). Names are TrainingArguments' `lr_scheduler_type` values.
 */
import { describeValue } from "../../errors.js";
import { InvalidHyperparameterError, OptimizerStateError } from "./errors.js";
import { integerAtLeast, nonNegative } from "./hyperparameters.js";

export type ScheduleType = "constant" | "constant_with_warmup" | "linear" | "cosine";

export const SCHEDULE_TYPES: readonly ScheduleType[] = ["constant", "constant_with_warmup", "linear", "cosine"];

export interface ScheduleOptions {
  readonly type: ScheduleType;
  /** Warm-up steps (ignored by "constant", as get_scheduler ignores it). Default 0. */
  readonly numWarmupSteps?: number;
  /** Total optimizer steps; required by "linear" and "cosine". */
  readonly numTrainingSteps?: number;
  /** Cosine waves over the decay (default 0.5: one half-cosine down to 0). */
  readonly numCycles?: number;
}

/** The multiplier λ(step) of the schedule: the lr of a step is base lr · λ(steps taken before it). */
export function scheduleMultiplier(options: ScheduleOptions, step: number): number {
  const warmup = options.numWarmupSteps ?? 0;
  const total = options.numTrainingSteps ?? 0;
  switch (options.type) {
    case "constant":
      return 1;
    case "constant_with_warmup":
      // transformers divides by max(1.0, warmup) here and by max(1, warmup) below: same values.
      return step < warmup ? step / Math.max(1, warmup) : 1;
    case "linear":
      if (step < warmup) return step / Math.max(1, warmup);
      return Math.max(0, (total - step) / Math.max(1, total - warmup));
    case "cosine": {
      if (step < warmup) return step / Math.max(1, warmup);
      const progress = (step - warmup) / Math.max(1, total - warmup);
      const cycles = options.numCycles ?? 0.5;
      return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * cycles * 2 * progress)));
    }
  }
}

/**
 * Warm-up steps as TrainingArguments.get_warmup_steps: `warmupSteps` when > 0, otherwise
 * ceil(numTrainingSteps × warmupRatio) — computed in float64 like Python, so e.g. 100 × 0.07
 * (= 7.000000000000001) gives 8, exactly as transformers does.
 */
export function warmupSteps(numTrainingSteps: number, options: { readonly warmupSteps?: number; readonly warmupRatio?: number }): number {
  integerAtLeast("numTrainingSteps", numTrainingSteps, 0);
  const steps = integerAtLeast("warmupSteps", options.warmupSteps ?? 0, 0);
  const ratio = nonNegative("warmupRatio", options.warmupRatio ?? 0);
  if (ratio > 1) throw new InvalidHyperparameterError(`warmupRatio must be in [0, 1] (a fraction of the training steps), got ${ratio}`, "warmupRatio");
  return steps > 0 ? steps : Math.ceil(numTrainingSteps * ratio);
}

/** Something whose learning rate a scheduler drives (every Optimizer). */
export interface LrTarget {
  lr: number;
}

/** What a scheduler saves: enough to continue exactly where it stopped. */
export interface LrSchedulerState {
  readonly type: ScheduleType;
  readonly baseLr: number;
  readonly numWarmupSteps: number;
  readonly numTrainingSteps: number | null;
  readonly numCycles: number;
  /** Optimizer steps taken (LambdaLR's last_epoch). */
  readonly step: number;
  /** The lr set for the next step (LambdaLR's _last_lr). */
  readonly lastLr: number;
}

/**
 * A LambdaLR over an optimizer: takes the optimizer's lr as the base and sets the optimizer's lr
 * to base·λ(0) at once (torch's initial step), then to base·λ(t) on each step().
 */
export class LrScheduler {
  private readonly options: Required<ScheduleOptions>;
  private readonly base: number;
  private taken = 0;

  constructor(
    private readonly target: LrTarget,
    options: ScheduleOptions,
  ) {
    this.options = checkedOptions(options);
    this.base = nonNegative("base lr (the optimizer's lr)", target.lr);
    target.lr = this.lr;
  }

  get type(): ScheduleType {
    return this.options.type;
  }

  get baseLr(): number {
    return this.base;
  }

  /** Optimizer steps taken so far. */
  get stepCount(): number {
    return this.taken;
  }

  /** The lr for the next optimizer step. */
  get lr(): number {
    return this.base * scheduleMultiplier(this.options, this.taken);
  }

  /** Call after each optimizer step: advances the schedule and sets the optimizer's lr. Returns it. */
  step(): number {
    this.taken++;
    const lr = this.lr;
    this.target.lr = lr;
    return lr;
  }

  stateDict(): LrSchedulerState {
    const o = this.options;
    return {
      type: o.type,
      baseLr: this.base,
      numWarmupSteps: o.numWarmupSteps,
      numTrainingSteps: o.type === "linear" || o.type === "cosine" ? o.numTrainingSteps : null,
      numCycles: o.numCycles,
      step: this.taken,
      lastLr: this.lr,
    };
  }

  /**
   * Restores the step count. The schedule itself must be the one the state was saved with: a
   * resumed run that silently changed its schedule would not continue the same training.
   */
  loadStateDict(state: LrSchedulerState): void {
    if (state === null || typeof state !== "object") throw new OptimizerStateError(`a scheduler state must be an object from stateDict(), got ${describeValue(state)}`);
    const mine = this.stateDict();
    for (const key of ["type", "baseLr", "numWarmupSteps", "numTrainingSteps", "numCycles"] as const) {
      if (state[key] !== mine[key]) {
        throw new OptimizerStateError(
          `the saved schedule has ${key} ${describeValue(state[key])} but this scheduler has ${describeValue(mine[key])}; resume with the checkpoint's training arguments`,
        );
      }
    }
    if (!Number.isSafeInteger(state.step) || state.step < 0) throw new OptimizerStateError(`the saved schedule step must be a whole number ≥ 0, got ${describeValue(state.step)}`);
    this.taken = state.step;
    this.target.lr = this.lr;
  }
}

function checkedOptions(options: ScheduleOptions): Required<ScheduleOptions> {
  if (options === null || typeof options !== "object" || !SCHEDULE_TYPES.includes(options.type)) {
    throw new InvalidHyperparameterError(`schedule type must be one of ${SCHEDULE_TYPES.join(", ")}, got ${describeValue(options?.type)}`, "type");
  }
  const numWarmupSteps = integerAtLeast("numWarmupSteps", options.numWarmupSteps ?? 0, 0);
  const needsTotal = options.type === "linear" || options.type === "cosine";
  if (needsTotal && options.numTrainingSteps === undefined) {
    throw new InvalidHyperparameterError(`the "${options.type}" schedule needs numTrainingSteps (the total number of optimizer steps)`, "numTrainingSteps");
  }
  const numTrainingSteps = integerAtLeast("numTrainingSteps", options.numTrainingSteps ?? 0, 0);
  const numCycles = nonNegative("numCycles", options.numCycles ?? 0.5);
  return { type: options.type, numWarmupSteps: options.type === "constant" ? 0 : numWarmupSteps, numTrainingSteps, numCycles };
}
