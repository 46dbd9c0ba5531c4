/**
 * The training loop of Trainer.train(), step for step what Hugging Face's Trainer does:
 *
 * - micro-batches in a seeded shuffled order; each micro-batch's mean-loss gradient is scaled by
 *   1/gradient_accumulation_steps and summed; an optimizer step closes each window, and also the
 *   last, shorter window of an epoch;
 * - the gradient norm is clipped to max_grad_norm (the norm before clipping is logged), AdamW
 *   steps (parameters LayerDrop skipped in every micro-batch of the step are left alone, like
 *   PyTorch parameters without .grad), the schedule advances;
 * - every logging_steps: the mean step loss since the last entry (rounded to 4 digits), grad_norm,
 *   the learning rate of the next step, epoch, samples/s; then evaluation and a checkpoint when
 *   their schedules say so (and a checkpoint at the last step); best metric and early stopping
 *   follow each evaluation;
 * - at the end the best checkpoint's weights are loaded (load_best_model_at_end), the model
 *   folder, trainer_state.json and train_results.json are written.
 */
import { rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { countMatmulFlops } from "../graph/index.js";
import { LAYER_DROP_INPUT } from "../models/index.js";
import { createProgressBar, type ProgressStream } from "../util/progress.js";
import { type LogEntry, createTrainerState, latestCheckpoint, listCheckpoints, loadTrainingCheckpoint } from "./checkpoint/index.js";
import { BatchLoader } from "./data/batch-loader.js";
import { NonFiniteLossError, ResumeError, TrainerOptionsError } from "./errors.js";
import type { EvaluationResult } from "./evaluation.js";
import { AdamW, GradientAccumulator, LrScheduler, clipCoefficient, clipGradNorm, gradNorm, warmupSteps } from "./optim/index.js";
import type { Trainer } from "./trainer.js";
import { type TrainerProgress, loadTrainerCheckpoint, saveTrainerCheckpoint } from "./trainer-checkpoint.js";
import { saveMetrics, writeTrainerState } from "./trainer-files.js";
import { TrainingLog, type TrainerLogEntry, historyEntry } from "./training-log.js";
import { RunReporters } from "./run-reporters.js";

export interface TrainResult {
  readonly outputDir: string;
  readonly globalStep: number;
  readonly epoch: number;
  /** Mean step loss over the whole run. */
  readonly trainLoss: number;
  readonly runtimeSeconds: number;
  readonly samplesPerSecond: number;
  readonly stepsPerSecond: number;
  readonly stoppedEarly: boolean;
  readonly bestMetric: number | null;
  readonly bestCheckpoint: string | null;
  readonly resumedFrom: string | undefined;
  /** Every log entry of the run (resumed runs include the entries before the checkpoint). */
  readonly log: readonly TrainerLogEntry[];
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Checkpoint to resume from: a folder, or "latest" in the output folder. */
async function resumePath(trainer: Trainer): Promise<string | undefined> {
  const from = trainer.options.resumeFrom;
  if (from === undefined) return undefined;
  if (from !== "latest") return from;
  const latest = await latestCheckpoint(trainer.outputDir);
  if (latest === undefined) throw new ResumeError(`resume "latest": ${trainer.outputDir} has no complete checkpoint-<step> folder to resume from`);
  return latest;
}

/** A new run must not mix its checkpoints with an earlier run's: refuse, or (overwriteOutputDir) clear them. */
async function claimOutputDir(trainer: Trainer): Promise<void> {
  const earlier = await listCheckpoints(trainer.outputDir);
  if (earlier.length === 0) return;
  if (!trainer.options.overwriteOutputDir) {
    throw new TrainerOptionsError(
      `${trainer.outputDir} already holds checkpoints of a run (${earlier.map((c) => basename(c.path)).slice(0, 3).join(", ")}${earlier.length > 3 ? ", …" : ""}); ` +
        `continue it with resumeFrom "latest" (--resume latest), pick another output folder, or pass overwriteOutputDir (--overwrite-output) to delete them and start over`,
      "outputDir",
    );
  }
  for (const c of earlier) await rm(c.path, { recursive: true, force: true });
}

export async function runTraining(trainer: Trainer): Promise<TrainResult> {
  const a = trainer.args;
  const session = trainer.session;
  const outputDir = trainer.outputDir;
  const trainData = trainer.trainData;
  const loader = new BatchLoader(trainData, {
    ...trainer.loaderOptions(),
    batchSize: a.batchSize,
    shuffle: true,
    seed: a.seed,
    augment: trainer.options.augment ?? null,
    ...(a.maxDurationSeconds !== undefined && { maxDurationSeconds: a.maxDurationSeconds, crop: "random" as const }),
  });
  const accum = a.gradientAccumulationSteps;
  const stepsPerEpoch = Math.ceil(loader.batchesPerEpoch / accum);
  const maxSteps = a.maxSteps ?? Math.ceil(a.epochs * stepsPerEpoch);
  const numTrainEpochs = Math.ceil(maxSteps / stepsPerEpoch);
  const optimizer = new AdamW(session.parameters, { lr: a.learningRate, betas: a.adamBetas, eps: a.adamEpsilon, weightDecay: a.weightDecay });
  const scheduler = new LrScheduler(optimizer, { type: a.scheduler, numWarmupSteps: warmupSteps(maxSteps, { warmupSteps: a.warmupSteps, warmupRatio: a.warmupRatio }), numTrainingSteps: maxSteps });
  const accumulator = new GradientAccumulator(session.parameters, { steps: accum });
  const trainingArgs: Record<string, unknown> = { ...trainer.trainingArgs(), max_steps: maxSteps };

  let globalStep = 0;
  let epoch = 0;
  let history: LogEntry[] = [];
  let bestMetric: number | null = null;
  let bestStep: number | null = null;
  let bestCheckpoint: string | null = null;
  let p: TrainerProgress = { microStep: 0, windowLoss: 0, windowSteps: 0, windowSamples: 0, totalLoss: 0, samplesSeen: 0, runtimeSeconds: 0, earlyStoppingCounter: 0, totalFlos: 0 };
  let resumedArgs: Readonly<Record<string, unknown>> | undefined;
  const resumedFrom = await resumePath(trainer);
  if (resumedFrom === undefined) await claimOutputDir(trainer);
  if (resumedFrom !== undefined) {
    const resumed = await loadTrainerCheckpoint(resumedFrom, trainingArgs);
    const { checkpoint } = resumed;
    resumedArgs = checkpoint.trainingArgs;
    session.loadWeights(checkpoint.weights, checkpoint.path);
    try {
      optimizer.loadStateDict(checkpoint.optimizer);
      if (checkpoint.scheduler) scheduler.loadStateDict(checkpoint.scheduler);
      loader.setState(resumed.loader);
    } catch (cause) {
      throw new ResumeError(`${checkpoint.path} does not fit this run: ${(cause as Error).message}`, { cause });
    }
    const s = checkpoint.trainerState;
    globalStep = s.global_step;
    epoch = s.epoch ?? 0;
    history = [...s.log_history];
    bestMetric = s.best_metric;
    bestStep = s.best_global_step;
    bestCheckpoint = s.best_model_checkpoint;
    p = resumed.progress;
  }

  const log = TrainingLog.open(outputDir, resumedFrom === undefined ? undefined : globalStep);

  const kindOf = (h: LogEntry): TrainerLogEntry["type"] => ("train_runtime" in h ? "end" : Object.keys(h).some((k) => k.startsWith("eval_")) ? "eval" : "train");
  const entries: TrainerLogEntry[] = history.map((h) => ({ ...h, type: kindOf(h) }) as TrainerLogEntry);
  const reporters = RunReporters.open({ trainer, trainingArgs, maxSteps, history: entries, bestStep, ...(resumedFrom !== undefined && { resumed: { step: globalStep, trainingArgs: resumedArgs } }) });
  const emit = (entry: TrainerLogEntry): void => {
    log.write(entry);
    reporters.log(entry);
    history.push(historyEntry(entry));
    entries.push(entry);
    trainer.options.onLog?.(entry);
  };
  const stream = typeof trainer.options.progress === "object" ? (trainer.options.progress as ProgressStream) : undefined;
  const bar = createProgressBar({ label: "train", total: maxSteps, initial: globalStep, quiet: trainer.options.progress === false, stream });

  // Which layer each parameter belongs to, for LayerDrop's skipped layers.
  const config = trainer.model.modelConfig;
  const layerOf = new Map<string, number>();
  for (const name of session.parameters.keys()) {
    const place = trainer.model.architecture.parameterPlace(config, name);
    if (place.part === "layer") layerOf.set(name, place.layer!);
  }
  const flopsCache = new Map<string, number>();
  const flopsOf = (dims: readonly number[]): number => {
    const key = dims.join("x");
    let flops = flopsCache.get(key);
    if (flops === undefined) {
      const input = session.graph.values[session.graph.inputs.find((id) => ["input_values", "input_features"].includes(session.graph.values[id]!.name))!]!;
      const bindings: Record<string, number> = {};
      input.shape.forEach((d, i) => typeof d === "string" && (bindings[d] = dims[i]!));
      flops = countMatmulFlops(session.graph, bindings).total;
      flopsCache.set(key, flops);
    }
    return flops;
  };

  const state = (training: boolean) =>
    createTrainerState({
      epoch,
      global_step: globalStep,
      max_steps: maxSteps,
      logging_steps: a.loggingSteps,
      eval_steps: a.evalSteps,
      save_steps: a.saveSteps,
      train_batch_size: a.batchSize,
      num_train_epochs: numTrainEpochs,
      total_flos: p.totalFlos,
      log_history: history,
      best_metric: bestMetric,
      best_global_step: bestStep,
      best_model_checkpoint: bestCheckpoint,
      stateful_callbacks: {
        TrainerControl: { args: { should_epoch_stop: false, should_evaluate: false, should_log: false, should_save: training, should_training_stop: !training }, attributes: {} },
        ...(a.earlyStoppingPatience !== undefined && {
          EarlyStoppingCallback: { args: { early_stopping_patience: a.earlyStoppingPatience, early_stopping_threshold: a.earlyStoppingThreshold }, attributes: { early_stopping_patience_counter: p.earlyStoppingCounter } },
        }),
      },
    });

  const started = performance.now();
  const runtime = (): number => p.runtimeSeconds + (performance.now() - started) / 1000;
  let windowStarted = performance.now();
  let stoppedEarly = false;
  let stepLoss = 0;
  let keptLayers: Uint8Array | undefined;

  const onEvaluate = (result: EvaluationResult): void => {
    const metrics: Record<string, number> = {};
    for (const [key, value] of Object.entries(result.metrics)) metrics[`eval_${key}`] = value;
    emit({
      type: "eval",
      ...metrics,
      eval_runtime: round(result.runtimeSeconds, 4),
      eval_samples_per_second: round(result.samples / result.runtimeSeconds, 3),
      eval_steps_per_second: round(result.batches / result.runtimeSeconds, 3),
      epoch,
      step: globalStep,
    });
    const value = result.metrics[a.metricForBestModel];
    if (value === undefined) {
      throw new TrainerOptionsError(`metricForBestModel "${a.metricForBestModel}" is not an evaluation metric; use one of ${Object.keys(result.metrics).join(", ")}`, "metricForBestModel");
    }
    const better = (x: number, y: number): boolean => (a.greaterIsBetter ? x > y : x < y);
    // EarlyStoppingCallback compares with the best before this evaluation.
    if (a.earlyStoppingPatience !== undefined) {
      const improved = bestMetric === null || (better(value, bestMetric) && Math.abs(value - bestMetric) > a.earlyStoppingThreshold);
      p = { ...p, earlyStoppingCounter: improved ? 0 : p.earlyStoppingCounter + 1 };
      if (p.earlyStoppingCounter >= a.earlyStoppingPatience) stoppedEarly = true;
    }
    if (bestMetric === null || better(value, bestMetric)) {
      bestMetric = value;
      bestStep = globalStep;
    }
    reporters.evaluated(result, globalStep, bestStep);
  };

  try {
    while (globalStep < maxSteps && !stoppedEarly) {
      const batch = await loader.next();
      if (batch === null) continue; // the loader moved on to the next epoch
      const result = await session.step(batch.inputs, batch.labels, p.microStep);
      if (!Number.isFinite(result.loss)) {
        // Stop before the optimizer sees NaN gradients: the last checkpoint stays usable.
        throw new NonFiniteLossError(
          `training diverged: the loss of step ${globalStep + 1} (epoch ${batch.epoch + 1}) is ${result.loss}; ` +
            `lower the learning rate (now ${a.learningRate}), keep gradient clipping on (--max-grad-norm), ` +
            `or check the batch's clips (${batch.indices.length} examples, first ${trainData.examples[batch.indices[0]!]?.path ?? "?"})`,
          globalStep + 1,
          batch.epoch + 1,
        );
      }
      accumulator.add(result.gradients);
      stepLoss += result.loss / accum;
      const keep = result.drawn[LAYER_DROP_INPUT];
      if (keep !== undefined) {
        keptLayers ??= new Uint8Array(keep.data.length);
        keep.data.forEach((k, i) => (keptLayers![i] ||= Number(k)));
      }
      const dims = (batch.inputs["input_values"] ?? batch.inputs["input_features"])!.dims;
      p = { ...p, microStep: p.microStep + 1, windowSamples: p.windowSamples + batch.size, samplesSeen: p.samplesSeen + batch.size, totalFlos: p.totalFlos + flopsOf(dims) };
      const epochEnds = loader.position >= trainData.size;
      if (!accumulator.ready && !epochEnds) continue;

      const grads = accumulator.gradients();
      const norm = a.maxGradNorm > 0 ? clipGradNorm(grads, a.maxGradNorm, { inPlace: false }) : gradNorm(grads);
      const skip = keptLayers === undefined ? undefined : new Set([...layerOf].filter(([, layer]) => !keptLayers![layer]).map(([name]) => name));
      optimizer.step(grads, { scale: a.maxGradNorm > 0 ? clipCoefficient(norm, a.maxGradNorm) : 1, ...(skip && skip.size > 0 && { skip }) });
      scheduler.step();
      accumulator.reset();
      keptLayers = undefined;
      globalStep++;
      epoch = epochEnds ? batch.epoch + 1 : batch.epoch + Math.ceil(loader.position / a.batchSize) / loader.batchesPerEpoch;
      p = { ...p, windowLoss: p.windowLoss + stepLoss, windowSteps: p.windowSteps + 1, totalLoss: p.totalLoss + stepLoss };
      stepLoss = 0;
      bar.increment(1);

      const last = globalStep >= maxSteps;
      if (globalStep % a.loggingSteps === 0) {
        const seconds = (performance.now() - windowStarted) / 1000;
        emit({
          type: "train",
          loss: round(p.windowLoss / p.windowSteps, 4),
          grad_norm: norm,
          learning_rate: optimizer.lr,
          samples_per_second: round(p.windowSamples / Math.max(seconds, 1e-9), 3),
          epoch,
          step: globalStep,
        });
        p = { ...p, windowLoss: 0, windowSteps: 0, windowSamples: 0 };
        windowStarted = performance.now();
      }
      const due = (strategy: string, every: number): boolean => (strategy === "steps" && globalStep % every === 0) || (strategy === "epoch" && epochEnds);
      if (due(a.evalStrategy, a.evalSteps)) onEvaluate(await trainer.evaluate());
      if (due(a.saveStrategy, a.saveSteps) || (last && a.saveStrategy !== "no")) {
        const path = join(outputDir, `checkpoint-${globalStep}`);
        if (bestStep === globalStep) bestCheckpoint = path;
        p = { ...p, runtimeSeconds: runtime() };
        await saveTrainerCheckpoint(
          outputDir,
          {
            config: trainer.model.config,
            featureExtractorConfig: trainer.model.featureExtractorConfig,
            weights: session.currentWeights(),
            optimizer,
            scheduler,
            loader: loader.getState(),
            trainerState: state(true),
            trainingArgs,
            progress: p,
          },
          a.saveTotalLimit,
        );
        p = { ...p, runtimeSeconds: 0 };
      }
    }
    bar.finish(stoppedEarly ? "stopped early" : undefined);
  } catch (error) {
    bar.fail();
    log.close();
    reporters.finish("failed");
    throw error;
  }

  if (a.loadBestModelAtEnd && bestCheckpoint !== null) {
    const best = await loadTrainingCheckpoint(bestCheckpoint);
    session.loadWeights(best.weights, best.path);
  }
  const seconds = runtime();
  const end: TrainerLogEntry = {
    type: "end",
    train_runtime: round(seconds, 4),
    train_samples_per_second: round(p.samplesSeen / seconds, 3),
    train_steps_per_second: round(globalStep / seconds, 3),
    total_flos: p.totalFlos,
    train_loss: globalStep === 0 ? 0 : p.totalLoss / globalStep,
    epoch,
    step: globalStep,
  };
  emit(end);
  log.close();
  reporters.finish(stoppedEarly ? "stopped early" : "finished");
  await trainer.save();
  await writeTrainerState(outputDir, state(false));
  const { type: _type, step: _step, ...metrics } = end;
  await saveMetrics(outputDir, "train", { ...(metrics as Record<string, number>), train_samples: trainData.size });
  return {
    outputDir,
    globalStep,
    epoch,
    trainLoss: end.train_loss as number,
    runtimeSeconds: seconds,
    samplesPerSecond: end.train_samples_per_second as number,
    stepsPerSecond: end.train_steps_per_second as number,
    stoppedEarly,
    bestMetric,
    bestCheckpoint,
    resumedFrom,
    log: entries,
  };
}
