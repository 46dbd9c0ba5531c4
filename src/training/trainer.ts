/**
 * Trainer: fine-tunes (or trains from scratch) an audio classifier the way Hugging Face's
 * Trainer does, on our graphs and ONNX Runtime.
 *
 *     const trainer = await Trainer.create({ model: "MIT/ast-finetuned-audioset-10-10-0.4593",
 *       trainData: await AudioDataset.fromFolder("esc50/train"), evalSplit: 0.2, outputDir: "runs/ast" });
 *     const result = await trainer.train();       // checkpoints, training_log.jsonl, final model
 *     const metrics = await trainer.evaluate();   // accuracy, precision, recall, f1, confusion matrix
 *     await trainer.dispose();
 *
 * create() loads the model (adapting it to the training labels), resolves the options (see
 * trainer-options.ts for the defaults), freezes what `freeze` says and builds the training
 * session; train() runs the loop (train-loop.ts); save() writes a model folder that
 * transformers' from_pretrained and our pipeline load unchanged.
 */
import { mkdir } from "node:fs/promises";
import type { FeatureExtractor } from "../features/index.js";
import { resolve } from "node:path";
import { AudioDataset } from "./data/audio-dataset.js";
import { BatchLoader } from "./data/batch-loader.js";
import { LabelMap } from "./data/label-map.js";
import { stratifiedSplit } from "./data/splits.js";
import { TrainerOptionsError, TrainingDataError } from "./errors.js";
import { type EvaluationResult, evaluateBatches } from "./evaluation.js";
import { formatFreezeOption, trainablePredicate } from "./freezing.js";
import { type SavedModelFolder, saveModelFolder } from "./checkpoint/index.js";
import { type TrainResult, runTraining } from "./train-loop.js";
import { type TrainableModel, loadTrainableModel } from "./trainable-model.js";
import { type ResolvedTrainerOptions, type TrainerOptions, resolveTrainerOptions } from "./trainer-options.js";
import { TrainingSession } from "./training-session.js";
import { defaultLoggingDir } from "./tensorboard/index.js";
import type { NormalizationStats } from "./data/normalization-stats.js";
import { withDatasetNormalization } from "./dataset-normalization.js";

/** The dataset with the given label order (ids follow `labels`). */
function withLabels(dataset: AudioDataset, labels: readonly string[]): AudioDataset {
  const same = dataset.labelMap.labels.length === labels.length && dataset.labelMap.labels.every((l, i) => l === labels[i]);
  if (same) return dataset;
  const map = LabelMap.fromList(labels);
  for (const example of dataset.examples) for (const label of example.labels) map.id(label, example.path);
  return new AudioDataset(dataset.examples, map, { multiLabel: dataset.multiLabel, source: dataset.source });
}

function checkCreateOptions(options: TrainerOptions): void {
  if (options === null || typeof options !== "object") throw new TrainerOptionsError("Trainer.create needs an options object ({ model, trainData, outputDir, … })", "options");
  if (typeof options.model !== "string" || options.model === "") throw new TrainerOptionsError("model must be a model folder, a Hugging Face id or a config.json path", "model");
  if (!(options.trainData instanceof AudioDataset)) throw new TrainerOptionsError("trainData must be an AudioDataset (AudioDataset.fromFolder / fromCsv / fromJsonl)", "trainData");
  if (options.evalData !== undefined && !(options.evalData instanceof AudioDataset)) throw new TrainerOptionsError("evalData must be an AudioDataset", "evalData");
  if (typeof options.outputDir !== "string" || options.outputDir === "") throw new TrainerOptionsError("outputDir must name a folder for checkpoints and the trained model", "outputDir");
  if (options.evalSplit !== undefined && !(options.evalSplit > 0 && options.evalSplit < 1)) {
    throw new TrainerOptionsError(`evalSplit must be a fraction in (0, 1) of the training data to hold out, got ${options.evalSplit}`, "evalSplit");
  }
  if (options.evalSplit !== undefined && options.evalData !== undefined) throw new TrainerOptionsError("pass evalData or evalSplit, not both", "evalSplit");
  if (options.computeNormalization !== undefined && typeof options.computeNormalization !== "boolean") {
    throw new TrainerOptionsError(`computeNormalization must be true or false, got ${JSON.stringify(options.computeNormalization)}`, "computeNormalization");
  }
  if (options.trainData.numLabels < 2 && !options.trainData.multiLabel) {
    throw new TrainerOptionsError(`${options.trainData.source} has a single label (${options.trainData.labelMap.labels[0]}); a classifier needs examples of at least two`, "trainData");
  }
}

export class Trainer {
  private evalLoaderCache: BatchLoader | undefined;
  /** TensorBoard's folder: loggingDir, or TrainingArguments' default (fixed when the trainer is made). */
  readonly loggingDir: string;

  private constructor(
    readonly options: TrainerOptions,
    readonly args: ResolvedTrainerOptions,
    readonly model: TrainableModel,
    readonly session: TrainingSession,
    readonly trainData: AudioDataset,
    readonly evalData: AudioDataset | undefined,
    readonly outputDir: string,
    /** The training split's feature mean and std, when computeNormalization asked for them. */
    readonly normalizationStats: NormalizationStats | undefined,
  ) {
    this.loggingDir = args.loggingDir ?? defaultLoggingDir(outputDir);
  }

