import { test } from "node:test";
import assert from "node:assert/strict";
import {
  accuracyScore,
  argmaxRows,
  classificationReport,
  confusionMatrix,
  f1Score,
  fbetaScore,
  formatFixed,
  formatMetricsTable,
  nanAverage,
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
} from "../../src/training/metrics/index.js";
import { MetricError } from "../../src/training/errors.js";

function close(actual: number, expected: number, eps = 1e-12): void {
  if (Number.isNaN(expected)) assert.ok(Number.isNaN(actual), `expected NaN, got ${actual}`);
  else assert.ok(Math.abs(actual - expected) <= eps, `expected ${expected}, got ${actual}`);
}

function closeAll(actual: readonly number[], expected: readonly number[], eps = 1e-12): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => close(a, expected[i]!, eps));
}

// scikit-learn's precision_recall_fscore_support docstring, with cat = 0, dog = 1, pig = 2:
// y_true = ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'], y_pred = ['cat', 'pig', 'dog', 'cat', 'cat', 'dog']
const DOC_TRUE = [0, 1, 2, 0, 1, 2];
const DOC_PRED = [0, 2, 1, 0, 0, 1];

test("precision_recall_fscore_support docstring: macro (0.22…, 0.33…, 0.26…), micro 0.33…, weighted like macro", () => {
  const macro = precisionRecallFscoreSupport(DOC_TRUE, DOC_PRED, { average: "macro" });
  close(macro.precision, 2 / 9);
  close(macro.recall, 1 / 3);
  close(macro.fScore, 0.8 / 3);
  const micro = precisionRecallFscoreSupport(DOC_TRUE, DOC_PRED, { average: "micro" });
  close(micro.precision, 1 / 3);
  close(micro.recall, 1 / 3);
  close(micro.fScore, 1 / 3);
  const weighted = precisionRecallFscoreSupport(DOC_TRUE, DOC_PRED, { average: "weighted" });
  close(weighted.precision, 2 / 9);
  close(weighted.recall, 1 / 3);
  close(weighted.fScore, 0.8 / 3);
});

test("precision_recall_fscore_support docstring: per class for labels [pig, dog, cat]", () => {
  const r = precisionRecallFscoreSupport(DOC_TRUE, DOC_PRED, { average: "none", labels: [2, 1, 0] });
  assert.deepEqual(r.labels, [2, 1, 0]);
  closeAll(r.precision, [0, 0, 2 / 3]);
  closeAll(r.recall, [0, 0, 1]);
  closeAll(r.fScore, [0, 0, 0.8]);
  assert.deepEqual(r.support, [2, 2, 2]);
});

test("recall_score docstring, including zero_division 0, 1 and NaN", () => {
  const yTrue = [0, 1, 2, 0, 1, 2];
  const yPred = [0, 2, 1, 0, 0, 1];
  close(recallScore(yTrue, yPred, { average: "macro" }), 1 / 3);
  close(recallScore(yTrue, yPred, { average: "micro" }), 1 / 3);
  close(recallScore(yTrue, yPred, { average: "weighted" }), 1 / 3);
  closeAll(precisionRecallFscoreSupport(yTrue, yPred, { average: "none" }).recall, [1, 0, 0]);
  const allZero = [0, 0, 0, 0, 0, 0];
  closeAll(precisionRecallFscoreSupport(allZero, yPred, { average: "none" }).recall, [0.5, 0, 0]);
  closeAll(precisionRecallFscoreSupport(allZero, yPred, { average: "none", zeroDivision: 1 }).recall, [0.5, 1, 1]);
  closeAll(precisionRecallFscoreSupport(allZero, yPred, { average: "none", zeroDivision: NaN }).recall, [0.5, NaN, NaN]);
  // NaN entries are left out of the averages (sklearn's _nanaverage)
  close(recallScore(allZero, yPred, { average: "macro", zeroDivision: NaN }), 0.5);
});

test("fbeta_score docstring (beta 0.5): macro 0.23…, micro 0.33…, per class [0.71…, 0, 0]", () => {
  const yTrue = [0, 1, 2, 0, 1, 2];
  const yPred = [0, 2, 1, 0, 0, 1];
  close(fbetaScore(yTrue, yPred, 0.5, { average: "macro" }), 2.5 / 3.5 / 3);
  close(fbetaScore(yTrue, yPred, 0.5, { average: "micro" }), 1 / 3);
  close(fbetaScore(yTrue, yPred, 0.5, { average: "weighted" }), 2.5 / 3.5 / 3);
  closeAll(precisionRecallFscoreSupport(yTrue, yPred, { average: "none", beta: 0.5 }).fScore, [2.5 / 3.5, 0, 0]);
  // beta → ∞ is recall, beta 0 is precision
  closeAll(precisionRecallFscoreSupport(yTrue, yPred, { average: "none", beta: Infinity }).fScore, [1, 0, 0]);
  closeAll(precisionRecallFscoreSupport(yTrue, yPred, { average: "none", beta: 0 }).fScore, [2 / 3, 0, 0]);
});

