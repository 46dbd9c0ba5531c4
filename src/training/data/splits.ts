/**
 * Splitting a dataset into train and test (or validation) parts: by fold (predefined
 * cross-validation folds such as ESC-50's), by a predicate, by group (e.g. hold out speakers),
 * or at random with per-label proportions kept (stratified, as
 * Dataset.train_test_split(test_size, stratify_by_column="label", seed)). Both parts keep the
 * dataset's label map, so their ids agree.
 */
import { describeValue } from "../../errors.js";
import { TrainingDataError } from "../errors.js";
import { Rng } from "../random.js";
import type { AudioExample } from "./audio-example.js";
import type { AudioDataset } from "./audio-dataset.js";
import { shuffledIndices, splitSizes, stratifiedIndices, type TrainTestSizes } from "./stratified-split.js";

export interface DatasetSplit {
  readonly train: AudioDataset;
  readonly test: AudioDataset;
}

function fromIndices(dataset: AudioDataset, train: readonly number[], test: readonly number[], what: string): DatasetSplit {
  if (train.length === 0) throw new TrainingDataError(`${what} leaves no training examples in ${dataset.source}`);
  if (test.length === 0) throw new TrainingDataError(`${what} leaves no test examples in ${dataset.source}`);
  return { train: dataset.subset(train, `${dataset.source} [train]`), test: dataset.subset(test, `${dataset.source} [test]`) };
}

/** Examples for which `isTest` is true go to test, the others to train (order kept). */
export function predicateSplit(dataset: AudioDataset, isTest: (example: AudioExample, index: number) => boolean, what = "the predicate split"): DatasetSplit {
  const train: number[] = [];
  const test: number[] = [];
  dataset.examples.forEach((e, i) => (isTest(e, i) ? test : train).push(i));
  return fromIndices(dataset, train, test, what);
}

/**
 * Predefined folds: examples whose fold is in `testFolds` go to test, the rest to train —
 * e.g. ESC-50's 5-fold cross-validation takes one fold as test each time.
 */
export function foldSplit(dataset: AudioDataset, testFolds: string | number | readonly (string | number)[]): DatasetSplit {
  const available = dataset.folds();
  if (available.length === 0) {
    throw new TrainingDataError(`${dataset.source} has no folds; give the manifest a fold column (e.g. path,label,fold) or use stratifiedSplit`);
  }
  const wanted = (Array.isArray(testFolds) ? testFolds : [testFolds]).map((f) => String(f).trim());
  if (wanted.length === 0) throw new TrainingDataError(`foldSplit needs at least one test fold; ${dataset.source} has folds ${available.join(", ")}`);
  const unknown = wanted.filter((f) => !available.includes(f));
  if (unknown.length > 0) {
    throw new TrainingDataError(`fold ${unknown.map((f) => JSON.stringify(f)).join(", ")} is not in ${dataset.source}; its folds are ${available.join(", ")}`);
  }
  const missing = dataset.examples.filter((e) => e.fold === undefined);
  if (missing.length > 0) throw new TrainingDataError(`${missing.length} examples of ${dataset.source} have no fold (e.g. ${missing[0]!.path}); give every row a fold`);
  return predicateSplit(dataset, (e) => wanted.includes(e.fold!), `holding out fold ${wanted.join(", ")}`);
}

/**
 * Group holdout: examples whose group (groupOf) is in `testGroups` go to test — e.g. unseen
 * speakers, so that the test measures generalisation to new voices.
 */
export function groupSplit(dataset: AudioDataset, groupOf: (example: AudioExample) => string, testGroups: readonly string[]): DatasetSplit {
  const groups = new Set(dataset.examples.map(groupOf));
  const unknown = testGroups.filter((g) => !groups.has(g));
  if (unknown.length > 0) {
    throw new TrainingDataError(`group ${unknown.map((g) => JSON.stringify(g)).join(", ")} does not occur in ${dataset.source}; its groups are ${[...groups].sort().slice(0, 20).join(", ")}`);
  }
  return predicateSplit(dataset, (e) => testGroups.includes(groupOf(e)), `holding out ${testGroups.join(", ")}`);
}

export interface StratifiedSplitOptions extends TrainTestSizes {
  /** Seed of the split; the same seed gives the same split. Default 0. */
  seed?: number;
  /** Keep each label's share in both parts. Default true (single-label datasets only). */
  stratify?: boolean;
  /** Shuffle before splitting. Default true; stratification needs it. */
  shuffle?: boolean;
}

/** A random train/test split, stratified by label by default (HF datasets' train_test_split). */
export function stratifiedSplit(dataset: AudioDataset, options: StratifiedSplitOptions = {}): DatasetSplit {
  for (const key of Object.keys(options)) {
    if (!["testSize", "trainSize", "seed", "stratify", "shuffle"].includes(key)) {
      throw new TrainingDataError(`stratifiedSplit: unknown option ${JSON.stringify(key)}; valid options are testSize, trainSize, seed, stratify, shuffle`);
    }
  }
  const stratify = options.stratify ?? true;
  const shuffle = options.shuffle ?? true;
  if (stratify && !shuffle) throw new TrainingDataError("a stratified split needs shuffle: true; pass stratify: false for an unshuffled split");
  if (stratify && dataset.multiLabel) throw new TrainingDataError(`${dataset.source} is multi-label, which cannot be stratified by label; pass stratify: false`);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new TrainingDataError(`seed must be a non-negative whole number, got ${describeValue(seed)}`);
  const { nTrain, nTest } = splitSizes(dataset.size, options);
  const rng = new Rng(seed);
  const classes = Array.from({ length: dataset.size }, (_, i) => dataset.labelIds(i)[0]!);
  const { train, test } = stratify ? stratifiedIndices(classes, nTrain, nTest, rng) : shuffledIndices(dataset.size, nTrain, nTest, shuffle, rng);
  return fromIndices(dataset, train, test, "the split");
}
