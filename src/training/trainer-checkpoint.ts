/**
 * The Trainer's checkpoints: what saveTrainingCheckpoint stores (model folder, optimizer,
 * scheduler, trainer_state.json, training_args.json) plus the Trainer's own progress — data
 * loader position, micro-batch counter, the loss and sample counters of the current logging
 * window, early-stopping patience — so a run killed at any point continues from its last
 * checkpoint exactly as if it had never stopped.
 */
import type { Tensor } from "../tensor.js";
import { type JsonDocument, type LoadedCheckpoint, type TrainerState, loadTrainingCheckpoint, saveTrainingCheckpoint } from "./checkpoint/index.js";
import type { BatchLoaderState } from "./data/batch-loader.js";
import { ResumeError } from "./errors.js";
import type { LrScheduler, Optimizer } from "./optim/index.js";

/** Counters that are not in trainer_state.json. */
export interface TrainerProgress {
  readonly microStep: number;
  /** Sum of step losses and steps since the last "train" log entry. */
  readonly windowLoss: number;
  readonly windowSteps: number;
  readonly windowSamples: number;
  /** Sum of step losses since the start (for train_loss). */
  readonly totalLoss: number;
  readonly samplesSeen: number;
  /** Training seconds before this process (runtime continues across resumes). */
  readonly runtimeSeconds: number;
  readonly earlyStoppingCounter: number;
  readonly totalFlos: number;
}

export interface TrainerCheckpointContents {
  readonly config: JsonDocument;
  readonly featureExtractorConfig: JsonDocument;
  readonly weights: ReadonlyMap<string, Tensor>;
  readonly optimizer: Optimizer;
  readonly scheduler: LrScheduler;
  readonly loader: BatchLoaderState;
  readonly trainerState: TrainerState;
  readonly trainingArgs: Readonly<Record<string, unknown>>;
  readonly progress: TrainerProgress;
}

export async function saveTrainerCheckpoint(outputDir: string, contents: TrainerCheckpointContents, saveTotalLimit: number | undefined): Promise<string> {
  const saved = await saveTrainingCheckpoint(
    outputDir,
    {
      model: { config: contents.config, weights: contents.weights, featureExtractorConfig: contents.featureExtractorConfig },
      optimizer: contents.optimizer.stateDict(),
      scheduler: contents.scheduler.stateDict(),
      rng: { train_loader: contents.loader },
      trainerState: contents.trainerState,
      trainingArgs: contents.trainingArgs,
      extra: { trainer_progress: contents.progress },
    },
    { saveTotalLimit },
  );
  return saved.path;
}

export interface ResumedTraining {
  readonly checkpoint: LoadedCheckpoint;
  readonly loader: BatchLoaderState;
  readonly progress: TrainerProgress;
}

const PROGRESS_KEYS: readonly (keyof TrainerProgress)[] = [
  "microStep", "windowLoss", "windowSteps", "windowSamples", "totalLoss", "samplesSeen", "runtimeSeconds", "earlyStoppingCounter", "totalFlos",
];

/** Arguments that must not change when resuming: they shape the data order, the schedule or the randomness. */
const FIXED_ARGS = [
  "model_type", "labels", "train_examples", "seed", "per_device_train_batch_size", "gradient_accumulation_steps", "max_steps",
  "learning_rate", "lr_scheduler_type", "warmup_steps", "freeze", "dropout", "max_duration_seconds", "augmentation", "label_smoothing_factor",
  "normalization_mean", "normalization_std",
];

/** Reads a Trainer checkpoint and checks that it belongs to a run with these arguments. */
export async function loadTrainerCheckpoint(path: string, trainingArgs: Readonly<Record<string, unknown>>): Promise<ResumedTraining> {
  const checkpoint = await loadTrainingCheckpoint(path);
  const saved = checkpoint.trainingArgs ?? {};
  const changed = FIXED_ARGS.filter((key) => JSON.stringify(saved[key]) !== JSON.stringify(trainingArgs[key]));
  if (changed.length > 0) {
    const show = (v: unknown): string => (v === undefined ? "nothing" : JSON.stringify(v));
    const details = changed.map((key) => `${key}: ${show(saved[key])} in the checkpoint, ${show(trainingArgs[key])} now`).join("; ");
    throw new ResumeError(`${checkpoint.path} was written by a run with other settings (${details}); resume with the same model, data and options, or start a new output folder`);
  }
  const loader = (checkpoint.rng as { train_loader?: BatchLoaderState }).train_loader;
  const progress = (checkpoint.extra as { trainer_progress?: Partial<TrainerProgress> } | undefined)?.trainer_progress;
  if (loader === undefined || progress === undefined || !PROGRESS_KEYS.every((k) => typeof progress[k] === "number")) {
    throw new ResumeError(`${checkpoint.path} is a checkpoint, but not one the audioclass Trainer wrote (no data-loader position or progress counters); it cannot be resumed`);
  }
  return { checkpoint, loader, progress: progress as TrainerProgress };
}