test("hand-computed 4-class case: per class, macro, weighted, micro", () => {
  // class 0: tp 3 fp 1 fn 1; class 1: tp 1 fp 1 fn 1; class 2: tp 0 fp 1 fn 1; class 3: tp 2 fp 0 fn 0
  const yTrue = [0, 0, 0, 0, 1, 1, 2, 3, 3];
  const yPred = [0, 0, 0, 1, 1, 2, 0, 3, 3];
  const r = precisionRecallFscoreSupport(yTrue, yPred, { average: "none" });
  closeAll(r.precision, [3 / 4, 1 / 2, 0, 1]);
  closeAll(r.recall, [3 / 4, 1 / 2, 0, 1]);
  closeAll(r.fScore, [3 / 4, 1 / 2, 0, 1]);
  assert.deepEqual(r.support, [4, 2, 1, 2]);
  close(precisionScore(yTrue, yPred), (0.75 + 0.5 + 0 + 1) / 4);
  close(f1Score(yTrue, yPred, { average: "weighted" }), (0.75 * 4 + 0.5 * 2 + 0 + 1 * 2) / 9);
  close(f1Score(yTrue, yPred, { average: "micro" }), accuracyScore(yTrue, yPred));
  close(accuracyScore(yTrue, yPred), 6 / 9);
});

test("a label absent from y_true and y_pred scores zeroDivision in P, R and F, and counts in macro, not weighted", () => {
  const yTrue = [0, 1, 1];
  const yPred = [0, 1, 0];
  // class 0: P 1/2 R 1 F 2/3; class 1: P 1 R 1/2 F 2/3; class 2 absent
  for (const zd of [0, 1]) {
    const r = precisionRecallFscoreSupport(yTrue, yPred, { average: "none", numClasses: 3, zeroDivision: zd });
    closeAll(r.precision, [0.5, 1, zd]);
    closeAll(r.recall, [1, 0.5, zd]);
    closeAll(r.fScore, [2 / 3, 2 / 3, zd]);
    assert.deepEqual(r.support, [1, 2, 0]);
    close(precisionRecallFscoreSupport(yTrue, yPred, { average: "macro", numClasses: 3, zeroDivision: zd }).precision, (1.5 + zd) / 3);
    close(precisionRecallFscoreSupport(yTrue, yPred, { average: "weighted", numClasses: 3, zeroDivision: zd }).precision, (0.5 * 1 + 1 * 2) / 3);
  }
  const nan = precisionRecallFscoreSupport(yTrue, yPred, { average: "macro", numClasses: 3, zeroDivision: NaN });
  close(nan.precision, 0.75);
  close(nan.fScore, 2 / 3);
});

test("F is (1+β²)tp / ((1+β²)tp + β²fn + fp): zeroDivision only when tp = fp = fn = 0", () => {
  // class 1 is predicted once, never true: P = 0/1 = 0, R = 0/0 → zeroDivision, F = 0/(0+0+1) = 0
  const r = precisionRecallFscoreSupport([0, 0], [0, 1], { average: "none", zeroDivision: 1 });
  closeAll(r.precision, [1, 0]);
  closeAll(r.recall, [0.5, 1]);
  closeAll(r.fScore, [2 / 3, 0]);
  // weighted average with every weight 0 falls back to the plain mean (sklearn's _nanaverage)
  const w = precisionRecallFscoreSupport([0, 0], [0, 1], { average: "weighted", labels: [1], zeroDivision: 1 });
  close(w.precision, 0);
  close(w.recall, 1);
  close(nanAverage([1, 3], [0, 0]), 2);
  close(nanAverage([NaN, NaN]), NaN);
});

test("binary average reports posLabel and refuses multiclass data", () => {
  const r = precisionRecallFscoreSupport([0, 1, 1, 0], [0, 1, 0, 0], { average: "binary" });
  close(r.precision, 1);
  close(r.recall, 0.5);
  close(r.fScore, 2 / 3);
  const neg = precisionRecallFscoreSupport([0, 1, 1, 0], [0, 1, 0, 0], { average: "binary", posLabel: 0 });
  close(neg.precision, 2 / 3);
  close(neg.recall, 1);
  assert.throws(() => precisionRecallFscoreSupport([0, 1, 2], [0, 1, 2], { average: "binary" }), /at most two classes/);
  assert.throws(() => precisionRecallFscoreSupport([0, 1], [0, 1], { average: "binary", posLabel: 5 }), /posLabel 5/);
});

