/**
 * `audioclass train`: fine-tunes a model (or trains one from a config.json) on a labelled folder
 * or manifest, with the Trainer's checkpoints, log, evaluation and resume. Progress and
 * evaluation summaries go to stderr; the final summary to stdout (table or json).
 */
import { augmentationPreset, AUGMENTATION_PRESETS, datasetFromPath, parseFreezeOption, SCHEDULE_TYPES, Trainer, type TrainerLogEntry, type TrainerOptions } from "../../training/index.js";
import type { FreezeOption, ReportTarget, ScheduleType } from "../../training/index.js";
import { REPORT_TARGETS } from "../../training/index.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { MODEL_OPTION_SPEC, modelLoadOptions } from "../model-options.js";
import { choiceOption, integerOption, numberOption, parseCommand, stringOption } from "../parse-options.js";
import { DATA_OPTION_HELP, DATA_OPTION_SPEC, datasetOptions } from "../data-options.js";
import { formatEvaluation } from "../evaluation-format.js";
import { familyDefaultsHelp } from "../family-defaults-help.js";

export const trainUsage = `Usage: audioclass train --model M --data D --output DIR [options]

Fine-tunes an audio-classification model on labelled audio (a folder with one sub-folder per
label, or a CSV/JSONL manifest), as Hugging Face's Trainer does: AdamW, warm-up then decay,
gradient accumulation and clipping, evaluation and checkpoints every epoch, the best model
kept. The output folder ends up a model folder that audioclass and transformers load.

Model and data:
  --model, -m M           model folder or Hugging Face id (a new label set gets a new head),
                          or a config.json (a fresh model trained from scratch)
  --data D                training data: folder, manifest, or a hub dataset as
                          hf://datasets/<org>/<name>[/<config>][?split=train] (parquet)
  --eval-data D           evaluation data (labels must be among the training labels)
  --eval-split F          without --eval-data: hold out this fraction of --data (stratified)
  --output, -o DIR        checkpoints, training_log.jsonl and the final model
${DATA_OPTION_HELP}
  --revision R, --cache-dir DIR, --local-files-only   hub settings when --model is an id

Training (defaults follow the HF recipe of the model's family, listed at the end):
  --epochs N              number of epochs
  --max-steps N           stop after N optimizer steps instead
  --lr X                  learning rate
  --batch-size N          examples per step
  --eval-batch-size N     default: --batch-size
  --grad-accum N          gradient accumulation steps
  --warmup-ratio F        default 0.1      --warmup-steps N   (wins over the ratio)
  --weight-decay X        default 0 (biases and norms are never decayed)
  --max-grad-norm X       default 1.0 (0: no clipping)
  --scheduler S           ${SCHEDULE_TYPES.join(", ")} (default linear)
  --freeze F              none, feature-encoder, backbone, all-but-last:N
  --augment P             ${AUGMENTATION_PRESETS.join(", ")} or none (default none)
  --max-duration S        cut longer training clips at a random offset
  --compute-normalization compute the training set's feature mean and std first (AST models:
                          the extractor with do_normalize=False over every training clip) and
                          train and save with them instead of the checkpoint's AudioSet values
  --label-smoothing X     default 0
  --no-dropout            train without dropout (SpecAugment and LayerDrop stay as configured)
  --seed N                default 42 (same seed and --threads: same weights)
  --threads N             CPU threads (default: all cores)

Evaluation, checkpoints, logging:
  --eval-steps N          evaluate (and save) every N steps instead of every epoch
  --save-steps N          save a checkpoint every N steps (default: with each evaluation, else every epoch)
  --save-total-limit N    keep at most N checkpoints (the best is never deleted)
  --metric M              best-model metric: accuracy (default), f1, precision, recall, loss, f1_macro, …
  --greater-is-better B   true or false (default: false for loss, else true)
  --no-load-best          keep the last weights instead of loading the best checkpoint at the end
  --early-stopping-patience N   stop after N evaluations without improvement
  --early-stopping-threshold X  minimum improvement that counts (default 0)
  --logging-steps N       default 10
  --report-to R           tensorboard (event files for \`tensorboard --logdir\`), all, or none (default)
  --logging-dir DIR       TensorBoard folder (default: --output/runs/<Mon DD_HH-MM-SS>_<host>)
  --resume C              continue from checkpoint folder C, or "latest" in --output
  --overwrite-output      start over in an --output that holds an earlier run's checkpoints (deletes them)
  --format F              table or json for the final summary (default: table on a terminal)
  --quiet                 no progress bar or evaluation lines on stderr

Family defaults:
${familyDefaultsHelp()}
`;

