/**
 * The manifest written last into every training checkpoint: the files it holds and their sizes.
 * A folder without it was never finished; a file whose size differs was truncated or replaced.
 * (Atomic folder renames already keep half-written checkpoints out of sight; the manifest also
 * catches folders copied or damaged afterwards, without hashing a gigabyte per load.)
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describeValue } from "../../errors.js";
import { CorruptCheckpointError, IncompleteCheckpointError } from "../checkpoint-errors.js";
import { writeFileSynced } from "./atomic-folder.js";
import { pythonJsonDumps } from "./python-json.js";

export const MANIFEST_FILE = "audioclass_checkpoint.json";
const FORMAT = "audioclass-checkpoint";
const VERSION = 1;

export interface CheckpointManifest {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly global_step: number;
  /** File name → size in bytes. */
  readonly files: Readonly<Record<string, number>>;
}

/** Records the sizes of `files` (already written and synced in `folder`) and writes the manifest. */
export async function writeManifest(folder: string, step: number, files: readonly string[]): Promise<CheckpointManifest> {
  const sizes: Record<string, number> = {};
  for (const file of files) sizes[file] = (await stat(join(folder, file))).size;
  const manifest: CheckpointManifest = { format: FORMAT, version: VERSION, global_step: step, files: sizes };
  await writeFileSynced(join(folder, MANIFEST_FILE), pythonJsonDumps(manifest) + "\n");
  return manifest;
}

/** Reads the manifest of `folder` and checks every listed file is there with its recorded size. */
export async function verifyManifest(folder: string): Promise<CheckpointManifest> {
  const path = join(folder, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") {
      throw new IncompleteCheckpointError(`${folder} has no ${MANIFEST_FILE}: the checkpoint was not written to the end (or is not an audioclass checkpoint); resume from an earlier checkpoint`, folder);
    }
    throw new CorruptCheckpointError(`cannot read ${path}: ${(cause as Error).message}`, path, { cause });
  }
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(text) as CheckpointManifest;
  } catch (cause) {
    throw new CorruptCheckpointError(`${path} is not valid JSON (${(cause as Error).message}); the checkpoint is damaged`, path, { cause });
  }
  if (manifest?.format !== FORMAT || typeof manifest.files !== "object" || manifest.files === null || !Number.isSafeInteger(manifest.global_step)) {
    throw new CorruptCheckpointError(`${path} is not an audioclass checkpoint manifest (format ${describeValue(manifest?.format)})`, path);
  }
  if (manifest.version > VERSION) {
    throw new CorruptCheckpointError(`${path} has checkpoint format version ${manifest.version}; this audioclass reads up to version ${VERSION} — upgrade audioclass`, path);
  }
  for (const [file, size] of Object.entries(manifest.files)) {
    const actual = await stat(join(folder, file)).then(
      (s) => s.size,
      () => undefined,
    );
    if (actual === undefined) throw new IncompleteCheckpointError(`${join(folder, file)} is missing from the checkpoint; resume from an earlier checkpoint`, folder);
    if (actual !== size) {
      throw new CorruptCheckpointError(`${join(folder, file)} is ${actual} bytes but the checkpoint recorded ${size}: the file was truncated or altered; resume from an earlier checkpoint`, join(folder, file));
    }
  }
  return manifest;
}
