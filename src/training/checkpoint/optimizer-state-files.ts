/**
 * Optimizer and scheduler states as checkpoint files (our own format, not torch's optimizer.pt):
 * the per-parameter buffers in optimizer.safetensors under "<buffer>.<parameter>" (shaped like the
 * parameter when the model weights say so), everything else in optimizer.json; the schedule in
 * scheduler.json. Floats are written in Python's shortest repr, which reads back to the same
 * double, so a restored state continues bit for bit.
 */
import { describeValue } from "../../errors.js";
import type { Tensor } from "../../tensor.js";
import type { LrSchedulerState, OptimizerStateDict, ParameterGroupState, ScheduleType } from "../optim/index.js";
import { SCHEDULE_TYPES } from "../optim/index.js";
import { CheckpointContentError, CorruptCheckpointError } from "../checkpoint-errors.js";
import { pythonJsonDumps } from "./python-json.js";

export const OPTIMIZER_TENSORS_FILE = "optimizer.safetensors";
export const OPTIMIZER_STATE_FILE = "optimizer.json";
export const SCHEDULER_STATE_FILE = "scheduler.json";

/** The optimizer's buffers as tensors to save, shaped like their parameters when `shapes` knows them. */
export function optimizerTensors(state: OptimizerStateDict, shapes: (parameter: string) => readonly number[] | undefined): Map<string, Tensor> {
  if (!(state?.tensors instanceof Map)) throw new CheckpointContentError(`the optimizer state has no tensors map; pass optimizer.stateDict()`);
  const out = new Map<string, Tensor>();
  for (const [key, data] of state.tensors) {
    if (!(data instanceof Float32Array)) throw new CheckpointContentError(`optimizer buffer "${key}" must be a Float32Array, got ${describeValue(data)}`);
    const dot = key.indexOf(".");
    const shape = dot > 0 ? shapes(key.slice(dot + 1)) : undefined;
    const fits = shape !== undefined && shape.reduce((a, b) => a * b, 1) === data.length;
    out.set(key, { type: "float32", dims: fits ? [...shape] : [data.length], data });
  }
  return out;
}

/** optimizer.json text: type, hyperparameters, groups and per-parameter scalars. */
export function optimizerStateJson(state: OptimizerStateDict): string {
  if (typeof state?.type !== "string" || !Array.isArray(state.groups)) throw new CheckpointContentError(`the optimizer state must come from optimizer.stateDict(), got ${describeValue(state)}`);
  const file = {
    type: state.type,
    hyperparameters: state.hyperparameters,
    param_groups: state.groups.map((g) => ({ weight_decay: g.weightDecay, params: g.params })),
    state: state.scalars,
  };
  return pythonJsonDumps(file, { isFloat: (p) => p.startsWith("/hyperparameters/") || /^\/param_groups\/\d+\/weight_decay$/.test(p) }) + "\n";
}

/** Rebuilds the OptimizerStateDict from optimizer.json's object and the buffers read from optimizer.safetensors. */
export function optimizerStateFrom(file: Record<string, unknown>, tensors: Map<string, Float32Array>, source: string): OptimizerStateDict {
  const bad = (what: string) => new CorruptCheckpointError(`${source}: ${what}`, source);
  if (typeof file.type !== "string") throw bad(`"type" must name the optimizer, got ${describeValue(file.type)}`);
  const hyper = file.hyperparameters;
  if (hyper === null || typeof hyper !== "object" || Array.isArray(hyper)) throw bad(`"hyperparameters" must be an object`);
  if (!Array.isArray(file.param_groups)) throw bad(`"param_groups" must be a list`);
  const groups: ParameterGroupState[] = file.param_groups.map((g: unknown, i: number) => {
    const group = g as { weight_decay?: unknown; params?: unknown };
    if (typeof group?.weight_decay !== "number" || !Array.isArray(group.params) || !group.params.every((p) => typeof p === "string")) {
      throw bad(`param_groups[${i}] must be {"weight_decay": number, "params": [names]}`);
    }
    return { weightDecay: group.weight_decay, params: group.params as string[] };
  });
  const scalars = file.state;
  if (scalars === null || typeof scalars !== "object" || Array.isArray(scalars)) throw bad(`"state" must be an object of per-parameter values`);
  return {
    type: file.type,
    hyperparameters: hyper as OptimizerStateDict["hyperparameters"],
    groups,
    scalars: scalars as OptimizerStateDict["scalars"],
    tensors,
  };
}

/** scheduler.json text. */
export function schedulerStateJson(state: LrSchedulerState): string {
  if (state === null || typeof state !== "object" || !SCHEDULE_TYPES.includes(state.type)) {
    throw new CheckpointContentError(`the scheduler state must come from scheduler.stateDict(), got ${describeValue(state)}`);
  }
  const file = {
    type: state.type,
    base_lr: state.baseLr,
    num_warmup_steps: state.numWarmupSteps,
    num_training_steps: state.numTrainingSteps,
    num_cycles: state.numCycles,
    last_epoch: state.step,
    last_lr: state.lastLr,
  };
  return pythonJsonDumps(file, { isFloat: (p) => p === "/base_lr" || p === "/num_cycles" || p === "/last_lr" }) + "\n";
}

export function schedulerStateFrom(file: Record<string, unknown>, source: string): LrSchedulerState {
  const num = (key: string, nullable = false): number => {
    const v = file[key];
    if (nullable && v === null) return null as unknown as number;
    if (typeof v !== "number" || !Number.isFinite(v)) throw new CorruptCheckpointError(`${source}: "${key}" must be a number, got ${describeValue(v)}`, source);
    return v;
  };
  if (!SCHEDULE_TYPES.includes(file.type as ScheduleType)) throw new CorruptCheckpointError(`${source}: unknown schedule type ${describeValue(file.type)}`, source);
  return {
    type: file.type as ScheduleType,
    baseLr: num("base_lr"),
    numWarmupSteps: num("num_warmup_steps"),
    numTrainingSteps: num("num_training_steps", true) as number | null,
    numCycles: num("num_cycles"),
    step: num("last_epoch"),
    lastLr: num("last_lr"),
  };
}
