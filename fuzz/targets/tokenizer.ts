/**
 * Tokenizer files (src/text): TextTokenizer.fromPretrained on a folder where one file is the
 * fuzzed input and the others are CLAP's fixture files, then encode / tokenize / decode and a
 * padded, truncated batch. One target per file, since each takes a different reading path
 * (tokenizer.json wins over vocab.json + merges.txt).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TextTokenizer } from "../../src/text/index.js";
import { filesUnder, SHARED_FIXTURES, seedsFromFiles, TEST_FIXTURES } from "../seed-files.js";
import type { FuzzTarget } from "../target.js";
import { InvariantViolation } from "./invariant-violation.js";
import { mutateJsonBytes } from "./mutate-json-bytes.js";
import { inputHash, scratchFolder } from "./scratch-files.js";

const CLAP_DIR = join(TEST_FIXTURES, "hf", "models", "clap");
const FILE_NAMES = ["tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"] as const;
type TokenizerFile = (typeof FILE_NAMES)[number];

let fixtureFiles: Record<TokenizerFile, Uint8Array> | undefined;
function fixture(): Record<TokenizerFile, Uint8Array> {
  fixtureFiles ??= Object.fromEntries(FILE_NAMES.map((n) => [n, new Uint8Array(readFileSync(join(CLAP_DIR, n)))])) as Record<TokenizerFile, Uint8Array>;
  return fixtureFiles;
}

const TEXTS = ["This is a sound of a dog barking.", "", "vacuum cleaner", "ünïcødé 🐕 <mask> <s></s>", "a ".repeat(200)];

async function exercise(dir: string): Promise<void> {
  const tokenizer = await TextTokenizer.fromPretrained(dir);
  for (const text of TEXTS) {
    const ids = tokenizer.encode(text);
    if (!ids.every((id) => Number.isInteger(id) && id >= 0)) throw new InvariantViolation(`encode gave ids that are not non-negative integers: ${ids.slice(0, 8).join(", ")}`);
    tokenizer.tokenize(text);
    tokenizer.decode(ids);
  }
  const batch = tokenizer.encodeBatch(TEXTS.slice(0, 3), { padding: "max_length", truncation: true, maxLength: 12 });
  const ids = batch.input_ids;
  if (ids.data.length !== ids.dims.reduce((a, b) => a * b, 1)) throw new InvariantViolation(`input_ids has ${ids.data.length} values for dims [${ids.dims.join(", ")}]`);
}

/** A target fuzzing `file`; `companions(input)` are the fixture files laid next to it. */
function tokenizerTarget(name: string, file: TokenizerFile, companions: (input: Uint8Array) => TokenizerFile[], json: boolean): FuzzTarget {
  return {
    name,
    description: `${file} → TextTokenizer.fromPretrained(folder) → encode / tokenize / decode / encodeBatch (padding, truncation)`,
    seeds: () =>
      seedsFromFiles([
        ...filesUnder(join(TEST_FIXTURES, "hf", "models"), (n) => n === file),
        ...filesUnder(join(SHARED_FIXTURES, "models"), (n) => n === file),
      ]),
    ...(json && { mutate: mutateJsonBytes, structuredShare: 0.7 }),
    async run(input, context) {
      const files: Record<string, Uint8Array> = { [file]: input };
      for (const companion of companions(input)) files[companion] = fixture()[companion];
      await exercise(scratchFolder(context.scratchDir, "tokenizer", files));
    },
  };
}

export const tokenizerTargets: FuzzTarget[] = [
  tokenizerTarget("tokenizer-json", "tokenizer.json", () => ["tokenizer_config.json", "special_tokens_map.json"], true),
  tokenizerTarget("tokenizer-vocab", "vocab.json", () => ["merges.txt", "tokenizer_config.json", "special_tokens_map.json"], true),
  tokenizerTarget("tokenizer-merges", "merges.txt", () => ["vocab.json", "tokenizer_config.json", "special_tokens_map.json"], false),
  // The config changes both reading paths: alternate between them by input.
  tokenizerTarget(
    "tokenizer-config",
    "tokenizer_config.json",
    (input) => (inputHash(input) % 2 === 0 ? ["tokenizer.json", "special_tokens_map.json"] : ["vocab.json", "merges.txt", "special_tokens_map.json"]),
    true,
  ),
];
