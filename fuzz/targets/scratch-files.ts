/** Writing a target's input (and fixed companion files) into the per-process scratch folder. */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A fresh sub-folder `name` of the scratch folder holding exactly `files`. */
export function scratchFolder(scratchDir: string, name: string, files: Record<string, Uint8Array | string>): string {
  const dir = join(scratchDir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

/** A small deterministic index from the input's bytes (FNV-1a), to vary companion files per input. */
export function inputHash(input: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input[i]!, 0x01000193);
  return h >>> 0;
}
