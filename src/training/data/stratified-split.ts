/**
 * train_test_split with the semantics of Hugging Face datasets' Dataset.train_test_split (which
 * follows scikit-learn's ShuffleSplit / StratifiedShuffleSplit):
 *
 *  - sizes: a fractional test_size gives ceil(test_size·n) test examples, a fractional
 *    train_size floor(train_size·n); an integer is a count; a missing size is the rest;
 *  - without stratification: one permutation, test = its first n_test, train = the next n_train
 *    (shuffle false: train = the first n_train examples in order, test = the next n_test);
 *  - stratified: per-class counts are the "approximate mode" of the multivariate hypergeometric
 *    (floor of the proportional share, the remaining slots going to the largest remainders,
 *    ties broken at random), each class is permuted and cut, then train and test are permuted.
 *    Every class needs ≥ 2 examples, and both splits ≥ one example per class.
 *
 * Deterministic for a seed. The random stream is our Rng, not numpy's, so the same seed picks
 * different (equally valid) examples than Python does.
 */
import { describeValue } from "../../errors.js";
import { TrainingDataError } from "../errors.js";
import { Rng } from "../random.js";

export interface TrainTestSizes {
  /** Fraction in (0, 1) or a count. Default 0.25 when trainSize is also missing. */
  testSize?: number;
  /** Fraction in (0, 1) or a count. Default: the rest. */
  trainSize?: number;
}

/** n_train and n_test for n examples (sklearn's _validate_shuffle_split). */
export function splitSizes(n: number, sizes: TrainTestSizes): { nTrain: number; nTest: number } {
  let { testSize, trainSize } = sizes;
  if (testSize === undefined && trainSize === undefined) testSize = 0.25;
  const check = (name: string, v: number | undefined): void => {
    if (v === undefined) return;
    const ok = typeof v === "number" && Number.isFinite(v) && (Number.isInteger(v) ? v > 0 && v < n : v > 0 && v < 1);
    if (!ok) throw new TrainingDataError(`${name}=${describeValue(v)} must be a fraction in (0, 1) or a whole number of examples in 1 … ${n - 1} (the dataset has ${n})`);
  };
  check("testSize", testSize);
  check("trainSize", trainSize);
  const isFraction = (v: number | undefined): boolean => v !== undefined && !Number.isInteger(v);
  if (isFraction(testSize) && isFraction(trainSize) && testSize! + trainSize! > 1) {
    throw new TrainingDataError(`testSize + trainSize = ${testSize! + trainSize!} must not exceed 1; reduce one of them`);
  }
  let nTest = testSize === undefined ? undefined : isFraction(testSize) ? Math.ceil(testSize * n) : testSize;
  let nTrain = trainSize === undefined ? undefined : isFraction(trainSize) ? Math.floor(trainSize * n) : trainSize;
  if (nTrain === undefined) nTrain = n - nTest!;
  if (nTest === undefined) nTest = n - nTrain;
  if (nTrain + nTest > n) throw new TrainingDataError(`the split needs ${nTrain} train + ${nTest} test examples but the dataset has ${n}; reduce testSize or trainSize`);
  if (nTrain === 0) throw new TrainingDataError(`with ${n} examples, testSize=${testSize} and trainSize=${trainSize} the train split would be empty; adjust the sizes`);
  return { nTrain, nTest };
}

/** The approximate mode of the multivariate hypergeometric: per-class draws summing to nDraws. */
export function approximateMode(classCounts: readonly number[], nDraws: number, rng: Rng): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const continuous = classCounts.map((c) => (nDraws * c) / total);
  const floored = continuous.map(Math.floor);
  let needToAdd = nDraws - floored.reduce((a, b) => a + b, 0);
  if (needToAdd > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]!);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const tied = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const addNow = Math.min(tied.length, needToAdd);
      for (const i of rng.shuffle(tied).slice(0, addNow)) floored[i]!++;
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return floored;
}

export interface SplitIndices {
  train: number[];
  test: number[];
}

/**
 * Indices of a stratified shuffle split of examples with class ids `classes` (any integers).
 */
export function stratifiedIndices(classes: readonly number[], nTrain: number, nTest: number, rng: Rng): SplitIndices {
  const distinct = [...new Set(classes)].sort((a, b) => a - b);
  const members = distinct.map((c) => classes.flatMap((k, i) => (k === c ? [i] : [])));
  const counts = members.map((m) => m.length);
  const smallest = Math.min(...counts);
  if (smallest < 2) {
    const lonely = distinct.filter((_, i) => counts[i]! < 2);
    throw new TrainingDataError(
      `a stratified split needs at least 2 examples of every class; class id${lonely.length > 1 ? "s" : ""} ${lonely.slice(0, 10).join(", ")} ha${lonely.length > 1 ? "ve" : "s"} only one. ` +
        `Add examples, drop those classes, or split without stratification`,
    );
  }
  if (nTrain < distinct.length) throw new TrainingDataError(`the train split (${nTrain} examples) must hold at least one example of each of the ${distinct.length} classes; increase trainSize`);
  if (nTest < distinct.length) throw new TrainingDataError(`the test split (${nTest} examples) must hold at least one example of each of the ${distinct.length} classes; increase testSize`);
  const trainPerClass = approximateMode(counts, nTrain, rng);
  const remaining = counts.map((c, i) => c - trainPerClass[i]!);
  const testPerClass = approximateMode(remaining, nTest, rng);
  const train: number[] = [];
  const test: number[] = [];
  members.forEach((indices, c) => {
    const permuted = rng.shuffle([...indices]);
    train.push(...permuted.slice(0, trainPerClass[c]!));
    test.push(...permuted.slice(trainPerClass[c]!, trainPerClass[c]! + testPerClass[c]!));
  });
  return { train: rng.shuffle(train), test: rng.shuffle(test) };
}

/** Indices of a plain (optionally shuffled) split. */
export function shuffledIndices(n: number, nTrain: number, nTest: number, shuffle: boolean, rng: Rng): SplitIndices {
  if (!shuffle) return { train: Array.from({ length: nTrain }, (_, i) => i), test: Array.from({ length: nTest }, (_, i) => nTrain + i) };
  const permutation = rng.permutation(n);
  return { test: permutation.slice(0, nTest), train: permutation.slice(nTest, nTest + nTrain) };
}
