// Dataset normalisation statistics (issue #15, item 3): the AST tutorial's recipe — the
// extractor with do_normalize=False over the training clips, mean of the clips' means and mean
// of their torch.std — checked against a direct computation written here; then an AST fine-tune
// on six ESC-10 clips (test/fixtures/esc10) with computeNormalization writes the numbers into
// preprocessor_config.json and trains, evaluates and saves with them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readAudio } from "../../src/audio/index.js";
import { ASTFeatureExtractor } from "../../src/features/ast-feature-extractor.js";
import { AutoFeatureExtractor } from "../../src/models/index.js";
import { runCli } from "../../src/cli/cli.js";
import { AudioDataset, ResumeError, Trainer, TrainerOptionsError, TrainingDataError, computeNormalizationStats } from "../../src/training/index.js";
import { modelDir } from "../helpers/fixtures.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { tempDir } from "./support/wav-file.js";

const ESC10 = fileURLToPath(new URL("../fixtures/esc10/", import.meta.url));
const AST_PREPROCESSOR = JSON.parse(readFileSync(join(modelDir("ast"), "preprocessor_config.json"), "utf8")) as Record<string, unknown>;

/** Both sums are float64 over the same float32 values, in different orders. */
const SUM_ORDER_TOLERANCE = 1e-9;
/** (x − mean) / (2·std) is rounded to float32 (≈ 6e-8 relative) per value. */
const FLOAT32_TOLERANCE = 1e-5;

interface Direct {
  mean: number;
  std: number;
  allValuesStd: number;
}

/** Each clip's do_normalize=False features: a fresh AST extractor built here from the fixture config. */
async function rawFeatures(paths: readonly string[]): Promise<Float32Array[]> {
  const extractor = new ASTFeatureExtractor({ ...AST_PREPROCESSOR, do_normalize: false });
  const out: Float32Array[] = [];
  for (const path of paths) {
    const audio = await readAudio(path, { samplingRate: 16000, mono: true });
    out.push(extractor(audio.channels[0]!, { samplingRate: 16000 }).input_values!.data as Float32Array);
  }
  return out;
}

