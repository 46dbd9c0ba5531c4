/**
 * The Trainer's options (camelCase versions of TrainingArguments) and their defaults. Learning
 * rate, batch size, gradient accumulation, epochs, freezing and the clip cut follow the Hugging
 * Face audio-classification recipe of the model's family, which its descriptor holds
 * (`trainingDefaults` in models/<family>/); warm-up is 10 % for all. Everything else is TrainingArguments' default: AdamW with
 * betas (0.9, 0.999), eps 1e-8, weight decay 0 (biases and norms never decayed), linear decay,
 * max_grad_norm 1.0, seed 42, evaluation and checkpoints every epoch, logging every 10 steps
 * (the recipes' logging_steps), keep the best checkpoint by accuracy and load it at the end.
 */
import { resolve as resolvePath } from "node:path";
import type { HubOptions } from "../hub/index.js";
import { type FamilyTrainingDefaults, familyForModelType } from "../models/index.js";
import type { ProgressStream } from "../util/progress.js";
import type { Transform } from "./augment/transform.js";
import type { AudioDataset } from "./data/audio-dataset.js";
import { TrainerOptionsError } from "./errors.js";
import { METRIC_NAMES } from "./evaluation.js";
import type { FreezeOption } from "./freezing.js";
import type { TrainerLogEntry } from "./training-log.js";
import type { ScheduleType } from "./optim/index.js";

export type IntervalStrategy = "epoch" | "steps" | "no";

/** report_to values audioclass knows. */
export type ReportTarget = "tensorboard" | "none" | "all";
export const REPORT_TARGETS: readonly ReportTarget[] = ["tensorboard", "none", "all"];

export interface TrainerOptions {
  /**
   * What to train: a model folder or Hugging Face id (fine-tuning; a different label set gets a
   * fresh head), or a config.json file (a fresh model trained from scratch).
   */
  readonly model: string;
  /** Hub settings when `model` is an id. */
  readonly hub?: HubOptions;
  readonly trainData: AudioDataset;
  /** Evaluation data (labels must be among the training labels). */
  readonly evalData?: AudioDataset;
  /** Without evalData: hold out this fraction of trainData (stratified by label, seeded). */
  readonly evalSplit?: number;
  /** Where checkpoints, the log and the final model go. */
  readonly outputDir: string;
  readonly epochs?: number;
  /** Stop after this many optimizer steps (overrides epochs, as max_steps). */
  readonly maxSteps?: number;
  readonly learningRate?: number;
  readonly batchSize?: number;
  readonly evalBatchSize?: number;
  readonly gradientAccumulationSteps?: number;
  readonly warmupRatio?: number;
  /** Warm-up steps (wins over warmupRatio when > 0). */
  readonly warmupSteps?: number;
  readonly weightDecay?: number;
  readonly adamBetas?: readonly [number, number];
  readonly adamEpsilon?: number;
  /** Gradient-norm clipping (0 turns it off). */
  readonly maxGradNorm?: number;
  readonly scheduler?: ScheduleType;
  readonly freeze?: FreezeOption;
  /** Waveform augmentation of training examples (e.g. augmentationPreset("ast-recipe")). */
  readonly augment?: Transform | null;
  readonly seed?: number;
  readonly evalStrategy?: IntervalStrategy;
  readonly evalSteps?: number;
  /** Default: the evaluation schedule (so the best model can be kept), else every epoch. */
  readonly saveStrategy?: IntervalStrategy;
  readonly saveSteps?: number;
  readonly saveTotalLimit?: number;
  readonly loggingSteps?: number;
  /**
   * Where log entries go besides training_log.jsonl and training_report.html, as
   * TrainingArguments' report_to: "tensorboard" (event files in loggingDir), "none" (default),
   * or "all" (every integration audioclass has: TensorBoard).
   */
  readonly reportTo?: ReportTarget | readonly ReportTarget[];
  /** TensorBoard's folder (default `<outputDir>/runs/<Mon DD_HH-MM-SS>_<host>`, as logging_dir). */
  readonly loggingDir?: string;
  /** An evaluation metric without the "eval_" prefix: accuracy, f1, precision, recall, loss, f1_macro, … */
  readonly metricForBestModel?: string;
  readonly greaterIsBetter?: boolean;
  readonly loadBestModelAtEnd?: boolean;
  /** Stop after this many evaluations without improvement (EarlyStoppingCallback). */
  readonly earlyStoppingPatience?: number;
  readonly earlyStoppingThreshold?: number;
  /** A checkpoint-<step> folder, or "latest" for the newest one in outputDir. */
  readonly resumeFrom?: string;
  /**
   * Start a new run in an outputDir that holds checkpoints of an earlier one, deleting them
   * (default false: such a folder is refused, since old and new checkpoints would mix).
   */
  readonly overwriteOutputDir?: boolean;
  /**
   * Compute the training split's feature mean and std first (the AST tutorial's recipe: the
   * extractor with do_normalize=False over every training clip) and train, evaluate and save with
   * them in place of the checkpoint's (AudioSet's) values. Models with an ASTFeatureExtractor only.
   * Default false.
   */
  readonly computeNormalization?: boolean;
  /** Training clips longer than this are cut at a random offset (eval clips are kept whole). */
  readonly maxDurationSeconds?: number;
  readonly labelSmoothing?: number;
  /** "mask-inputs" (default): dropout as configured, masks drawn per step (exact resume); "off": no dropout. */
  readonly dropout?: "mask-inputs" | "off";
  /** Families whose graph takes an attention mask: pass masks for padded batches (default true, as the recipe). */
  readonly attentionMask?: boolean;
  /** ONNX Runtime threads (default: all cores). Same seed and threads → same weights. */
  readonly threads?: number;
  /** Fused attention kernels where exact (default true). */
  readonly fused?: boolean;
  /** Progress bar on stderr (default true); `stream` to send it elsewhere. */
  readonly progress?: boolean | ProgressStream;
  /** Called with every log entry (training, evaluation, end of training). */
  readonly onLog?: (entry: TrainerLogEntry) => void;
}