function line(entry: TrainerLogEntry): string | undefined {
  if (entry.type !== "eval") return undefined;
  const pick = ["loss", "accuracy", "f1", "precision", "recall"].map((k) => [k, entry[`eval_${k}`]] as const).filter(([, v]) => typeof v === "number");
  return `epoch ${Number(entry.epoch).toFixed(2)} step ${entry.step}: ${pick.map(([k, v]) => `eval_${k} ${(v as number).toFixed(4)}`).join("  ")}\n`;
}

function freezeFlag(text: string | undefined): FreezeOption | undefined {
  if (text === undefined) return undefined;
  try {
    return parseFreezeOption(text);
  } catch {
    throw new UsageError(`--freeze must be none, feature-encoder, backbone or all-but-last:N, got ${JSON.stringify(text)}`);
  }
}

/** --report-to tensorboard, or a comma-separated list as TrainingArguments takes it. */
function reportToFlag(text: string | undefined): ReportTarget[] | undefined {
  if (text === undefined) return undefined;
  const targets = text.split(",").map((t) => t.trim());
  const unknown = targets.filter((t) => !(REPORT_TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0) throw new UsageError(`--report-to must be ${REPORT_TARGETS.join(", ")}, got ${JSON.stringify(unknown[0])}; audioclass writes TensorBoard event files`);
  return targets as ReportTarget[];
}

export async function trainCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...MODEL_OPTION_SPEC,
    ...DATA_OPTION_SPEC,
    data: { type: "string" },
    "eval-data": { type: "string" },
    "eval-split": { type: "string" },
    output: { type: "string", short: "o" },
    epochs: { type: "string" },
    "max-steps": { type: "string" },
    lr: { type: "string" },
    "batch-size": { type: "string" },
    "eval-batch-size": { type: "string" },
    "grad-accum": { type: "string" },
    "warmup-ratio": { type: "string" },
    "warmup-steps": { type: "string" },
    "weight-decay": { type: "string" },
    "max-grad-norm": { type: "string" },
    scheduler: { type: "string" },
    freeze: { type: "string" },
    augment: { type: "string" },
    "max-duration": { type: "string" },
    "compute-normalization": { type: "boolean" },
    "label-smoothing": { type: "string" },
    "no-dropout": { type: "boolean" },
    seed: { type: "string" },
    "eval-steps": { type: "string" },
    "save-steps": { type: "string" },
    "save-total-limit": { type: "string" },
    metric: { type: "string" },
    "greater-is-better": { type: "string" },
    "no-load-best": { type: "boolean" },
    "early-stopping-patience": { type: "string" },
    "early-stopping-threshold": { type: "string" },
    "logging-steps": { type: "string" },
    "report-to": { type: "string" },
    "logging-dir": { type: "string" },
    resume: { type: "string" },
    "overwrite-output": { type: "boolean" },
    format: { type: "string", short: "f" },
    quiet: { type: "boolean", short: "q" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; train takes options only`);
  const model = stringOption(values, "model");
  const data = stringOption(values, "data");
  const output = stringOption(values, "output");
  if (model === undefined) throw new UsageError("--model is required: a model folder, a Hugging Face id or a config.json");
  if (data === undefined) throw new UsageError("--data is required: a folder with one sub-folder per label, a CSV/JSONL manifest, or hf://datasets/<org>/<name>?split=train");
  if (output === undefined) throw new UsageError("--output is required: the folder for checkpoints and the trained model");
  const format = choiceOption(values, "format", ["table", "json"] as const) ?? (io.stdoutIsTTY ? "table" : "json");
  const quiet = values["quiet"] === true;
  const augmentName = stringOption(values, "augment");
  if (augmentName !== undefined && augmentName !== "none" && !(AUGMENTATION_PRESETS as readonly string[]).includes(augmentName)) {
    throw new UsageError(`--augment must be one of ${AUGMENTATION_PRESETS.join(", ")} or none, got ${JSON.stringify(augmentName)}`);
  }
  const greater = choiceOption(values, "greater-is-better", ["true", "false"] as const);
  const evalSteps = integerOption(values, "eval-steps");
  const hub = modelLoadOptions(values, io);
  if (hub.dtype !== undefined && hub.dtype !== "fp32") throw new UsageError(`--dtype ${hub.dtype}: training updates float32 weights; train without --dtype, then classify or evaluate the result with --dtype ${hub.dtype}`);

  // Every flag is checked before any file is read.
  const settings: Omit<TrainerOptions, "trainData"> = {
    model,
    hub,
    evalSplit: numberOption(values, "eval-split"),
    outputDir: output,
    epochs: numberOption(values, "epochs"),
    maxSteps: integerOption(values, "max-steps"),
    learningRate: numberOption(values, "lr"),
    batchSize: integerOption(values, "batch-size"),
    evalBatchSize: integerOption(values, "eval-batch-size"),
    gradientAccumulationSteps: integerOption(values, "grad-accum"),
    warmupRatio: numberOption(values, "warmup-ratio"),
    warmupSteps: integerOption(values, "warmup-steps", { min: 0 }),
    weightDecay: numberOption(values, "weight-decay"),
    maxGradNorm: numberOption(values, "max-grad-norm"),
    scheduler: choiceOption(values, "scheduler", SCHEDULE_TYPES) as ScheduleType | undefined,
    freeze: freezeFlag(stringOption(values, "freeze")),
    augment: augmentName === undefined || augmentName === "none" ? null : augmentationPreset(augmentName),
    maxDurationSeconds: numberOption(values, "max-duration"),
    computeNormalization: values["compute-normalization"] === true,
    labelSmoothing: numberOption(values, "label-smoothing"),
    dropout: values["no-dropout"] === true ? "off" : undefined,
    seed: integerOption(values, "seed", { min: 0 }),
    evalSteps,
    evalStrategy: evalSteps !== undefined ? "steps" : undefined,
    saveSteps: integerOption(values, "save-steps"),
    saveTotalLimit: integerOption(values, "save-total-limit"),
    metricForBestModel: stringOption(values, "metric"),
    greaterIsBetter: greater === undefined ? undefined : greater === "true",
    loadBestModelAtEnd: values["no-load-best"] === true ? false : undefined,
    earlyStoppingPatience: integerOption(values, "early-stopping-patience"),
    earlyStoppingThreshold: numberOption(values, "early-stopping-threshold"),
    loggingSteps: integerOption(values, "logging-steps"),
    reportTo: reportToFlag(stringOption(values, "report-to")),
    loggingDir: stringOption(values, "logging-dir"),
    resumeFrom: stringOption(values, "resume"),
    overwriteOutputDir: values["overwrite-output"] === true,
    threads: integerOption(values, "threads"),
    progress: quiet ? false : io.stderrStream,
    onLog: (entry) => {
      const text = quiet ? undefined : line(entry);
      if (text !== undefined) io.stderr(text);
    },
  };
  const datasetOpts = { ...datasetOptions(values, io), progress: !quiet };
  const trainData = await datasetFromPath(data, datasetOpts);
  const evalPath = stringOption(values, "eval-data");
  const evalData = evalPath === undefined ? undefined : await datasetFromPath(evalPath, datasetOpts);
  const options: TrainerOptions = { ...settings, trainData, evalData };
  // Evaluation without a held-out set is impossible; say so instead of silently skipping it.
  if (evalData === undefined && options.evalSplit === undefined && !quiet) {
    io.stderr("audioclass train: no --eval-data or --eval-split: training without evaluation (the last weights are kept)\n");
  }
  const trainer = await Trainer.create(options);
  const stats = trainer.normalizationStats;
  if (stats !== undefined && !quiet) {
    io.stderr(`normalization: mean ${stats.mean.toFixed(4)}, std ${stats.std.toFixed(4)} over ${stats.clips} training clips (saved in preprocessor_config.json)\n`);
  }
  try {
    const result = await trainer.train();
    const evaluation = trainer.evalData === undefined ? undefined : await trainer.evaluate();
    const summary = {
      output_dir: result.outputDir,
      global_step: result.globalStep,
      epoch: result.epoch,
      train_loss: result.trainLoss,
      train_runtime: result.runtimeSeconds,
      train_samples_per_second: result.samplesPerSecond,
      stopped_early: result.stoppedEarly,
      best_metric: result.bestMetric,
      best_model_checkpoint: result.bestCheckpoint,
      resumed_from: result.resumedFrom ?? null,
      skipped_files: [...trainData.skipped, ...(evalData?.skipped ?? [])].map((f) => f.path),
      ...(stats !== undefined && { normalization: { mean: stats.mean, std: stats.std, clips: stats.clips } }),
      ...(evaluation && { eval: evaluation.metrics }),
    };
    if (format === "json") {
      io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      io.stdout(
        `trained ${result.globalStep} steps (${result.epoch.toFixed(2)} epochs) in ${result.runtimeSeconds.toFixed(1)} s, train loss ${result.trainLoss.toFixed(4)}` +
          `${result.stoppedEarly ? " (stopped early)" : ""}\nmodel saved to ${result.outputDir}\n`,
      );
      if (evaluation) io.stdout(`\n${formatEvaluation(evaluation)}`);
    }
    const skipped = trainData.skipped.length + (evalData?.skipped.length ?? 0);
    if (skipped > 0) io.stderr(`audioclass train: ${skipped} unreadable audio file${skipped === 1 ? " was" : "s were"} skipped (listed above)\n`);
  } finally {
    await trainer.dispose();
  }
  return 0;
}
