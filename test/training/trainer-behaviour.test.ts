// The Trainer's bookkeeping as Hugging Face's Trainer does it: the JSONL log and trainer_state,
// best checkpoint and load-best-at-end, early stopping, gradient accumulation, and options or
// checkpoints that do not fit the run being refused with typed errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GradientAccumulator, ResumeError, Trainer, TrainerOptionsError, TrainingDataError, TrainingSession, trainablePredicate } from "../../src/training/index.js";
import { modelDir } from "../helpers/fixtures.js";
import { syntheticSplits, writeSyntheticDataset } from "./support/synthetic-dataset.js";
import { AudioDataset, BatchLoader } from "../../src/training/index.js";

const AST = modelDir("ast");

test("log, state and best model: training_log.jsonl as it happens, trainer_state.json like HF's, the best checkpoint loaded at the end", async () => {
  const data = await syntheticSplits({ trainPerClass: 4, evalPerClass: 2, seconds: 1.2 });
  // Perverse on purpose: the best checkpoint is the one with the highest loss (the first), so it is not the last.
  const trainer = await Trainer.create({ model: AST, trainData: data.train, evalData: data.eval, outputDir: data.output, epochs: 3, batchSize: 4, learningRate: 1e-3, loggingSteps: 2, metricForBestModel: "loss", greaterIsBetter: true, threads: 2, progress: false });
  try {
    const result = await trainer.train();
    const lines = readFileSync(join(data.output, "training_log.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const kinds = lines.map((l) => l.type);
    // 3 steps an epoch, logs every 2: train 2, eval 3, train 4, train 6, eval 6, train 8, eval 9
    assert.deepEqual(kinds, ["train", "eval", "train", "train", "eval", "train", "eval", "end"]);
    for (const l of lines.filter((l) => l.type === "train")) {
      for (const key of ["loss", "grad_norm", "learning_rate", "samples_per_second", "epoch", "step", "time"]) assert.equal(typeof l[key], key === "time" ? "string" : "number", key);
      assert.equal(l.step % 2, 0);
    }
    for (const key of ["eval_loss", "eval_accuracy", "eval_precision", "eval_recall", "eval_f1", "eval_f1_macro", "eval_f1_weighted", "eval_runtime"]) assert.equal(typeof lines[1][key], "number", key);
    assert.equal(lines.at(-1).step, 9);
    const state = JSON.parse(readFileSync(join(data.output, "trainer_state.json"), "utf8"));
    assert.equal(state.global_step, 9);
    assert.equal(state.best_global_step, 3);
    assert.equal(state.best_model_checkpoint, join(data.output, "checkpoint-3"));
    assert.deepEqual(state.log_history, lines.map(({ type: _t, time: _time, ...rest }) => rest));
    assert.equal(result.bestCheckpoint, join(data.output, "checkpoint-3"));
    // load_best_model_at_end: the saved model is checkpoint-3's
    assert.ok(readFileSync(join(data.output, "model.safetensors")).equals(readFileSync(join(data.output, "checkpoint-3", "model.safetensors"))));
    assert.ok(!readFileSync(join(data.output, "model.safetensors")).equals(readFileSync(join(data.output, "checkpoint-9", "model.safetensors"))));
    const results = JSON.parse(readFileSync(join(data.output, "train_results.json"), "utf8"));
    assert.equal(results.train_samples, 12);
    assert.equal(results.epoch, 3);
  } finally {
    await trainer.dispose();
    data.remove();
  }
});

test("early stopping: with nothing to learn (lr 0) training stops after `patience` evaluations without improvement", async () => {
  const data = await syntheticSplits({ trainPerClass: 2, evalPerClass: 1, seconds: 1.2 });
  const trainer = await Trainer.create({ model: AST, trainData: data.train, evalData: data.eval, outputDir: data.output, epochs: 10, batchSize: 6, learningRate: 0, earlyStoppingPatience: 2, threads: 2, progress: false });
  try {
    const result = await trainer.train();
    assert.equal(result.stoppedEarly, true);
    assert.equal(result.globalStep, 3, "best at the first evaluation, then two without improvement");
    const state = JSON.parse(readFileSync(join(data.output, "trainer_state.json"), "utf8"));
    assert.deepEqual(state.stateful_callbacks.EarlyStoppingCallback, { args: { early_stopping_patience: 2, early_stopping_threshold: 0 }, attributes: { early_stopping_patience_counter: 2 } });
  } finally {
    await trainer.dispose();
    data.remove();
  }
});

test("gradient accumulation: two micro-batches of 4 give the gradient of one batch of 8 (mean loss), through the real session", async () => {
  const dir = writeSyntheticDataset({ perClass: 4, seconds: 1.2, seed: 3 });
  const data = await syntheticSplits({ trainPerClass: 1, evalPerClass: 1, seconds: 1.2 });
  const trainer = await Trainer.create({ model: AST, trainData: await AudioDataset.fromFolder(dir.root), outputDir: data.output, threads: 1, progress: false });
  try {
    const session = trainer.session;
    const whole = await new BatchLoader(trainer.trainData, { featureExtractor: trainer.model.featureExtractor, batchSize: 8 }).next();
    const loader = new BatchLoader(trainer.trainData, { featureExtractor: trainer.model.featureExtractor, batchSize: 4 });
    const accumulator = new GradientAccumulator(session.parameters, { steps: 2 });
    for (let k = 0; k < 2; k++) {
      const half = await loader.next();
      accumulator.add((await session.step(half!.inputs, half!.labels, k)).gradients);
    }
    const big = (await session.step(whole!.inputs, whole!.labels, 0)).gradients;
    const summed = accumulator.gradients();
    let scale = 0;
    for (const g of big.values()) for (const v of g) scale = Math.max(scale, Math.abs(v));
    for (const [name, g] of big) {
      const s = summed.get(name)!;
      for (let i = 0; i < g.length; i++) assert.ok(Math.abs(g[i]! - s[i]!) <= 1e-5 * scale + 1e-4 * Math.abs(g[i]!), `${name}[${i}]: ${g[i]} vs ${s[i]}`);
    }
  } finally {
    await trainer.dispose();
    dir.remove();
    data.remove();
  }
});

test("options and checkpoints that do not fit are refused with typed errors naming what is wrong", async () => {
  const data = await syntheticSplits({ trainPerClass: 2, evalPerClass: 1, seconds: 1.2 });
  const base = { model: AST, trainData: data.train, outputDir: data.output, threads: 1, progress: false } as const;
  const optionError = (option: string, pattern: RegExp) => (e: unknown) => e instanceof TrainerOptionsError && e.option === option && pattern.test(e.message);
  try {
    await assert.rejects(Trainer.create({ ...base, metricForBestModel: "auc" }), optionError("metricForBestModel", /one of loss, accuracy, precision/));
    await assert.rejects(Trainer.create({ ...base, evalData: data.eval, evalSteps: 2, saveSteps: 3 }), optionError("saveStrategy", /loadBestModelAtEnd needs checkpoints where evaluations are/));
    await assert.rejects(Trainer.create({ ...base, evalData: data.eval, evalSplit: 0.2 }), optionError("evalSplit", /not both/));
    await assert.rejects(Trainer.create({ ...base, earlyStoppingPatience: 2 }), optionError("earlyStoppingPatience", /needs evaluation data/));
    await assert.rejects(Trainer.create({ ...base, model: join(data.output, "missing.json") }), optionError("model", /does not exist/));
    const stranger = writeSyntheticDataset({ perClass: 1, seconds: 0.5, classes: ["tone"] });
    stranger.wav("bird/b.wav", new Float32Array(8000).fill(0.1), 16000);
    try {
      await assert.rejects(Trainer.create({ ...base, evalData: await AudioDataset.fromFolder(stranger.root) }), (e: unknown) => e instanceof TrainingDataError && /unknown label "bird"/.test(e.message) && /b\.wav/.test(e.message));
    } finally {
      stranger.remove();
    }
    const none = await Trainer.create({ ...base, resumeFrom: "latest" });
    await assert.rejects(none.train(), (e: unknown) => e instanceof ResumeError && /no complete checkpoint-<step> folder/.test(e.message));
    await none.dispose();
    const first = await Trainer.create({ ...base, epochs: 1, batchSize: 3 });
    await first.train();
    await first.dispose();
    const again = await Trainer.create({ ...base, epochs: 1, batchSize: 3 });
    await assert.rejects(again.train(), optionError("outputDir", /already holds checkpoints of a run \(checkpoint-2\); continue it with resumeFrom "latest"/));
    await again.dispose();
    const changed = await Trainer.create({ ...base, epochs: 1, batchSize: 3, learningRate: 1e-3, resumeFrom: "latest" });
    await assert.rejects(changed.train(), (e: unknown) => e instanceof ResumeError && /learning_rate: 0\.00005 in the checkpoint, 0\.001 now/.test(e.message));
    await changed.dispose();
    // trainablePredicate on its own: the same checks the Trainer makes
    assert.throws(() => trainablePredicate(first.model.architecture, first.model.modelConfig, first.model.specs, "feature-encoder"), TrainerOptionsError);
    assert.ok(TrainingSession);
  } finally {
    data.remove();
  }
});

test("multi-label data (a manifest with ';'-separated labels) trains with BCE, reports micro/macro scores and saves problem_type", async () => {
  const dir = writeSyntheticDataset({ perClass: 3, seconds: 1.2, seed: 4 });
  const rows = ["path,label"];
  for (const kind of ["chirp", "noise", "tone"]) for (let k = 0; k < 3; k++) rows.push(`${kind}/${kind}_${k}.wav,${kind}${k === 0 ? ";first" : ""}`);
  const manifest = dir.text("labels.csv", rows.join("\n"));
  const data = await syntheticSplits({ trainPerClass: 1, evalPerClass: 1, seconds: 0.5 });
  try {
    const dataset = await AudioDataset.fromCsv(manifest, { labelSeparator: ";" });
    const trainer = await Trainer.create({ model: AST, trainData: dataset, evalData: dataset, outputDir: data.output, epochs: 2, batchSize: 3, learningRate: 1e-3, metricForBestModel: "f1_macro", threads: 2, progress: false });
    try {
      assert.equal(trainer.session.graph.training.loss, "bce_with_logits");
      await trainer.train();
      const result = await trainer.evaluate();
      for (const key of ["loss", "accuracy", "f1", "f1_micro", "f1_macro", "precision_weighted"]) assert.equal(typeof result.metrics[key], "number", key);
      assert.equal(result.confusionMatrix, undefined);
      const config = JSON.parse(readFileSync(join(data.output, "config.json"), "utf8"));
      assert.equal(config.problem_type, "multi_label_classification");
      assert.deepEqual(Object.values(config.id2label), ["chirp", "first", "noise", "tone"]);
    } finally {
      await trainer.dispose();
    }
  } finally {
    dir.remove();
    data.remove();
  }
});
