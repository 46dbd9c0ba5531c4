/**
 * Seeds from files: the repository's test fixtures and, when present, the shared golden fixtures
 * (/work/shared/fixtures, or $AUDIOCLASS_SHARED_FIXTURES). Large files are cut or left out so that
 * one execution stays in the millisecond range.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Seed } from "./target.js";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const TEST_FIXTURES = join(REPO_ROOT, "test", "fixtures");
export const SHARED_FIXTURES = process.env["AUDIOCLASS_SHARED_FIXTURES"] ?? "/work/shared/fixtures";

export interface SeedFileOptions {
  /** Files larger than this are cut to it ("truncate", for formats that tolerate it) or skipped. */
  readonly maxBytes?: number;
  readonly oversize?: "truncate" | "skip";
}

/** Files under `dir` (recursively) whose name satisfies `accept`, sorted for determinism. */
export function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, accept));
    else if (accept(name)) out.push(full);
  }
  return out;
}

export function seedsFromFiles(paths: readonly string[], options: SeedFileOptions = {}): Seed[] {
  const max = options.maxBytes ?? 256 * 1024;
  const seeds: Seed[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    let bytes = new Uint8Array(readFileSync(path));
    if (bytes.length > max) {
      if (options.oversize !== "truncate") continue;
      bytes = bytes.slice(0, max);
    }
    seeds.push({ name: path.startsWith(REPO_ROOT) ? relative(REPO_ROOT, path) : path, bytes });
  }
  return seeds;
}

export function textSeed(name: string, text: string): Seed {
  return { name, bytes: new TextEncoder().encode(text) };
}