/** Options with every default filled in. */
export interface ResolvedTrainerOptions {
  readonly epochs: number;
  readonly maxSteps: number | undefined;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly evalBatchSize: number;
  readonly gradientAccumulationSteps: number;
  readonly warmupRatio: number;
  readonly warmupSteps: number;
  readonly weightDecay: number;
  readonly adamBetas: readonly [number, number];
  readonly adamEpsilon: number;
  readonly maxGradNorm: number;
  readonly scheduler: ScheduleType;
  readonly freeze: FreezeOption;
  readonly seed: number;
  readonly evalStrategy: IntervalStrategy;
  readonly evalSteps: number;
  readonly saveStrategy: IntervalStrategy;
  readonly saveSteps: number;
  readonly saveTotalLimit: number | undefined;
  readonly loggingSteps: number;
  /** The integrations to report to (empty for none). */
  readonly reportTo: readonly "tensorboard"[];
  /** Absolute TensorBoard folder, or undefined for the default (decided when training starts). */
  readonly loggingDir: string | undefined;
  readonly metricForBestModel: string;
  readonly greaterIsBetter: boolean;
  readonly loadBestModelAtEnd: boolean;
  readonly earlyStoppingPatience: number | undefined;
  readonly earlyStoppingThreshold: number;
  readonly maxDurationSeconds: number | undefined;
  readonly labelSmoothing: number;
  readonly dropout: "mask-inputs" | "off";
  readonly attentionMask: boolean;
  readonly fused: boolean;
}

/** The family's recipe defaults (its descriptor's trainingDefaults); an unknown model_type is an UnsupportedModelError. */
export function familyTrainingDefaults(modelType: string): FamilyTrainingDefaults {
  return familyForModelType(modelType).trainingDefaults;
}

