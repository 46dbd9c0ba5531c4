import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ModelConfig } from "../../src/models/model-config.js";
import type { Tensor } from "../../src/tensor.js";
import { readSafetensorsSync } from "../../src/weights/index.js";
import { Rng } from "../../src/training/random.js";
import { AdamW, LrScheduler } from "../../src/training/optim/index.js";
import {
  CheckpointContentError,
  CorruptCheckpointError,
  createTrainerState,
  IncompleteCheckpointError,
  JsonDocument,
  latestCheckpoint,
  listCheckpoints,
  loadTrainingCheckpoint,
  recoverInterruptedFolders,
  saveTrainingCheckpoint,
  type TrainingCheckpointContents,
  trainerStateJson,
} from "../../src/training/checkpoint/index.js";
import { fixtureWeights, HF_MODELS_DIR, withTempDir } from "./checkpoint-fixtures.js";

const DEAD_PID = 99_999_999; // above any pid_max: kill(pid, 0) reports it gone

/** Bit-level equality of float32 arrays (deepEqual compares values: it would take -0 for 0). */
function assertSameBits(actual: Float32Array | undefined, expected: Float32Array, what: string): void {
  assert.ok(actual instanceof Float32Array, what);
  assert.ok(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength)), `${what} differs`);
}

/** A small training run on the AST fixture: the head and the last layer norm are trainable. */
async function trainingRun(steps: number) {
  const weights = new Map([...fixtureWeights("ast")].map(([n, t]) => [n, { ...t, data: Float32Array.from(t.data as Float32Array) } as Tensor<"float32">]));
  const trainable = new Map([...weights].filter(([n]) => n.startsWith("classifier.") || n.startsWith("audio_spectrogram_transformer.layernorm.")).map(([n, t]) => [n, t.data]));
  const optimizer = new AdamW(trainable, { lr: 1e-3, weightDecay: 0.01 });
  const scheduler = new LrScheduler(optimizer, { type: "linear", numWarmupSteps: 2, numTrainingSteps: 10 });
  const rng = new Rng(42);
  const log: Record<string, number>[] = [];
  const step = () => {
    const grads = new Map([...trainable].map(([n, p]) => [n, Float32Array.from(p, () => rng.normal(0, 0.1))]));
    optimizer.step(grads);
    log.push({ loss: 2 + rng.random(), learning_rate: optimizer.lr, grad_norm: 1.5, epoch: (log.length + 1) / 4, step: log.length + 1 });
    scheduler.step();
  };
  for (let i = 0; i < steps; i++) step();
  return { weights, trainable, optimizer, scheduler, rng, log, step };
}

async function contents(run: Awaited<ReturnType<typeof trainingRun>>, extra: Partial<TrainingCheckpointContents> = {}): Promise<TrainingCheckpointContents> {
  const src = join(HF_MODELS_DIR, "ast");
  return {
    model: { config: await JsonDocument.read(join(src, "config.json")), featureExtractorConfig: await JsonDocument.read(join(src, "preprocessor_config.json")), weights: run.weights },
    optimizer: run.optimizer.stateDict(),
    scheduler: run.scheduler.stateDict(),
    rng: { train: run.rng.getState() },
    trainerState: createTrainerState({ global_step: run.log.length, epoch: run.log.length / 4, max_steps: 10, num_train_epochs: 3, log_history: run.log, train_batch_size: 8 }),
    trainingArgs: { learning_rate: 1e-3, seed: 42 },
    extra: { sampler: { epoch: 1, position: 3 } },
    ...extra,
  };
}

