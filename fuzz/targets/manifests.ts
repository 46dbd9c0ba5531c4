/**
 * Training manifests: AudioDataset.fromCsv / fromJsonl on a manifest file (CSV reader, column
 * picking, label lists, folds), the label map, then a stratified split and a fold split — what
 * `audioclass train --data manifest.csv` does before any audio is decoded (verify: false).
 */
import { join } from "node:path";
import { AudioDataset, foldSplit, stratifiedSplit } from "../../src/training/index.js";
import { AudioclassError } from "../../src/errors.js";
import { textSeed } from "../seed-files.js";
import type { FuzzRandom } from "../random.js";
import type { FuzzTarget, Seed } from "../target.js";
import { InvariantViolation } from "./invariant-violation.js";
import { mutateJsonBytes } from "./mutate-json-bytes.js";
import { scratchFolder } from "./scratch-files.js";

const CSV_SEEDS: Seed[] = [
  textSeed("esc50-style.csv", "filename,fold,target,label\n1-100032-A-0.wav,1,0,dog\n1-100038-A-14.wav,1,14,chirping_birds\n2-100648-A-43.wav,2,43,chainsaw\n2-104532-A-0.wav,2,0,dog\n"),
  textSeed("quoted.csv", '\ufeffpath,label,note\r\n"a,b.wav",dog,"said ""woof""\nthen left"\r\nc.wav,cat,\r\n\r\nsub/d.flac,"dog",x\r\n'),
  textSeed("multi-label.csv", "path,label\na.wav,dog;cat\nb.wav,cat\nc.wav,dog\n"),
  textSeed("minimal.csv", "file,label\n/abs/x.wav,yes\n"),
];

const JSONL_SEEDS: Seed[] = [
  textSeed("basic.jsonl", '{"path": "a.wav", "label": "dog", "fold": 1}\n{"path": "b.wav", "label": "cat", "fold": 2}\n\n{"path": "c.wav", "label": "dog", "fold": "2"}\n'),
  textSeed("multi-label.jsonl", '{"file_name": "x/a.wav", "label": ["dog", "cat"], "speaker": {"id": 3}}\r\n{"file_name": "x/b.wav", "label": ["cat"]}\n'),
  textSeed("numbers.jsonl", '\ufeff{"filename": "1.wav", "label": 7}\n{"filename": "2.wav", "label": 0.5}\n'),
];

/** One JSON line edited structurally, the other lines kept. */
function mutateJsonLine(input: Uint8Array, random: FuzzRandom): Uint8Array | undefined {
  const lines = new TextDecoder().decode(input).split("\n");
  const i = random.below(lines.length);
  const edited = mutateJsonBytes(new TextEncoder().encode(lines[i]!), random);
  if (edited === undefined) return undefined;
  lines[i] = new TextDecoder().decode(edited).replace(/\n/g, random.chance(0.9) ? "" : "\n");
  if (random.chance(0.2)) lines.splice(random.below(lines.length), 0, lines[random.below(lines.length)]!);
  return new TextEncoder().encode(lines.join("\n"));
}

async function exercise(dataset: AudioDataset): Promise<void> {
  const { labelMap } = dataset;
  for (let i = 0; i < dataset.examples.length; i++) {
    for (const id of dataset.labelIds(i)) {
      if (!Number.isInteger(id) || id < 0 || id >= labelMap.labels.length) throw new InvariantViolation(`example ${i} has label id ${id} of ${labelMap.labels.length}`);
    }
  }
  dataset.labelCounts();
  const folds = dataset.folds();
  // Splits refuse data they cannot split (one example, one class…) with a typed error: that is fine, go on.
  const tolerate = (split: () => unknown): void => {
    try {
      split();
    } catch (error) {
      if (!(error instanceof AudioclassError)) throw error;
    }
  };
  if (!dataset.multiLabel) tolerate(() => stratifiedSplit(dataset, { testSize: 0.25, seed: 1 }));
  if (folds.length > 1) tolerate(() => foldSplit(dataset, folds[0]!));
}

function manifestTarget(name: string, file: string, seeds: Seed[], load: (path: string) => Promise<AudioDataset>, mutate?: FuzzTarget["mutate"]): FuzzTarget {
  return {
    name,
    description: `${file} → AudioDataset.${file.endsWith(".csv") ? "fromCsv" : "fromJsonl"} (verify: false) → label ids, stratified and fold splits`,
    seeds: () => seeds,
    ...(mutate !== undefined && { mutate, structuredShare: 0.6 }),
    async run(input, context) {
      const dir = scratchFolder(context.scratchDir, "manifest", { [file]: input });
      await exercise(await load(join(dir, file)));
    },
  };
}

export const manifestTargets: FuzzTarget[] = [
  manifestTarget("manifest-csv", "train.csv", CSV_SEEDS, (path) => AudioDataset.fromCsv(path, { verify: false })),
  manifestTarget("manifest-jsonl", "train.jsonl", JSONL_SEEDS, (path) => AudioDataset.fromJsonl(path, { verify: false }), mutateJsonLine),
];