function fail(option: string, want: string, value: unknown): never {
  throw new TrainerOptionsError(`${option} must be ${want}, got ${typeof value === "string" ? JSON.stringify(value) : String(value)}`, option);
}

function integer(option: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < min) fail(option, `a whole number ≥ ${min}`, v);
  return v;
}

function number(option: string, value: number | undefined, fallback: number, check: (v: number) => boolean, want: string): number {
  const v = value ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || !check(v)) fail(option, want, v);
  return v;
}

/** report_to as transformers reads it: a name or a list; "none" alone means nothing, "all" every integration. */
function resolveReportTo(value: TrainerOptions["reportTo"]): readonly "tensorboard"[] {
  const list = value === undefined ? ["none"] : typeof value === "string" ? [value] : value;
  if (!Array.isArray(list)) fail("reportTo", '"tensorboard", "none", "all" or a list of them', value);
  for (const target of list) {
    if (!(REPORT_TARGETS as readonly string[]).includes(target)) {
      fail("reportTo", `"tensorboard" (TensorBoard event files, the integration audioclass has), "all" or "none"`, target);
    }
  }
  if (list.includes("none") && list.length > 1) fail("reportTo", '"none" alone, or a list without it', list.join(", "));
  return list.includes("tensorboard") || list.includes("all") ? ["tensorboard"] : [];
}

function resolveLoggingDir(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") fail("loggingDir", "a folder path", value);
  return resolvePath(value);
}

const STRATEGIES: readonly IntervalStrategy[] = ["epoch", "steps", "no"];