test("save → load restores weights, optimizer, scheduler, RNG and trainer state exactly, and training continues bit for bit", async () => {
  await withTempDir(async (out) => {
    const run = await trainingRun(4);
    const saved = await saveTrainingCheckpoint(out, await contents(run));
    assert.equal(saved.path, join(out, "checkpoint-4"));
    assert.deepEqual(readdirSync(out), ["checkpoint-4"]);
    const loaded = await loadTrainingCheckpoint(saved.path);
    assert.equal(loaded.step, 4);
    assert.deepEqual([...loaded.weights.keys()].sort(), [...run.weights.keys()].sort());
    for (const [name, tensor] of run.weights) {
      assert.deepEqual(loaded.weights.get(name)?.dims, tensor.dims, name);
      assertSameBits(loaded.weights.get(name)?.data as Float32Array, tensor.data, name);
    }
    const state = run.optimizer.stateDict();
    assert.deepEqual([...loaded.optimizer.tensors.keys()].sort(), [...state.tensors.keys()].sort());
    for (const [key, buffer] of state.tensors) assertSameBits(loaded.optimizer.tensors.get(key), buffer, key);
    assert.deepEqual(loaded.optimizer.scalars, state.scalars);
    assert.deepEqual(loaded.optimizer.hyperparameters, state.hyperparameters);
    assert.deepEqual(loaded.optimizer.groups, state.groups);
    assert.deepEqual(loaded.scheduler, run.scheduler.stateDict());
    assert.deepEqual(loaded.rng, { train: run.rng.getState() });
    assert.deepEqual(loaded.trainerState, (await contents(run)).trainerState);
    assert.deepEqual(loaded.trainingArgs, { learning_rate: 1e-3, seed: 42 });
    assert.deepEqual(loaded.extra, { sampler: { epoch: 1, position: 3 } });
    // Doubles JSON.stringify would lose (-0, NaN, ±Infinity) and subnormals come back exactly.
    const odd = [-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324, 0.1 + 0.2, 2 ** 53 + 2];
    const again = await loadTrainingCheckpoint((await saveTrainingCheckpoint(join(out, "odd"), { ...(await contents(run)), extra: { odd } })).path);
    assert.ok((again.extra?.odd as number[]).every((x, i) => Object.is(x, odd[i])), String(again.extra?.odd));

    // Resume: fresh objects restored from the checkpoint follow the uninterrupted run exactly.
    const weights = loaded.weights as Map<string, Tensor<"float32">>;
    const trainable = new Map([...run.trainable.keys()].map((n) => [n, weights.get(n)!.data]));
    const optimizer = new AdamW(trainable, { lr: 1e-3, weightDecay: 0.01 });
    const scheduler = new LrScheduler(optimizer, { type: "linear", numWarmupSteps: 2, numTrainingSteps: 10 });
    optimizer.loadStateDict(loaded.optimizer);
    scheduler.loadStateDict(loaded.scheduler!);
    const rng = Rng.fromState(loaded.rng.train as ReturnType<Rng["getState"]>);
    for (let i = 0; i < 3; i++) {
      run.step();
      const grads = new Map([...trainable].map(([n, p]) => [n, Float32Array.from(p, () => rng.normal(0, 0.1))]));
      optimizer.step(grads);
      rng.random();
      scheduler.step();
    }
    for (const [name, p] of run.trainable) assertSameBits(trainable.get(name), p, name);
    assert.equal(optimizer.lr, run.optimizer.lr);
  });
});

test("a checkpoint is itself a model folder; trainer_state.json is written as Python's TrainerState.save_to_json", async () => {
  await withTempDir(async (out) => {
    const run = await trainingRun(2);
    const { path } = await saveTrainingCheckpoint(out, await contents(run));
    assert.deepEqual(readdirSync(path).sort(), [
      "audioclass_checkpoint.json",
      "config.json",
      "extra_state.json",
      "model.safetensors",
      "optimizer.json",
      "optimizer.safetensors",
      "preprocessor_config.json",
      "rng_state.json",
      "scheduler.json",
      "trainer_state.json",
      "training_args.json",
    ]);
    assert.ok(readFileSync(join(path, "config.json")).equals(readFileSync(join(HF_MODELS_DIR, "ast", "config.json"))));
    assert.equal((await ModelConfig.fromFile(join(path, "config.json"))).labels().length, 8);
    assert.deepEqual(readSafetensorsSync(join(path, "optimizer.safetensors")).info("exp_avg.classifier.dense.weight").shape, [8, 64]);
    const state = createTrainerState({
      global_step: 2,
      epoch: 1,
      best_metric: 1,
      best_global_step: 2,
      best_model_checkpoint: "out/checkpoint-2",
      log_history: [{ loss: 2, grad_norm: 0.5, learning_rate: 5e-5, epoch: 1, step: 2 }],
    });
    assert.equal(
      trainerStateJson(state),
      `{
  "best_global_step": 2,
  "best_metric": 1.0,
  "best_model_checkpoint": "out/checkpoint-2",
  "epoch": 1.0,
  "eval_steps": 500,
  "global_step": 2,
  "is_hyper_param_search": false,
  "is_local_process_zero": true,
  "is_world_process_zero": true,
  "log_history": [
    {
      "epoch": 1.0,
      "grad_norm": 0.5,
      "learning_rate": 5e-05,
      "loss": 2.0,
      "step": 2
    }
  ],
  "logging_steps": 500,
  "max_steps": 0,
  "num_input_tokens_seen": 0,
  "num_train_epochs": 0,
  "save_steps": 500,
  "stateful_callbacks": {},
  "total_flos": 0.0,
  "train_batch_size": null,
  "trial_name": null,
  "trial_params": null
}
`,
    );
  });
});