test("accuracy and confusion matrix match scikit-learn's docstring examples", () => {
  close(accuracyScore([0, 1, 2, 3], [0, 2, 1, 3]), 0.5);
  assert.deepEqual(confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]), [
    [2, 0, 0],
    [0, 0, 1],
    [1, 0, 2],
  ]);
  const [[tn, fp], [fn, tp]] = confusionMatrix([0, 1, 0, 1], [1, 1, 1, 0]) as [[number, number], [number, number]];
  assert.deepEqual([tn, fp, fn, tp], [0, 2, 1, 1]);
  // explicit labels reorder and drop; numClasses adds empty rows
  assert.deepEqual(confusionMatrix([0, 1, 2], [0, 2, 2], { labels: [2, 0] }), [
    [1, 0],
    [0, 1],
  ]);
  assert.deepEqual(confusionMatrix([0, 1], [0, 0], { numClasses: 3 }), [
    [1, 0, 0],
    [1, 0, 0],
    [0, 0, 0],
  ]);
  assert.deepEqual(confusionMatrix([0, 0, 1], [0, 1, 1], { numClasses: 3, normalize: "true" }), [
    [0.5, 0.5, 0],
    [0, 1, 0],
    [0, 0, 0],
  ]);
  assert.deepEqual(confusionMatrix([0, 0, 1], [0, 1, 1], { normalize: "pred" }), [
    [1, 0.5],
    [0, 0.5],
  ]);
  assert.deepEqual(confusionMatrix([0, 0, 1, 1], [0, 1, 1, 1], { normalize: "all" }), [
    [0.25, 0.25],
    [0, 0.5],
  ]);
});

test("classification report text equals scikit-learn's classification_report docstring output", () => {
  const report = classificationReport([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], { labelNames: ["class 0", "class 1", "class 2"] });
  const expected = [
    "              precision    recall  f1-score   support",
    "",
    "     class 0       0.50      1.00      0.67         1",
    "     class 1       0.00      0.00      0.00         1",
    "     class 2       1.00      0.67      0.80         3",
    "",
    "    accuracy                           0.60         5",
    "   macro avg       0.50      0.56      0.49         5",
    "weighted avg       0.70      0.60      0.61         5",
    "",
  ].join("\n");
  assert.equal(formatMetricsTable(report), expected);
  close(report.accuracy!, 0.6);
  assert.equal(report.support, 5);
});

test("classification report with labels not covering the data prints a micro avg row (docstring example 2)", () => {
  const report = classificationReport([1, 1, 1], [1, 1, 0], { labels: [1, 2, 3] });
  const expected = [
    "              precision    recall  f1-score   support",
    "",
    "           1       1.00      0.67      0.80         3",
    "           2       0.00      0.00      0.00         0",
    "           3       0.00      0.00      0.00         0",
    "",
    "   micro avg       1.00      0.67      0.80         3",
    "   macro avg       0.33      0.22      0.27         3",
    "weighted avg       1.00      0.67      0.80         3",
    "",
  ].join("\n");
  assert.equal(formatMetricsTable(report), expected);
  assert.equal(report.accuracy, undefined);
});

test("report table widens for long class names and honours digits; numbers round like Python", () => {
  const report = classificationReport([0, 1, 1, 1, 1, 1, 1, 1, 1], [0, 1, 1, 1, 1, 1, 1, 1, 0], { labelNames: ["a-rather-long-class-name", "b"] });
  const lines = formatMetricsTable(report, { digits: 4 }).split("\n");
  assert.ok(lines[2]!.startsWith("a-rather-long-class-name"));
  assert.match(lines[2]!, / 0\.5000 /);
  assert.equal(formatFixed(0.125, 2), "0.12");
  assert.equal(formatFixed(0.375, 2), "0.38");
  assert.equal(formatFixed(2.5, 0), "2");
  assert.equal(formatFixed(2 / 3, 2), "0.67");
  assert.equal(formatFixed(NaN, 2), "nan");
  assert.throws(() => classificationReport([0, 5], [0, 5], { labelNames: ["a"] }), /no name for class id 5/);
});

test("argmaxRows takes the first maximum of each row", () => {
  assert.deepEqual(Array.from(argmaxRows(new Float32Array([0.1, 0.7, 0.2, 3, 3, -1]), 3)), [1, 0]);
  assert.throws(() => argmaxRows([1, 2, 3], 2), /rows of 2/);
});

test("bad metric inputs raise MetricError saying what works", () => {
  assert.throws(() => accuracyScore([0, 1], [0]), (e: unknown) => e instanceof MetricError && /one prediction per example/.test(e.message));
  assert.throws(() => accuracyScore([], []), MetricError);
  assert.throws(() => accuracyScore([0, -1], [0, 1]), /whole numbers ≥ 0/);
  assert.throws(() => accuracyScore([0, 0.5], [0, 1]), /argmax/);
  assert.throws(() => precisionRecallFscoreSupport([0], [0], { average: "samples" as "macro" }), /average must be one of/);
  assert.throws(() => precisionRecallFscoreSupport([0], [0], { average: "macro", zeroDivision: 2 }), /0, 1 or NaN/);
  assert.throws(() => precisionRecallFscoreSupport([0, 3], [0, 1], { average: "macro", numClasses: 3 }), /numClasses is 3/);
  assert.throws(() => precisionRecallFscoreSupport([0], [0], { average: "macro", numClasses: 2, labels: [0] }), /not both/);
  assert.throws(() => confusionMatrix([0], [0], { normalize: "rows" as "true" }), /normalize must be/);
});