/** Fills in defaults for `modelType` and checks every option; `hasEvalData` decides what evaluation defaults to. */
export function resolveTrainerOptions(options: TrainerOptions, modelType: string, hasEvalData: boolean): ResolvedTrainerOptions {
  const family = familyTrainingDefaults(modelType);
  const evalStrategy = options.evalStrategy ?? (!hasEvalData ? "no" : options.evalSteps !== undefined ? "steps" : "epoch");
  if (!STRATEGIES.includes(evalStrategy)) fail("evalStrategy", `one of ${STRATEGIES.join(", ")}`, evalStrategy);
  if (evalStrategy !== "no" && !hasEvalData) {
    throw new TrainerOptionsError(`evalStrategy "${evalStrategy}" needs evaluation data: pass evalData, or evalSplit to hold out part of the training data`, "evalStrategy");
  }
  const evalSteps = integer("evalSteps", options.evalSteps, options.loggingSteps ?? 10, 1);
  const saveStrategy = options.saveStrategy ?? (options.saveSteps !== undefined ? "steps" : evalStrategy === "no" ? "epoch" : evalStrategy);
  if (!STRATEGIES.includes(saveStrategy)) fail("saveStrategy", `one of ${STRATEGIES.join(", ")}`, saveStrategy);
  const saveSteps = integer("saveSteps", options.saveSteps, evalSteps, 1);
  const metricForBestModel = (options.metricForBestModel ?? (hasEvalData ? "accuracy" : "loss")).replace(/^eval_/, "");
  if (!METRIC_NAMES.includes(metricForBestModel)) fail("metricForBestModel", `one of ${METRIC_NAMES.join(", ")}`, metricForBestModel);
  const loadBestModelAtEnd = options.loadBestModelAtEnd ?? evalStrategy !== "no";
  if (loadBestModelAtEnd) {
    if (evalStrategy === "no") throw new TrainerOptionsError("loadBestModelAtEnd needs evaluation (evalData or evalSplit, and evalStrategy other than \"no\")", "loadBestModelAtEnd");
    // As TrainingArguments: the best model can only be kept if every evaluation is also a checkpoint.
    if (saveStrategy !== evalStrategy || (evalStrategy === "steps" && saveSteps % evalSteps !== 0)) {
      throw new TrainerOptionsError(
        `loadBestModelAtEnd needs checkpoints where evaluations are: saveStrategy "${saveStrategy}"${saveStrategy === "steps" ? ` every ${saveSteps}` : ""} ` +
          `does not match evalStrategy "${evalStrategy}"${evalStrategy === "steps" ? ` every ${evalSteps}` : ""}; use the same schedule (saveSteps a multiple of evalSteps)`,
        "saveStrategy",
      );
    }
  }
  const patience = options.earlyStoppingPatience;
  if (patience !== undefined) {
    integer("earlyStoppingPatience", patience, 1, 1);
    if (evalStrategy === "no") throw new TrainerOptionsError("earlyStoppingPatience needs evaluation data (evalData or evalSplit)", "earlyStoppingPatience");
  }
  const betas = options.adamBetas ?? [0.9, 0.999];
  if (!Array.isArray(betas) || betas.length !== 2 || !betas.every((b) => b >= 0 && b < 1)) fail("adamBetas", "a pair of numbers in [0, 1)", betas);
  const maxDuration = options.maxDurationSeconds ?? family.maxDurationSeconds;
  if (maxDuration !== undefined) number("maxDurationSeconds", maxDuration, 1, (v) => v > 0, "a positive number of seconds");
  const dropout = options.dropout ?? "mask-inputs";
  if (dropout !== "mask-inputs" && dropout !== "off") fail("dropout", '"mask-inputs" or "off"', dropout);
  const batchSize = integer("batchSize", options.batchSize, family.batchSize, 1);
  return {
    epochs: number("epochs", options.epochs, family.epochs, (v) => v > 0, "a positive number"),
    maxSteps: options.maxSteps === undefined ? undefined : integer("maxSteps", options.maxSteps, 1, 1),
    learningRate: number("learningRate", options.learningRate, family.learningRate, (v) => v >= 0, "a number ≥ 0"),
    batchSize,
    evalBatchSize: integer("evalBatchSize", options.evalBatchSize, batchSize, 1),
    gradientAccumulationSteps: integer("gradientAccumulationSteps", options.gradientAccumulationSteps, family.gradientAccumulationSteps, 1),
    warmupRatio: number("warmupRatio", options.warmupRatio, 0.1, (v) => v >= 0 && v <= 1, "a fraction in [0, 1]"),
    warmupSteps: integer("warmupSteps", options.warmupSteps, 0, 0),
    weightDecay: number("weightDecay", options.weightDecay, 0, (v) => v >= 0, "a number ≥ 0"),
    adamBetas: [betas[0], betas[1]],
    adamEpsilon: number("adamEpsilon", options.adamEpsilon, 1e-8, (v) => v >= 0, "a number ≥ 0"),
    maxGradNorm: number("maxGradNorm", options.maxGradNorm, 1.0, (v) => v >= 0, "a number ≥ 0 (0 turns clipping off)"),
    scheduler: options.scheduler ?? "linear",
    freeze: options.freeze ?? family.freeze,
    seed: integer("seed", options.seed, 42, 0),
    evalStrategy,
    evalSteps,
    saveStrategy,
    saveSteps,
    saveTotalLimit: options.saveTotalLimit === undefined ? undefined : integer("saveTotalLimit", options.saveTotalLimit, 1, 1),
    loggingSteps: integer("loggingSteps", options.loggingSteps, 10, 1),
    reportTo: resolveReportTo(options.reportTo),
    loggingDir: resolveLoggingDir(options.loggingDir),
    metricForBestModel,
    greaterIsBetter: options.greaterIsBetter ?? !(metricForBestModel === "loss" || metricForBestModel.endsWith("_loss")),
    loadBestModelAtEnd,
    earlyStoppingPatience: patience,
    earlyStoppingThreshold: number("earlyStoppingThreshold", options.earlyStoppingThreshold, 0, (v) => v >= 0, "a number ≥ 0"),
    maxDurationSeconds: maxDuration,
    labelSmoothing: number("labelSmoothing", options.labelSmoothing, 0, (v) => v >= 0 && v < 1, "a number in [0, 1)"),
    dropout,
    attentionMask: options.attentionMask ?? true,
    fused: options.fused ?? true,
  };
}