test("an interrupted save is never taken for a checkpoint: .tmp folders are ignored, refused, and cleaned up", async () => {
  await withTempDir(async (out) => {
    const run = await trainingRun(1);
    await saveTrainingCheckpoint(out, await contents(run));
    // A save killed halfway: a temporary folder of a process that no longer exists.
    const killed = join(out, `checkpoint-7.tmp-${DEAD_PID}-abcd1234`);
    mkdirSync(killed);
    writeFileSync(join(killed, "config.json"), "{");
    assert.equal(await latestCheckpoint(out), join(out, "checkpoint-1"));
    assert.deepEqual((await listCheckpoints(out)).map((c) => c.step), [1]);
    await assert.rejects(loadTrainingCheckpoint(killed), (e: unknown) => e instanceof IncompleteCheckpointError && /did not finish/.test(e.message));
    run.step();
    await saveTrainingCheckpoint(out, await contents(run));
    assert.deepEqual(readdirSync(out).sort(), ["checkpoint-1", "checkpoint-2"], "the dead save's folder was removed");
  });
});

test("a truncated or missing file, or a missing manifest, is refused with the file named", async () => {
  await withTempDir(async (out) => {
    const run = await trainingRun(1);
    const first = (await saveTrainingCheckpoint(out, await contents(run))).path;
    run.step();
    const second = (await saveTrainingCheckpoint(out, await contents(run))).path;

    const optimizerFile = join(second, "optimizer.safetensors");
    const original = readFileSync(optimizerFile);
    const size = original.length;
    truncateSync(optimizerFile, size - 100);
    await assert.rejects(loadTrainingCheckpoint(second), (e: unknown) => e instanceof CorruptCheckpointError && e.path === optimizerFile && new RegExp(`${size - 100} bytes but the checkpoint recorded ${size}`).test(e.message));

    writeFileSync(optimizerFile, original);
    assert.equal((await loadTrainingCheckpoint(second)).step, 2);
    rmSync(join(second, "scheduler.json"));
    await assert.rejects(loadTrainingCheckpoint(second), (e: unknown) => e instanceof IncompleteCheckpointError && /scheduler.json is missing/.test(e.message));

    rmSync(join(second, "audioclass_checkpoint.json"));
    await assert.rejects(loadTrainingCheckpoint(second), (e: unknown) => e instanceof IncompleteCheckpointError && /no audioclass_checkpoint.json/.test(e.message));
    assert.equal(await latestCheckpoint(out), first, "an unfinished checkpoint-2 falls back to checkpoint-1");

    // A file corrupted in place without changing its size is caught when parsed.
    const trainerState = join(first, "trainer_state.json");
    writeFileSync(trainerState, readFileSync(trainerState, "utf8").replace('"global_step": 1', '"global_step": 9'));
    await assert.rejects(loadTrainingCheckpoint(first), /disagree on the step/);
    await assert.rejects(loadTrainingCheckpoint(join(out, "checkpoint-99")), /no checkpoint folder/);
  });
});

test("save_total_limit deletes the oldest checkpoints but never the best; with a limit of 1 the best and the latest stay", async () => {
  await withTempDir(async (out) => {
    const run = await trainingRun(0);
    const best = join(out, "checkpoint-2");
    const save = async (limit: number, bestPath: string | null) => {
      run.step();
      const c = await contents(run);
      return saveTrainingCheckpoint(out, { ...c, trainerState: { ...c.trainerState, best_model_checkpoint: bestPath, best_metric: bestPath ? 0.9 : null } }, { saveTotalLimit: limit });
    };
    await save(2, null);
    await save(2, best);
    assert.deepEqual((await save(2, best)).deleted, [join(out, "checkpoint-1")]);
    assert.deepEqual((await save(2, best)).deleted, [join(out, "checkpoint-3")]);
    assert.deepEqual(readdirSync(out).sort(), ["checkpoint-2", "checkpoint-4"]);
    await save(1, best);
    assert.deepEqual(readdirSync(out).sort(), ["checkpoint-2", "checkpoint-5"]);
    await save(2, null);
    assert.deepEqual(readdirSync(out).sort(), ["checkpoint-5", "checkpoint-6"]);
  });
});

test("state that is not plain JSON is refused before anything is written; an interrupted folder swap is recovered", async () => {
  await withTempDir(async (out) => {
    const run = await trainingRun(1);
    const bad = { ...(await contents(run)), rng: { train: { words: new Uint32Array(4) } } };
    await assert.rejects(saveTrainingCheckpoint(out, bad), (e: unknown) => e instanceof CheckpointContentError && /\/train\/words is Uint32Array\(4\)/.test(e.message));
    assert.equal(existsSync(out) ? readdirSync(out).length : 0, 0);

    const { path } = await saveTrainingCheckpoint(out, await contents(run));
    // A crash between moving the old folder aside and moving the new one in.
    const aside = join(out, `checkpoint-1.old-${DEAD_PID}-00ff00ff`);
    renameSync(path, aside);
    assert.equal(await latestCheckpoint(out), undefined);
    const report = await recoverInterruptedFolders(out);
    assert.deepEqual(report.restored, [path]);
    assert.equal((await loadTrainingCheckpoint(path)).step, 1);
  });
});
