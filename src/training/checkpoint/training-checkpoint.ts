/**
 * Training checkpoints for resuming: `<outputDir>/checkpoint-<global_step>/` holding
 *
 *   config.json, preprocessor_config.json, model.safetensors   — a loadable model folder
 *   optimizer.safetensors + optimizer.json                     — optimizer buffers and scalars
 *   scheduler.json, rng_state.json, trainer_state.json         — schedule, generators, Trainer state
 *   training_args.json, extra_state.json                       — when given
 *   audioclass_checkpoint.json                                 — manifest, written last
 *
 * The folder is written as `checkpoint-<step>.tmp-<pid>-<random>` and renamed when complete;
 * loading refuses temporary folders, folders without a manifest and files whose size changed.
 * Everything restores bit for bit: float32 buffers as stored, doubles through their shortest
 * decimal repr.
 */
import { readFile, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { AudioclassError } from "../../errors.js";
import type { Tensor } from "../../tensor.js";
import { readSafetensors, saveSafetensors, WeightsError } from "../../weights/index.js";
import type { LrSchedulerState, OptimizerStateDict } from "../optim/index.js";
import { CheckpointNotFoundError, CheckpointWriteError, CorruptCheckpointError, IncompleteCheckpointError } from "../checkpoint-errors.js";
import { commitFolder, createTempFolder, discardFolder, exists, isTransientFolderName, recoverInterruptedFolders, writeFileSynced } from "./atomic-folder.js";
import { checkpointFolderName, rotateCheckpoints } from "./checkpoint-folders.js";
import { verifyManifest, writeManifest } from "./checkpoint-manifest.js";
import { JsonDocument } from "./json-document.js";
import { CONFIG_FILE, type ModelFolderContents, PREPROCESSOR_CONFIG_FILE, WEIGHTS_FILE, writeModelFiles } from "./model-folder.js";
import {
  OPTIMIZER_STATE_FILE,
  OPTIMIZER_TENSORS_FILE,
  optimizerStateFrom,
  optimizerStateJson,
  optimizerTensors,
  SCHEDULER_STATE_FILE,
  schedulerStateFrom,
  schedulerStateJson,
} from "./optimizer-state-files.js";
import { pythonJsonDumps } from "./python-json.js";
import { parseTrainerState, type TrainerState, trainerStateJson } from "./trainer-state.js";

export const RNG_STATE_FILE = "rng_state.json";
export const TRAINER_STATE_FILE = "trainer_state.json";
export const TRAINING_ARGS_FILE = "training_args.json";
export const EXTRA_STATE_FILE = "extra_state.json";

export interface TrainingCheckpointContents {
  readonly model: ModelFolderContents;
  /** optimizer.stateDict() */
  readonly optimizer: OptimizerStateDict;
  /** scheduler.stateDict(), when training with a schedule */
  readonly scheduler?: LrSchedulerState;
  /** Generator states by name (each a plain-JSON value such as Rng.getState()). */
  readonly rng?: Readonly<Record<string, unknown>>;
  /** The Trainer state; its global_step names the folder. */
  readonly trainerState: TrainerState;
  /** The run's arguments, for checking a resume uses the same ones. */
  readonly trainingArgs?: Readonly<Record<string, unknown>>;
  /** Any other plain-JSON state the trainer needs to resume (data order, early-stopping counters…). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface SaveCheckpointOptions {
  /** Keep at most this many checkpoints (the best is never deleted); default: keep all. */
  readonly saveTotalLimit?: number | null;
}

export interface SavedCheckpoint {
  readonly path: string;
  readonly step: number;
  readonly files: string[];
  /** Older checkpoints deleted by the save_total_limit rotation. */
  readonly deleted: string[];
}

export interface LoadedCheckpoint {
  readonly path: string;
  readonly step: number;
  readonly config: JsonDocument;
  readonly featureExtractorConfig: JsonDocument | undefined;
  /** All model parameters (the arrays are the caller's to update). */
  readonly weights: Map<string, Tensor>;
  readonly optimizer: OptimizerStateDict;
  readonly scheduler: LrSchedulerState | undefined;
  readonly rng: Record<string, unknown>;
  readonly trainerState: TrainerState;
  readonly trainingArgs: Record<string, unknown> | undefined;
  readonly extra: Record<string, unknown> | undefined;
}

/** Writes `<outputDir>/checkpoint-<global_step>` atomically, then applies the save_total_limit rotation. */
export async function saveTrainingCheckpoint(outputDir: string, contents: TrainingCheckpointContents, options: SaveCheckpointOptions = {}): Promise<SavedCheckpoint> {
  const root = resolve(outputDir);
  const step = contents.trainerState?.global_step;
  const dest = join(root, checkpointFolderName(step));
  // Everything that can be refused is checked before a byte is written.
  const texts: [string, string][] = [
    [OPTIMIZER_STATE_FILE, optimizerStateJson(contents.optimizer)],
    [RNG_STATE_FILE, pythonJsonDumps(contents.rng ?? {}) + "\n"],
    [TRAINER_STATE_FILE, trainerStateJson(contents.trainerState)],
  ];
  if (contents.scheduler !== undefined) texts.push([SCHEDULER_STATE_FILE, schedulerStateJson(contents.scheduler)]);
  if (contents.trainingArgs !== undefined) texts.push([TRAINING_ARGS_FILE, pythonJsonDumps(contents.trainingArgs) + "\n"]);
  if (contents.extra !== undefined) texts.push([EXTRA_STATE_FILE, pythonJsonDumps(contents.extra) + "\n"]);
  const shapes = weightShapes(contents.model.weights);
  const tensors = optimizerTensors(contents.optimizer, (name) => shapes.get(name));

  await recoverInterruptedFolders(root);
  let temp: string | undefined;
  let files: string[];
  try {
    temp = await createTempFolder(dest);
    files = (await writeModelFiles(temp, contents.model)).files;
    await saveSafetensors(join(temp, OPTIMIZER_TENSORS_FILE), tensors, { format: "pt" });
    files.push(OPTIMIZER_TENSORS_FILE);
    for (const [name, text] of texts) {
      await writeFileSynced(join(temp, name), text);
      files.push(name);
    }
    await writeManifest(temp, step, files);
    await commitFolder(temp, dest);
  } catch (error) {
    if (temp) await discardFolder(temp);
    if (error instanceof AudioclassError) throw error;
    throw new CheckpointWriteError(`could not write the checkpoint ${dest}: ${(error as Error).message}; earlier checkpoints are unchanged`, dest, { cause: error });
  }
  const deleted = await rotateCheckpoints(root, {
    saveTotalLimit: options.saveTotalLimit,
    bestModelCheckpoint: contents.trainerState.best_model_checkpoint,
    bestGlobalStep: contents.trainerState.best_global_step,
  });
  return { path: dest, step, files, deleted };
}

/** Reads a checkpoint folder written by saveTrainingCheckpoint, verifying it is complete and intact. */
export async function loadTrainingCheckpoint(path: string): Promise<LoadedCheckpoint> {
  const dir = resolve(path);
  if (isTransientFolderName(dir)) {
    throw new IncompleteCheckpointError(`${dir} is the temporary folder of a checkpoint save that did not finish; resume from a checkpoint-<step> folder (see latestCheckpoint())`, dir);
  }
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CheckpointNotFoundError(`no checkpoint folder at ${dir}; pass a checkpoint-<step> folder of the output directory`, dir);
  const manifest = await verifyManifest(dir);
  const config = await JsonDocument.read(join(dir, CONFIG_FILE));
  const preprocessorPath = join(dir, PREPROCESSOR_CONFIG_FILE);
  const featureExtractorConfig = (await exists(preprocessorPath)) ? await JsonDocument.read(preprocessorPath) : undefined;
  const weights = await readTensors(join(dir, WEIGHTS_FILE), false);
  const buffers = await readTensors(join(dir, OPTIMIZER_TENSORS_FILE), true);
  const optimizer = optimizerStateFrom(await readJsonObject(dir, OPTIMIZER_STATE_FILE), new Map([...buffers].map(([k, t]) => [k, t.data as Float32Array])), join(dir, OPTIMIZER_STATE_FILE));
  const schedulerPath = join(dir, SCHEDULER_STATE_FILE);
  const scheduler = (await exists(schedulerPath)) ? schedulerStateFrom(await readJsonObject(dir, SCHEDULER_STATE_FILE), schedulerPath) : undefined;
  const rng = await readJsonObject(dir, RNG_STATE_FILE);
  const trainerStatePath = join(dir, TRAINER_STATE_FILE);
  const trainerState = parseTrainerState(await readText(trainerStatePath), trainerStatePath);
  const trainingArgs = (await exists(join(dir, TRAINING_ARGS_FILE))) ? await readJsonObject(dir, TRAINING_ARGS_FILE) : undefined;
  const extra = (await exists(join(dir, EXTRA_STATE_FILE))) ? await readJsonObject(dir, EXTRA_STATE_FILE) : undefined;
  const named = /^checkpoint-(\d+)$/.exec(basename(dir));
  if (trainerState.global_step !== manifest.global_step || (named && Number(named[1]) !== manifest.global_step)) {
    throw new CorruptCheckpointError(
      `${dir}: the folder, its manifest (step ${manifest.global_step}) and trainer_state.json (global_step ${trainerState.global_step}) disagree on the step; the folder was renamed or its files mixed`,
      dir,
    );
  }
  return { path: dir, step: manifest.global_step, config, featureExtractorConfig, weights, optimizer, scheduler, rng, trainerState, trainingArgs, extra };
}

function weightShapes(weights: ModelFolderContents["weights"]): Map<string, readonly number[]> {
  const entries = weights instanceof Map ? [...weights.entries()] : Object.entries(weights ?? {});
  return new Map(entries.map(([name, t]) => [name, ((t as Partial<Tensor>).dims ?? (t as { shape?: readonly number[] }).shape ?? []) as readonly number[]]));
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") throw new IncompleteCheckpointError(`${path} is missing from the checkpoint`, path);
    throw new CorruptCheckpointError(`cannot read ${path}: ${(cause as Error).message}`, path, { cause });
  }
}

async function readJsonObject(dir: string, file: string): Promise<Record<string, unknown>> {
  const path = join(dir, file);
  return JsonDocument.parse(await readText(path), path).toObject();
}

/** Every tensor of a safetensors file; `float32Only` for optimizer buffers. */
async function readTensors(path: string, float32Only: boolean): Promise<Map<string, Tensor>> {
  try {
    const file = await readSafetensors(path);
    const out = new Map<string, Tensor>();
    for (const name of file.namesInFileOrder()) {
      const tensor = file.getTensor(name);
      if (float32Only && tensor.type !== "float32") throw new CorruptCheckpointError(`${path}: "${name}" is ${tensor.type}; optimizer buffers are float32`, path);
      out.set(name, tensor);
    }
    file.close();
    return out;
  } catch (error) {
    if (error instanceof CorruptCheckpointError) throw error;
    if (error instanceof WeightsError) throw new CorruptCheckpointError(`${path} cannot be read: ${error.message}`, path, { cause: error });
    throw new CorruptCheckpointError(`${path} cannot be read: ${(error as Error).message}`, path, { cause: error });
  }
}