/** The tutorial's loop written out: torch.mean and torch.std (n − 1) per clip, np.mean over clips. */
function direct(clips: readonly Float32Array[]): Direct {
  const means: number[] = [];
  const stds: number[] = [];
  const all: number[] = [];
  for (const values of clips) {
    const n = values.length;
    const mean = values.reduce((a, v) => a + v, 0) / n;
    means.push(mean);
    stds.push(Math.sqrt(values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / (n - 1)));
    for (const v of values) all.push(v);
  }
  const avg = (xs: readonly number[]): number => xs.reduce((a, v) => a + v, 0) / xs.length;
  const grand = avg(all);
  return { mean: avg(means), std: avg(stds), allValuesStd: Math.sqrt(all.reduce((a, v) => a + (v - grand) * (v - grand), 0) / (all.length - 1)) };
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected} (tolerance ${tolerance})`);
}

test("computeNormalizationStats on the ESC-10 clips: mean of clip means, mean of clip stds (n − 1), zero-padded short clip included — as a direct computation", async () => {
  const data = await AudioDataset.fromFolder(ESC10);
  assert.equal(data.size, 6);
  const extractor = AutoFeatureExtractor.fromConfig(AST_PREPROCESSOR);
  const stats = await computeNormalizationStats(data, extractor);
  const clips = await rawFeatures(data.examples.map((e) => e.path));
  const expected = direct(clips);
  assert.equal(stats.clips, 6);
  assert.equal(stats.valuesPerClip, 128 * 128, "max_length frames × num_mel_bins, as the model sees a clip");
  // the 0.8 s clip has 78 frames; the other 50 are zero padding, which the tutorial's statistics include
  const short = clips[data.examples.findIndex((e) => e.path.endsWith("4-184575-A-0.wav"))]!;
  assert.ok(short.subarray(78 * 128).every((v) => v === 0) && short[77 * 128] !== 0);
  assertClose(stats.mean, expected.mean, SUM_ORDER_TOLERANCE, "mean");
  assertClose(stats.std, expected.std, SUM_ORDER_TOLERANCE, "std");
  assertClose(stats.allValuesStd, expected.allValuesStd, SUM_ORDER_TOLERANCE, "std of all values");
  assert.ok(stats.allValuesStd > stats.std, "the spread between clips adds to the std of all values");
  // Far from AudioSet's -4.27 / 4.57: these are the numbers worth computing.
  assert.ok(Math.abs(stats.mean - -4.2677393) > 0.5, `mean ${stats.mean}`);
  // the extractor passed in is not changed
  assert.equal((extractor as ASTFeatureExtractor).mean, -4.2677393);
});

test("computeNormalizationStats: extractors without dataset statistics and silent data are TrainingDataErrors that say why", async () => {
  const data = await AudioDataset.fromFolder(ESC10);
  const wav2vec2 = AutoFeatureExtractor.fromConfig({ feature_extractor_type: "Wav2Vec2FeatureExtractor", do_normalize: true, sampling_rate: 16000 });
  await assert.rejects(computeNormalizationStats(data, wav2vec2), (e: unknown) => e instanceof TrainingDataError && /Wav2Vec2FeatureExtractor does not normalise with dataset statistics.*ASTFeatureExtractor/.test(e.message));
  const dir = tempDir();
  try {
    for (const label of ["a", "b"]) dir.wav(`${label}/quiet.wav`, new Float32Array(24000), 16000); // 1.5 s: all 128 frames, no padding
    const silent = await AudioDataset.fromFolder(dir.root);
    await assert.rejects(computeNormalizationStats(silent, AutoFeatureExtractor.fromConfig(AST_PREPROCESSOR)), (e: unknown) => e instanceof TrainingDataError && /std 0: every clip is constant \(silence\)/.test(e.message));
  } finally {
    dir.remove();
  }
});

test("AST fine-tune on ESC-10 with computeNormalization: the training split's mean/std are trained with, evaluated with and saved in preprocessor_config.json", async () => {
  const out = tempDir("audioclass-normalization-");
  const data = await AudioDataset.fromFolder(ESC10);
  const trainer = await Trainer.create({
    model: modelDir("ast"), trainData: data, evalSplit: 1 / 3, computeNormalization: true, outputDir: out.root,
    epochs: 1, batchSize: 2, learningRate: 1e-4, loggingSteps: 1, threads: 2, progress: false,
  });
  try {
    assert.equal(trainer.trainData.size, 4);
    assert.equal(trainer.evalData!.size, 2);
    const stats = trainer.normalizationStats!;
    const expected = direct(await rawFeatures(trainer.trainData.examples.map((e) => e.path)));
    assertClose(stats.mean, expected.mean, SUM_ORDER_TOLERANCE, "mean");
    assertClose(stats.std, expected.std, SUM_ORDER_TOLERANCE, "std");
    // only the training split counts: all six clips give other numbers
    const everything = direct(await rawFeatures(data.examples.map((e) => e.path)));
    assert.ok(Math.abs(everything.mean - stats.mean) > 1e-3, "held-out clips are not in the statistics");
    // the batches (training and evaluation) are made by the extractor with the new values
    const used = trainer.loaderOptions().featureExtractor as ASTFeatureExtractor;
    assert.equal(used.mean, stats.mean);
    assert.equal(used.std, stats.std);
    assert.equal(used.doNormalize, true);

    const result = await trainer.train();
    const saved = JSON.parse(readFileSync(join(out.root, "preprocessor_config.json"), "utf8")) as Record<string, unknown>;
    assert.deepEqual(saved, { ...AST_PREPROCESSOR, mean: stats.mean, std: stats.std }, "only mean and std change, and they survive the JSON round trip exactly");
    const checkpoint = JSON.parse(readFileSync(join(result.bestCheckpoint!, "preprocessor_config.json"), "utf8")) as Record<string, unknown>;
    assert.equal(checkpoint["mean"], stats.mean);
    const args = JSON.parse(readFileSync(join(result.bestCheckpoint!, "training_args.json"), "utf8")) as Record<string, unknown>;
    assert.equal(args["normalization_mean"], stats.mean);
    assert.equal(args["normalization_std"], stats.std);

    // The saved model's extractor maps the training clips to mean 0 and std 0.5 (AST's target).
    const reloaded = await AutoFeatureExtractor.fromPretrained(out.root);
    let meanOfMeans = 0;
    let meanOfStds = 0;
    for (const example of trainer.trainData.examples) {
      const audio = await readAudio(example.path, { samplingRate: 16000, mono: true });
      const values = reloaded(audio.channels[0]!, { samplingRate: 16000 }).input_values!.data as Float32Array;
      const m = values.reduce((a, v) => a + v, 0) / values.length;
      meanOfMeans += m / trainer.trainData.size;
      meanOfStds += Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1)) / trainer.trainData.size;
    }
    assertClose(meanOfMeans, 0, FLOAT32_TOLERANCE, "normalised mean");
    assertClose(meanOfStds, 0.5, FLOAT32_TOLERANCE, "normalised std");
  } finally {
    await trainer.dispose();
    out.remove();
  }
});

test("computeNormalization on a model without dataset statistics (wav2vec2) is a TrainerOptionsError naming the option", async () => {
  const out = tempDir("audioclass-normalization-");
  try {
    const data = await AudioDataset.fromFolder(ESC10);
    await assert.rejects(
      Trainer.create({ model: modelDir("wav2vec2"), trainData: data, computeNormalization: true, outputDir: out.root, threads: 2, progress: false }),
      (e: unknown) => e instanceof TrainerOptionsError && e.option === "computeNormalization" && /Wav2Vec2FeatureExtractor.*leave it off/.test(e.message),
    );
  } finally {
    out.remove();
  }
});

test("audioclass train --compute-normalization writes the training set's mean and std into the output's preprocessor_config.json", async () => {
  const out = tempDir("audioclass-normalization-");
  try {
    let err = "";
    let stdout = "";
    const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (err += t), stderrStream: new CapturedStream(), env: { CI: "true" } };
    const code = await runCli(["train", "--model", modelDir("ast"), "--data", ESC10, "--output", out.root, "--compute-normalization", "--max-steps", "1", "--batch-size", "6", "--threads", "2", "--format", "json"], io);
    assert.equal(code, 0, err);
    assert.match(err, /normalization: mean -\d+\.\d{4}, std \d+\.\d{4} over 6 training clips \(saved in preprocessor_config.json\)/);
    const expected = direct(await rawFeatures((await AudioDataset.fromFolder(ESC10)).examples.map((e) => e.path)));
    const saved = JSON.parse(readFileSync(join(out.root, "preprocessor_config.json"), "utf8")) as Record<string, number>;
    assertClose(saved["mean"]!, expected.mean, SUM_ORDER_TOLERANCE, "mean");
    assertClose(saved["std"]!, expected.std, SUM_ORDER_TOLERANCE, "std");
    const summary = JSON.parse(stdout) as { normalization: { mean: number; std: number; clips: number } };
    assert.deepEqual(summary.normalization, { mean: saved["mean"], std: saved["std"], clips: 6 });
  } finally {
    out.remove();
  }
});

test("resuming a computeNormalization run recomputes the same statistics; resuming it without them is a ResumeError naming them", async () => {
  const out = tempDir("audioclass-normalization-");
  const data = await AudioDataset.fromFolder(ESC10);
  const settings = { model: modelDir("ast"), trainData: data, outputDir: out.root, batchSize: 2, maxSteps: 2, saveSteps: 1, threads: 2, progress: false } as const;
  try {
    const first = await Trainer.create({ ...settings, computeNormalization: true });
    await first.train().finally(() => first.dispose());
    rmSync(join(out.root, "checkpoint-2"), { recursive: true }); // as if stopped after step 1
    const plain = await Trainer.create({ ...settings, resumeFrom: "latest" });
    await assert.rejects(plain.train().finally(() => plain.dispose()), (e: unknown) => e instanceof ResumeError && /normalization_mean: -?\d+\.\d+ in the checkpoint, nothing now/.test(e.message));
    const again = await Trainer.create({ ...settings, computeNormalization: true, resumeFrom: "latest" });
    const result = await again.train().finally(() => again.dispose());
    assert.equal(result.resumedFrom, join(out.root, "checkpoint-1"));
    assert.equal(result.globalStep, 2);
    assert.equal(JSON.parse(readFileSync(join(out.root, "preprocessor_config.json"), "utf8")).mean, again.normalizationStats!.mean);
  } finally {
    out.remove();
  }
});
