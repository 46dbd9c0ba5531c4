// Acceptance: fine-tuning the public fixture models on a small synthetic set (tones, noise,
// chirps) with the Trainer — the training loss falls and held-out accuracy rises. Everything
// is seeded and runs on 2 threads, so the numbers are the same on every run of a machine; the
// margins leave room for other machines' float rounding.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Trainer, type TrainerLogEntry } from "../../src/training/index.js";
import { modelDir } from "../helpers/fixtures.js";
import { syntheticSplits } from "./support/synthetic-dataset.js";

function trainLosses(log: readonly TrainerLogEntry[]): number[] {
  return log.filter((e) => e.type === "train").map((e) => e.loss as number);
}

test("AST fixture: a new 3-label head trained 4 epochs — loss falls, held-out accuracy goes from chance to ≥ 0.75", async () => {
  const data = await syntheticSplits({ trainPerClass: 8, evalPerClass: 4, seconds: 1.2 });
  const trainer = await Trainer.create({
    model: modelDir("ast"), trainData: data.train, evalData: data.eval, outputDir: data.output,
    epochs: 4, batchSize: 8, learningRate: 1e-3, loggingSteps: 1, threads: 2, progress: false,
  });
  try {
    assert.deepEqual(trainer.model.origin.initialized, ["classifier.dense.weight", "classifier.dense.bias"]);
    const before = await trainer.evaluate();
    const result = await trainer.train();
    const after = await trainer.evaluate();
    const losses = trainLosses(result.log);
    assert.equal(losses.length, 12);
    const last = (losses[9]! + losses[10]! + losses[11]!) / 3;
    assert.ok(last < losses[0]! - 0.3, `train loss ${losses[0]} → ${last}`);
    assert.ok(after.metrics.loss! < before.metrics.loss! - 0.2, `eval loss ${before.metrics.loss} → ${after.metrics.loss}`);
    assert.ok(after.metrics.accuracy! >= 0.75 && after.metrics.accuracy! >= before.metrics.accuracy! + 0.3, `accuracy ${before.metrics.accuracy} → ${after.metrics.accuracy}`);
  } finally {
    await trainer.dispose();
    data.remove();
  }
});

test("wav2vec2 fixture: padded batches of 0.7–1 s clips, 10 epochs — loss falls, held-out accuracy goes from chance to ≥ 0.75", async () => {
  const data = await syntheticSplits({ trainPerClass: 8, evalPerClass: 4, seconds: 1, lengthJitter: 0.3 });
  const trainer = await Trainer.create({
    model: modelDir("wav2vec2"), trainData: data.train, evalData: data.eval, outputDir: data.output,
    epochs: 10, batchSize: 8, gradientAccumulationSteps: 1, learningRate: 3e-3, freeze: "none", dropout: "off", loggingSteps: 3, threads: 2, progress: false,
  });
  try {
    const before = await trainer.evaluate();
    const result = await trainer.train();
    const after = await trainer.evaluate();
    const losses = trainLosses(result.log);
    assert.ok(losses.at(-1)! < losses[0]! - 0.15, `train loss ${losses[0]} → ${losses.at(-1)}`);
    assert.ok(after.metrics.loss! < before.metrics.loss! - 0.15, `eval loss ${before.metrics.loss} → ${after.metrics.loss}`);
    assert.ok(after.metrics.accuracy! >= 0.75 && after.metrics.accuracy! >= before.metrics.accuracy! + 0.3, `accuracy ${before.metrics.accuracy} → ${after.metrics.accuracy}`);
  } finally {
    await trainer.dispose();
    data.remove();
  }
});