  static async create(options: TrainerOptions): Promise<Trainer> {
    checkCreateOptions(options);
    let trainData = options.trainData;
    let evalData = options.evalData;
    const seed = options.seed ?? 42;
    if (options.evalSplit !== undefined) {
      const split = stratifiedSplit(trainData, { testSize: options.evalSplit, seed });
      trainData = split.train;
      evalData = split.test;
    }
    let model = await loadTrainableModel(options.model, trainData.labelMap.labels, { seed, multiLabel: trainData.multiLabel, hub: options.hub });
    trainData = withLabels(trainData, model.labels);
    evalData = evalData === undefined ? undefined : withLabels(evalData, model.labels);
    if (evalData !== undefined && evalData.multiLabel !== trainData.multiLabel) {
      throw new TrainingDataError(`${evalData.source} is ${evalData.multiLabel ? "multi" : "single"}-label but the training data is not; evaluate on data labelled the same way`);
    }
    const args = resolveTrainerOptions(options, model.modelConfig.modelType, evalData !== undefined);
    let normalizationStats: NormalizationStats | undefined;
    // After the split: the held-out clips must not shape the statistics.
    if (options.computeNormalization === true) ({ model, stats: normalizationStats } = await withDatasetNormalization(model, trainData, { progress: options.progress ?? true }));
    const trainable = trainablePredicate(model.architecture, model.modelConfig, model.specs, args.freeze);
    const session = await TrainingSession.create({
      architecture: model.architecture,
      config: model.modelConfig,
      weights: model.weights,
      trainable,
      multiLabel: trainData.multiLabel,
      labelSmoothing: args.labelSmoothing,
      dropout: args.dropout,
      seed: args.seed,
      threads: options.threads,
      fused: args.fused,
    });
    return new Trainer(options, args, model, session, trainData, evalData, resolve(options.outputDir), normalizationStats);
  }

  /** The loader settings shared by training and evaluation (attention masks for families whose graph takes them). */
  loaderOptions(): { featureExtractor: FeatureExtractor; returnAttentionMask?: boolean } {
    const masked = this.model.architecture.takesAttentionMask;
    return { featureExtractor: this.model.featureExtractor, ...(masked && { returnAttentionMask: this.args.attentionMask }) };
  }

  /** TrainingArguments-style record of this run (training_args.json; checked when resuming). */
  trainingArgs(): Record<string, unknown> {
    const a = this.args;
    return {
      model: this.options.model,
      model_type: this.model.modelConfig.modelType,
      labels: [...this.model.labels],
      train_examples: this.trainData.size,
      eval_examples: this.evalData?.size ?? 0,
      output_dir: this.outputDir,
      seed: a.seed,
      learning_rate: a.learningRate,
      per_device_train_batch_size: a.batchSize,
      per_device_eval_batch_size: a.evalBatchSize,
      gradient_accumulation_steps: a.gradientAccumulationSteps,
      num_train_epochs: a.epochs,
      max_steps: a.maxSteps ?? -1,
      warmup_ratio: a.warmupRatio,
      warmup_steps: a.warmupSteps,
      weight_decay: a.weightDecay,
      adam_beta1: a.adamBetas[0],
      adam_beta2: a.adamBetas[1],
      adam_epsilon: a.adamEpsilon,
      max_grad_norm: a.maxGradNorm,
      lr_scheduler_type: a.scheduler,
      eval_strategy: a.evalStrategy,
      eval_steps: a.evalSteps,
      save_strategy: a.saveStrategy,
      save_steps: a.saveSteps,
      save_total_limit: a.saveTotalLimit ?? null,
      logging_steps: a.loggingSteps,
      report_to: [...a.reportTo],
      logging_dir: this.loggingDir,
      metric_for_best_model: a.metricForBestModel,
      greater_is_better: a.greaterIsBetter,
      load_best_model_at_end: a.loadBestModelAtEnd,
      early_stopping_patience: a.earlyStoppingPatience ?? null,
      early_stopping_threshold: a.earlyStoppingThreshold,
      label_smoothing_factor: a.labelSmoothing,
      freeze: formatFreezeOption(a.freeze),
      dropout: a.dropout,
      max_duration_seconds: a.maxDurationSeconds ?? null,
      augmentation: this.options.augment ? this.options.augment.name : null,
      ...(this.normalizationStats !== undefined && { normalization_mean: this.normalizationStats.mean, normalization_std: this.normalizationStats.std }),
    };
  }

  /** Runs the training loop; see train-loop.ts. */
  async train(): Promise<TrainResult> {
    await mkdir(this.outputDir, { recursive: true });
    return runTraining(this);
  }

  /** Evaluates the current weights on `data` (default: the evaluation data). */
  async evaluate(data?: AudioDataset): Promise<EvaluationResult> {
    const dataset = data === undefined ? this.evalData : withLabels(data, this.model.labels);
    if (dataset === undefined) throw new TrainerOptionsError("there is no evaluation data: pass evalData or evalSplit to Trainer.create, or a dataset to evaluate()", "evalData");
    const loader = data === undefined ? this.evalLoader() : new BatchLoader(dataset, { ...this.loaderOptions(), batchSize: this.args.evalBatchSize });
    return evaluateBatches(loader.epochBatches(), (inputs) => this.session.logits(inputs), { labels: this.model.labels, multiLabel: dataset.multiLabel });
  }

  /** The evaluation loader (kept, so its feature cache serves every evaluation). */
  evalLoader(): BatchLoader {
    if (this.evalData === undefined) throw new TrainerOptionsError("there is no evaluation data", "evalData");
    this.evalLoaderCache ??= new BatchLoader(this.evalData, { ...this.loaderOptions(), batchSize: this.args.evalBatchSize });
    return this.evalLoaderCache;
  }

  /** Saves the current weights as a Hugging Face model folder (default: the output folder). */
  async save(dir: string = this.outputDir): Promise<SavedModelFolder> {
    return saveModelFolder(dir, { config: this.model.config, weights: this.session.currentWeights(), featureExtractorConfig: this.model.featureExtractorConfig });
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}
