// training/: fine-tuning audio classifiers — datasets and batches, augmentation, optimizers and
// schedules, metrics, checkpoints, and the Trainer that ties them together.
export * from "./data/index.js";
export * from "./augment/index.js";
export * from "./optim/index.js";
export * from "./metrics/index.js";
export * from "./checkpoint/index.js";
export { Rng, type RngState } from "./random.js";
export { TrainingDataError, AugmentationError, MetricError, TrainerOptionsError, ResumeError, NonFiniteLossError } from "./errors.js";
export { Trainer } from "./trainer.js";
export type { TrainResult } from "./train-loop.js";
export { resolveTrainerOptions, familyTrainingDefaults, type TrainerOptions, type ResolvedTrainerOptions, type IntervalStrategy, type ReportTarget, REPORT_TARGETS } from "./trainer-options.js";
export * from "./tensorboard/index.js";
export * from "./report/index.js";
export { TrainingSession, type TrainingSessionOptions, type StepResult } from "./training-session.js";
export { loadTrainableModel, type TrainableModel, type TrainableModelOptions } from "./trainable-model.js";
export { defaultPreprocessorConfig } from "./default-preprocessor.js";
export { withDatasetNormalization } from "./dataset-normalization.js";
export { parseFreezeOption, formatFreezeOption, trainablePredicate, type FreezeOption } from "./freezing.js";
export { evaluateBatches, classificationMetrics, crossEntropy, METRIC_NAMES, type EvaluationResult, type EvaluateOptions } from "./evaluation.js";
export { TrainingLog, TRAINING_LOG_FILE, historyEntry, type TrainerLogEntry } from "./training-log.js";
export { saveTrainerCheckpoint, loadTrainerCheckpoint, type TrainerProgress, type TrainerCheckpointContents, type ResumedTraining } from "./trainer-checkpoint.js";
export { batchFeeds, labelFeed, inputDimsFor } from "./model-feeds.js";
