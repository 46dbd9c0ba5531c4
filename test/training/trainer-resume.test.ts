// Resuming: a run killed with SIGKILL in the middle of training and resumed from its last
// checkpoint ends with exactly the weights (bit for bit) and the log of a run that was never
// interrupted — data order, augmentation-free batches, dropout masks, SpecAugment masks,
// LayerDrop gates, optimizer moments and schedule all continue where they were.
import { test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Trainer } from "../../src/training/index.js";
import { readSafetensors } from "../../src/weights/index.js";
import { modelDir } from "../helpers/fixtures.js";
import { syntheticSplits, writeSyntheticDataset } from "./support/synthetic-dataset.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

async function cli(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: ROOT, maxBuffer: 1 << 24 });
}

/** Every tensor of a model.safetensors, as raw bytes by name. */
async function tensorBytes(path: string): Promise<Map<string, Uint8Array>> {
  const file = await readSafetensors(path);
  try {
    return new Map(file.namesInFileOrder().map((name) => {
      const t = file.getTensor(name);
      return [name, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice()];
    }));
  } finally {
    file.close();
  }
}

async function assertSameWeights(a: string, b: string): Promise<void> {
  const [x, y] = [await tensorBytes(a), await tensorBytes(b)];
  assert.deepEqual([...x.keys()], [...y.keys()]);
  for (const [name, bytes] of x) assert.ok(Buffer.from(bytes).equals(Buffer.from(y.get(name)!)), `${name} differs`);
}

/** The log without what depends on the clock. */
function logWithoutTimes(dir: string): unknown[] {
  const timed = /(^time$)|runtime|per_second/;
  return readFileSync(join(dir, "training_log.jsonl"), "utf8").trim().split("\n").map((line) => Object.fromEntries(Object.entries(JSON.parse(line)).filter(([k]) => !timed.test(k))));
}

function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

test("wav2vec2 via the CLI: SIGKILL after a checkpoint, --resume latest, same final weights and log as an uninterrupted run", async () => {
  // 18 clips in batches of 4 with 2 micro-batches per step: each epoch ends in a short window.
  const data = writeSyntheticDataset({ perClass: 6, seconds: 0.6, lengthJitter: 0.4, seed: 1 });
  const root = mkdtempSync(join(tmpdir(), "audioclass-resume-"));
  const [straight, interrupted] = [join(root, "straight"), join(root, "interrupted")];
  const args = ["train", "--model", modelDir("wav2vec2"), "--data", data.root, "--epochs", "6", "--lr", "1e-3", "--batch-size", "4", "--grad-accum", "2", "--threads", "2", "--save-steps", "1", "--quiet", "--format", "json"];
  try {
    await cli([...args, "--output", straight]);

    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args, "--output", interrupted], { cwd: ROOT, stdio: "ignore" });
    const exited = waitForExit(child);
    const marker = join(interrupted, "checkpoint-3", "audioclass_checkpoint.json");
    while (!existsSync(marker)) {
      if (child.exitCode !== null) assert.fail("the run finished before it could be killed");
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGKILL");
    assert.equal((await exited).signal, "SIGKILL");
    assert.ok(!existsSync(join(interrupted, "model.safetensors")), "killed before the end: no final model yet");

    const resumed = JSON.parse((await cli([...args, "--output", interrupted, "--resume", "latest"])).stdout);
    assert.match(resumed.resumed_from, /checkpoint-(\d+)$/);
    assert.ok(Number(/checkpoint-(\d+)$/.exec(resumed.resumed_from)![1]) >= 3 && resumed.global_step === 18);
    await assertSameWeights(join(straight, "model.safetensors"), join(interrupted, "model.safetensors"));
    await assertSameWeights(join(straight, "checkpoint-18", "optimizer.safetensors"), join(interrupted, "checkpoint-18", "optimizer.safetensors"));
    assert.deepEqual(logWithoutTimes(interrupted), logWithoutTimes(straight));
  } finally {
    data.remove();
    rmSync(root, { recursive: true, force: true });
  }
});

test("AST through the API: a new Trainer resuming from a middle checkpoint of another run ends where that run ended", async () => {
  const data = await syntheticSplits({ trainPerClass: 6, evalPerClass: 3, seconds: 1.2 });
  const other = mkdtempSync(join(tmpdir(), "audioclass-resume-ast-"));
  const options = { model: modelDir("ast"), trainData: data.train, evalData: data.eval, epochs: 4, batchSize: 4, learningRate: 1e-3, evalSteps: 2, threads: 2, progress: false } as const;
  try {
    const first = await Trainer.create({ ...options, outputDir: data.output });
    const full = await first.train();
    await first.dispose();
    const second = await Trainer.create({ ...options, outputDir: other, resumeFrom: join(data.output, "checkpoint-6") });
    const resumed = await second.train();
    await second.dispose();
    assert.equal(resumed.globalStep, full.globalStep);
    assert.equal(resumed.bestMetric, full.bestMetric);
    assert.equal(resumed.trainLoss, full.trainLoss);
    await assertSameWeights(join(data.output, "model.safetensors"), join(other, "model.safetensors"));
  } finally {
    data.remove();
    rmSync(other, { recursive: true, force: true });
  }
});
