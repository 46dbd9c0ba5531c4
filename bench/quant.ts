// Accuracy of the reduced-precision dtypes against fp32, measured in one run:
// 1. the bundled default model (models/default, spoken digits) over every clip of FSDD: top-1
//    agreement with fp32, top-5 overlap, max / mean |Δ score|, and accuracy (all clips, and FSDD's
//    standard test split: takes 0–4 of every speaker and digit);
// 2. drift only (random weights, random inputs) of full-size AST-base, wav2vec2-base and the
//    Whisper-base encoder: top-1 agreement, top-5 overlap, max / mean |Δ logit| and |Δ score|.
//   node --import tsx bench/quant.ts [--fsdd DIR] [--clips N] [--threads N] [--skip-full-size]
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { readAudio } from "../src/audio/index.js";
import { AutoModelForAudioClassification, type AudioClassificationModel, type ModelDType } from "../src/models/index.js";
import { bundledDefaultModel, pipeline } from "../src/pipelines/index.js";
import { fsddSplit, loadFsdd } from "../src/training/index.js";
import { FULL_SIZE_MODELS, writeRandomModel } from "./support/full-size-models.js";

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const fsddDir = arg("fsdd", "/work/shared/data/fsdd");
const clipLimit = Number(arg("clips", "Infinity"));
const threads = Number(arg("threads", String(availableParallelism())));
const REDUCED: readonly ModelDType[] = ["q8", "fp16"];

/** Agreement statistics of one dtype's outputs against fp32's, accumulated clip by clip. */
class Agreement {
  clips = 0;
  top1 = 0;
  top5 = 0;
  maxDelta = 0;
  sumDelta = 0;
  values = 0;

  add(exact: ArrayLike<number>, reduced: ArrayLike<number>): void {
    const rank = (x: ArrayLike<number>) => Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[b]! - x[a]!);
    const [a, b] = [rank(exact), rank(reduced)];
    this.clips++;
    if (a[0] === b[0]) this.top1++;
    const k = Math.min(5, exact.length);
    this.top5 += a.slice(0, k).filter((i) => b.slice(0, k).includes(i)).length / k;
    for (let i = 0; i < exact.length; i++) {
      const d = Math.abs(reduced[i]! - exact[i]!);
      this.maxDelta = Math.max(this.maxDelta, d);
      this.sumDelta += d;
      this.values++;
    }
  }

  describe(what: string): string {
    return `top-1 agreement ${pct(this.top1 / this.clips)}, top-5 overlap ${pct(this.top5 / this.clips)}, ${what} max ${this.maxDelta.toFixed(4)} mean ${(this.sumDelta / this.values).toFixed(5)}`;
  }
}

const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;

function softmax(logits: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(logits));
  const e = Array.from(logits, (v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

async function defaultModelOnFsdd(): Promise<void> {
  const modelDir = bundledDefaultModel()!;
  const dataset = await loadFsdd(fsddDir);
  const examples = dataset.examples.slice(0, clipLimit);
  const testPaths = new Set(fsddSplit(dataset).test.examples.map((e) => e.path));
  console.log(`default model (${modelDir}) on ${examples.length} FSDD clips from ${fsddDir}; standard test split: ${examples.filter((e) => testPaths.has(e.path)).length} clips`);
  const cacheDir = mkdtempSync(join(tmpdir(), "audioclass-bench-quant-"));
  try {
    const dtypes: ModelDType[] = ["fp32", ...REDUCED];
    const classifiers = await Promise.all(dtypes.map((dtype) => pipeline("audio-classification", modelDir, { dtype, threads, cache: false, weightsCacheDir: cacheDir })));
    const waveforms = await Promise.all(examples.map(async (e) => (await readAudio(e.path, { samplingRate: classifiers[0]!.samplingRate, mono: true })).channels[0]!));
    const labels = classifiers[0]!.model.labels;
    const scores: number[][][] = [];
    const times: number[] = [];
    for (const classify of classifiers) {
      const t0 = performance.now();
      // One clip per run: batches of Whisper features padded to the longest clip (< 1 s here) are refused.
      const results = await classify.classifyWaveforms(waveforms);
      times.push(performance.now() - t0);
      scores.push(results.map((r) => labels.map((label) => r.find((x) => x.label === label)!.score)));
    }
    const accuracy = (s: number[][], keep: (i: number) => boolean): string => {
      const kept = examples.map((_, i) => i).filter(keep);
      const right = kept.filter((i) => labels[s[i]!.indexOf(Math.max(...s[i]!))] === examples[i]!.labels[0]).length;
      return `${pct(right / kept.length)} (${right}/${kept.length})`;
    };
    dtypes.forEach((dtype, d) => {
      const line = `  ${dtype.padEnd(4)} accuracy: all clips ${accuracy(scores[d]!, () => true)}, standard test split ${accuracy(scores[d]!, (i) => testPaths.has(examples[i]!.path))}; ${(times[d]! / examples.length).toFixed(2)} ms/clip`;
      if (d === 0) return console.log(line);
      const agreement = new Agreement();
      examples.forEach((_, i) => agreement.add(scores[0]![i]!, scores[d]![i]!));
      console.log(`${line}\n       vs fp32: ${agreement.describe("|Δ score|")}`);
    });
    await Promise.all(classifiers.map((c) => c.dispose()));
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function fullSizeDrift(): Promise<void> {
  const inputs = 3;
  console.log(`\nfull-size models, random weights, ${inputs} random inputs each (drift only: random logits carry no meaning)`);
  for (const spec of FULL_SIZE_MODELS) {
    const dir = mkdtempSync(join(tmpdir(), "audioclass-bench-quant-model-"));
    try {
      await writeRandomModel(spec, dir);
      const load = (dtype: ModelDType): Promise<AudioClassificationModel> => AutoModelForAudioClassification.fromPretrained(dir, { dtype, threads, cache: false, weightsCacheDir: false });
      const exact = await load("fp32");
      const reference = [];
      for (let seed = 0; seed < inputs; seed++) reference.push((await exact.forward(spec.feeds(seed))).data);
      await exact.dispose();
      for (const dtype of REDUCED) {
        const model = await load(dtype);
        const [logits, probabilities] = [new Agreement(), new Agreement()];
        for (let seed = 0; seed < inputs; seed++) {
          const out = (await model.forward(spec.feeds(seed))).data;
          logits.add(reference[seed]!, out);
          probabilities.add(softmax(reference[seed]!), softmax(out));
        }
        await model.dispose();
        console.log(`  ${spec.name.padEnd(30)} ${dtype.padEnd(4)} ${logits.describe("|Δ logit|")}; |Δ score| max ${probabilities.maxDelta.toFixed(4)} mean ${(probabilities.sumDelta / probabilities.values).toFixed(5)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await defaultModelOnFsdd();
if (!process.argv.includes("--skip-full-size")) await fullSizeDrift();
