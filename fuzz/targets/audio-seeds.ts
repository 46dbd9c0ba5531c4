/** Audio seed files by name pattern: the repository's codec fixtures and the golden WAVs. */
import { join } from "node:path";
import { filesUnder, SHARED_FIXTURES, seedsFromFiles, TEST_FIXTURES } from "../seed-files.js";
import type { Seed } from "../target.js";

export function audioSeeds(accept: (name: string) => boolean): Seed[] {
  const files = [
    ...filesUnder(join(TEST_FIXTURES, "audio"), accept),
    ...filesUnder(join(TEST_FIXTURES, "hf", "audio"), accept),
    ...filesUnder(join(SHARED_FIXTURES, "audio"), accept),
  ];
  // Long clips are cut: a cut-short data chunk is itself a case worth covering.
  return seedsFromFiles(files, { maxBytes: 48 * 1024, oversize: "truncate" });
}
