// `audioclass train`: usage errors, a run with a held-out split and the JSON summary, the
// evaluation lines and progress on stderr, and library errors reported with exit code 1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/cli.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { modelDir } from "../helpers/fixtures.js";
import { syntheticSplits } from "../training/support/synthetic-dataset.js";

function captureIO(): CliIO & { out: string; err: string; stream: CapturedStream } {
  const stream = new CapturedStream();
  const io = { out: "", err: "", stream, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t), stderrStream: stream, env: { CI: "true" } };
  return io;
}

test("train: missing --model, --data or --output, bad flag values and stray arguments are usage errors (exit 2)", async () => {
  for (const [argv, pattern] of [
    [["train", "--data", "d", "--output", "o"], /--model is required/],
    [["train", "--model", "m", "--output", "o"], /--data is required/],
    [["train", "--model", "m", "--data", "d"], /--output is required/],
    [["train", "--model", "m", "--data", "d", "--output", "o", "--epochs", "many"], /--epochs must be a number/],
    [["train", "--model", "m", "--data", "d", "--output", "o", "--scheduler", "step"], /--scheduler must be one of constant, constant_with_warmup, linear, cosine/],
    [["train", "--model", "m", "--data", "d", "--output", "o", "--augment", "wild"], /--augment must be one of ast-recipe, light or none/],
    [["train", "--model", "m", "--data", "d", "--output", "o", "--freeze", "half"], /--freeze must be none, feature-encoder, backbone or all-but-last:N, got "half"/],
    [["train", "--model", "m", "--data", "d", "--output", "o", "extra"], /unexpected argument "extra"/],
  ] as const) {
    const io = captureIO();
    assert.equal(await runCli([...argv], io), 2, argv.join(" "));
    assert.match(io.err, pattern);
    assert.match(io.err, /Usage: audioclass train/);
  }
  const help = captureIO();
  assert.equal(await runCli(["train", "--help"], help), 0);
  assert.match(help.out, /--freeze F {14}none, feature-encoder, backbone, all-but-last:N/);
});

test("train: --eval-split holds out data; evaluation lines and progress on stderr, the JSON summary on stdout, a model folder in --output", async () => {
  const data = await syntheticSplits({ trainPerClass: 4, evalPerClass: 1, seconds: 1.2 });
  try {
    const io = captureIO();
    const code = await runCli(["train", "--model", modelDir("ast"), "--data", data.trainDir, "--eval-split", "0.25", "--output", data.output, "--epochs", "2", "--lr", "1e-3", "--batch-size", "3", "--threads", "2", "--format", "json"], io);
    assert.equal(code, 0, io.err);
    const summary = JSON.parse(io.out);
    assert.equal(summary.output_dir, data.output);
    assert.equal(summary.global_step, 6, "9 training clips in batches of 3, 2 epochs");
    assert.equal(typeof summary.eval.accuracy, "number");
    assert.equal(summary.best_model_checkpoint, join(data.output, `checkpoint-${summary.best_model_checkpoint.split("-").pop()}`));
    assert.match(io.err, /epoch 1\.00 step 3: eval_loss \d\.\d{4} {2}eval_accuracy/);
    assert.match(io.stream.text, /train: 6 in/);
    for (const file of ["config.json", "preprocessor_config.json", "model.safetensors", "trainer_state.json", "training_log.jsonl"]) assert.ok(existsSync(join(data.output, file)), file);

    const table = captureIO();
    assert.equal(await runCli(["train", "--model", modelDir("ast"), "--data", data.trainDir, "--eval-data", data.evalDir, "--output", join(data.output, "again"), "--epochs", "1", "--threads", "2", "--quiet", "--format", "table"], table), 0);
    assert.match(table.out, /^trained 2 steps \(1\.00 epochs\)/);
    assert.match(table.out, /accuracy/);
    assert.equal(table.err, "");
  } finally {
    data.remove();
  }
});

test("train: library errors (a freeze option the model cannot honour, a resume without checkpoints) exit 1 with the reason", async () => {
  const data = await syntheticSplits({ trainPerClass: 2, evalPerClass: 1, seconds: 0.5 });
  try {
    const freeze = captureIO();
    assert.equal(await runCli(["train", "--model", modelDir("ast"), "--data", data.trainDir, "--output", data.output, "--freeze", "feature-encoder", "--quiet"], freeze), 1);
    assert.match(freeze.err, /^audioclass train: freeze "feature-encoder": Audio Spectrogram Transformer has no convolutional feature encoder/);
    const resume = captureIO();
    assert.equal(await runCli(["train", "--model", modelDir("ast"), "--data", data.trainDir, "--output", data.output, "--resume", "latest", "--quiet"], resume), 1);
    assert.match(resume.err, /has no complete checkpoint-<step> folder to resume from/);
    const bad = captureIO();
    assert.equal(await runCli(["train", "--model", modelDir("ast"), "--data", join(data.trainDir, "nope"), "--output", data.output], bad), 1);
    assert.match(bad.err, /nope does not exist; pass a folder with one sub-folder per label, or a CSV \/ JSONL manifest/);
  } finally {
    data.remove();
  }
});

test("train: an unreadable clip is reported with its path and skipped, with a count at the end; --on-bad-file fail refuses the data", async () => {
  const data = await syntheticSplits({ trainPerClass: 3, evalPerClass: 1, seconds: 1.2 });
  try {
    const broken = join(data.trainDir, "tone", "broken.wav");
    writeFileSync(broken, "RIFF but not really a wave file");
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    const io = captureIO();
    let code: number;
    try {
      code = await runCli(["train", "--model", modelDir("ast"), "--data", data.trainDir, "--eval-data", data.evalDir, "--output", data.output, "--epochs", "1", "--threads", "2", "--format", "json"], io);
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("warning", onWarning);
    }
    assert.equal(code, 0, io.err);
    assert.ok(warnings.some((w) => w.includes(broken)), "the skipped file is reported with its path");
    assert.match(io.err, /1 unreadable audio file was skipped/);
    const summary = JSON.parse(io.out);
    assert.deepEqual(summary.skipped_files, [broken]);
    assert.equal(summary.global_step, 2, "the 9 readable training clips in batches of 8");

    const strict = captureIO();
    assert.equal(await runCli(["train", "--model", modelDir("ast"), "--data", data.trainDir, "--output", join(data.output, "strict"), "--on-bad-file", "fail", "--quiet"], strict), 1);
    assert.match(strict.err, /broken\.wav/);
  } finally {
    data.remove();
  }
});
