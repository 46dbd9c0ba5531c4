/**
 * The checkpoint-<step> folders of an output directory: listing them, finding the latest complete
 * one, and deleting old ones beyond `save_total_limit` as the Trainer's _rotate_checkpoints does —
 * oldest first, never the best checkpoint, and with a limit of 1 the best and the latest both kept
 * so a run can still resume.
 */
import { readdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describeValue } from "../../errors.js";
import { CheckpointContentError } from "../checkpoint-errors.js";
import { exists, syncDirectory } from "./atomic-folder.js";
import { MANIFEST_FILE } from "./checkpoint-manifest.js";

export const CHECKPOINT_PREFIX = "checkpoint";
/** Anchored, so temporary (`checkpoint-12.tmp-…`) and set-aside folders never count. */
const CHECKPOINT_NAME = /^checkpoint-(\d+)$/;

export function checkpointFolderName(step: number): string {
  if (!Number.isSafeInteger(step) || step < 0) throw new CheckpointContentError(`a checkpoint step must be a whole number ≥ 0, got ${describeValue(step)}`);
  return `${CHECKPOINT_PREFIX}-${step}`;
}

export interface CheckpointFolder {
  readonly path: string;
  readonly step: number;
  /** Whether its manifest exists (written last, so only finished checkpoints have one). */
  readonly complete: boolean;
}

/** The checkpoint folders of `outputDir`, by step ascending (none when the folder does not exist). */
export async function listCheckpoints(outputDir: string): Promise<CheckpointFolder[]> {
  const dir = resolve(outputDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const found: CheckpointFolder[] = [];
  for (const name of names) {
    const match = CHECKPOINT_NAME.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    // A folder deleted meanwhile (another process rotating) is simply not listed.
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) continue;
    found.push({ path, step: Number(match[1]), complete: await exists(join(path, MANIFEST_FILE)) });
  }
  return found.sort((a, b) => a.step - b.step);
}

/** The latest complete checkpoint folder of `outputDir`, or undefined when there is none. */
export async function latestCheckpoint(outputDir: string): Promise<string | undefined> {
  const complete = (await listCheckpoints(outputDir)).filter((c) => c.complete);
  return complete.length > 0 ? complete[complete.length - 1].path : undefined;
}

export interface RotateOptions {
  /** How many checkpoints to keep; undefined or ≤ 0 keeps all (TrainingArguments.save_total_limit). */
  readonly saveTotalLimit?: number | null;
  /** trainer_state's best_model_checkpoint (resolved against the working directory, as Python does). */
  readonly bestModelCheckpoint?: string | null;
  /** trainer_state's best_global_step: its checkpoint is protected too. */
  readonly bestGlobalStep?: number | null;
}

/** Deletes the oldest checkpoints beyond the limit; returns the deleted paths. */
export async function rotateCheckpoints(outputDir: string, options: RotateOptions): Promise<string[]> {
  const limit = options.saveTotalLimit;
  if (limit === undefined || limit === null || limit <= 0) return [];
  if (!Number.isSafeInteger(limit)) throw new CheckpointContentError(`saveTotalLimit must be a whole number, got ${describeValue(limit)}`);
  const ordered = (await listCheckpoints(outputDir)).map((c) => c.path);
  if (ordered.length <= limit) return [];
  const best = bestPath(outputDir, options);
  // As _sorted_checkpoints: move the best to second-to-last so only newer ones can push it out.
  const at = best === undefined ? -1 : ordered.indexOf(best);
  if (at >= 0 && at < ordered.length - 2) {
    ordered.splice(at, 1);
    ordered.splice(ordered.length - 1, 0, best as string);
  }
  // With a limit of 1 and a best that is not the latest, keep both: the latest is needed to resume.
  const keep = limit === 1 && best !== undefined && ordered[ordered.length - 1] !== best ? 2 : limit;
  const doomed = ordered.slice(0, Math.max(0, ordered.length - keep)).filter((p) => p !== best);
  for (const path of doomed) await rm(path, { recursive: true, force: true });
  if (doomed.length > 0) await syncDirectory(resolve(outputDir));
  return doomed;
}

function bestPath(outputDir: string, options: RotateOptions): string | undefined {
  if (options.bestModelCheckpoint) return resolve(options.bestModelCheckpoint);
  if (options.bestGlobalStep !== undefined && options.bestGlobalStep !== null) return join(resolve(outputDir), checkpointFolderName(options.bestGlobalStep));
  return undefined;
}
