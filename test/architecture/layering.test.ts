/**
 * The layer table of DESIGN.md, enforced: every relative import under src/ is parsed and checked
 * against the layers it may reach, and no file outside a family's folder (src/models/<family>/)
 * names a family's model_type.
 *
 * The table lists the layers from the bottom up and says what each knows nothing of. Read
 * together, they give the ranks below: a layer may import its own files, the shared root files
 * (errors.ts, tensor.ts, file-range.ts, util/) and any layer of a lower rank — never one of its own
 * rank or higher. runtime/ and hub/ sit below models/ although the table lists them after it,
 * because the table says they know nothing of models (and models build sessions and resolve
 * folders with them); features/ sits below models/ (the brief's rule: the model_type → extractor
 * mapping is handed down, see models/auto-feature-extractor.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { audioClassificationFamilies } from "../../src/models/index.js";
import { CLAP_FEATURES } from "../../src/models/clap/clap-family.js";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** rank of each layer folder; root files and util/ are rank 0 (everyone may use them). */
const RANK: Readonly<Record<string, number>> = {
  util: 0,
  audio: 1,
  dsp: 1,
  hub: 1,
  text: 1,
  features: 2,
  graph: 2,
  nn: 3,
  weights: 3,
  runtime: 3,
  models: 4,
  pipelines: 5,
  training: 5,
  // the faces over the library; the command line is outermost (its verbs start the others)
  server: 6,
  queue: 6,
  web: 6,
  cli: 7,
  // the browser entry (src/browser.ts) wires the library layers for pages; the demo page (web/) uses it
  browser: 5.5,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** The layer of a file under src/: its first folder, "" for a shared root file, "index" / "browser" for the public entries. */
function layerOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  if (parts.length === 1 && parts[0] === "index.ts") return "index";
  if (parts.length === 1 && parts[0] === "browser.ts") return "browser";
  return parts.length > 1 ? parts[0]! : "";
}

function rankOf(layer: string): number {
  if (layer === "") return 0;
  if (layer === "index") return Infinity; // src/index.ts re-exports every layer
  const rank = RANK[layer];
  if (rank === undefined) throw new Error(`src/${layer}/ is not in the layer table of this test; add it with its rank`);
  return rank;
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
export function importSpecifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** Comments removed (string contents kept), so commented-out imports and prose are not read. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

test("every import under src/ goes down the layer table (or stays within its layer)", () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    for (const specifier of importSpecifiers(withoutComments(readFileSync(file, "utf8")))) {
      if (!specifier.startsWith(".")) continue;
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(SRC)) {
        violations.push(`${relative(SRC, file)} imports ${specifier}, outside src/`);
        continue;
      }
      const to = layerOf(target);
      if (to === from || to === "" || to === "util") continue;
      if (rankOf(to) >= rankOf(from)) violations.push(`src/${relative(SRC, file)} (${from}, rank ${rankOf(from)}) imports ${specifier} (${to}, rank ${rankOf(to)})`);
    }
  }
  assert.deepEqual(violations, []);
});

test("the import parser sees static, re-export, side-effect and dynamic imports, and skips comments", () => {
  const text = withoutComments(`import { a } from "../models/index.js";\nexport * from "./x.js";\nimport "./side.js";\nconst m = await import("../cli/y.js");\n// import { z } from "../training/z.js";\n/* import { w } from "../w.js"; */`);
  assert.deepEqual(importSpecifiers(text).sort(), ["../cli/y.js", "../models/index.js", "./side.js", "./x.js"]);
});

/** Folders under src/models/ that are families (hold a model_type of their own). */
const FAMILY_FOLDERS = new Set(readdirSync(join(SRC, "models")).filter((name) => statSync(join(SRC, "models", name)).isDirectory() && name !== "speech-encoder"));

/** Every model_type a family claims (audio classifiers and CLAP). */
function modelTypes(): string[] {
  return [...audioClassificationFamilies().flatMap((f) => f.modelTypes), ...CLAP_FEATURES.modelTypes];
}

/** String literals and object keys of a source text equal to one of `names`. */
export function mentions(text: string, names: readonly string[]): string[] {
  const found: string[] = [];
  const code = withoutComments(text);
  for (const match of code.matchAll(/(["'`])((?:\\.|(?!\1)[^\\\n])*)\1/g)) if (names.includes(match[2]!)) found.push(match[2]!);
  for (const match of code.matchAll(/(?:^|[{,\s])([A-Za-z_$][\w$]*)\s*:/gm)) if (names.includes(match[1]!)) found.push(match[1]!);
  return found;
}

test("no file outside src/models/<family>/ names a family's model_type", () => {
  const types = modelTypes();
  assert.ok(types.length >= 7, `expected the registry's model types, got ${types.join(", ")}`);
  const offenders: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const parts = relative(SRC, file).split(sep);
    if (parts[0] === "models" && parts.length > 2 && FAMILY_FOLDERS.has(parts[1]!)) continue;
    const found = mentions(readFileSync(file, "utf8"), types);
    if (found.length > 0) offenders.push(`src/${parts.join("/")}: ${[...new Set(found)].join(", ")}`);
  }
  assert.deepEqual(offenders, []);
});

test("the model_type scan finds literals and object keys but not comments or longer strings", () => {
  const text = `// "wav2vec2" in a comment\nconst a = "wav2vec2-bert-ish";\nconst b = { hubert: 1, "sew-d": 2 };\nif (t === 'wavlm') {}\n/* "whisper" */`;
  assert.deepEqual(mentions(text, ["wav2vec2", "hubert", "sew-d", "wavlm", "whisper"]).sort(), ["hubert", "sew-d", "wavlm"]);
});
