// TensorBoard event files from the Trainer (reportTo "tensorboard"), read back with an
// independent TFRecord + protobuf reader (support/tfevents-reader.ts): framing and CRCs, the
// brain.Event:2 header, and transformers' tags at the logged steps with the logged values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { Trainer, TrainerOptionsError } from "../../src/training/index.js";
import { EventFileWriter, crc32c, defaultLoggingDir, maskedCrc32c, tensorboardTag } from "../../src/training/tensorboard/index.js";
import { modelDir } from "../helpers/fixtures.js";
import { syntheticSplits } from "./support/synthetic-dataset.js";
import { readEventFile, readTfRecords, referenceCrc32c, scalarsByTag } from "./support/tfevents-reader.js";

const AST = modelDir("ast");

test("CRC-32C: the check value of RFC 3720 and the iSCSI test vectors, from the writer and the reference", () => {
  const ascii = new TextEncoder().encode("123456789");
  assert.equal(crc32c(ascii), 0xe3069283);
  assert.equal(referenceCrc32c(ascii), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa); // 32 bytes of zeros
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43); // 32 bytes of ones
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e); // incrementing
  // masking as TensorFlow's crc32c::Mask: rotate right by 15, add 0xa282ead8
  const crc = crc32c(ascii);
  assert.equal(maskedCrc32c(ascii), ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) % 2 ** 32);
});

test("rewrite_logs tags: eval_ → eval/, test_ → test/, the rest under train/", () => {
  assert.equal(tensorboardTag("eval_loss"), "eval/loss");
  assert.equal(tensorboardTag("eval_f1_macro"), "eval/f1_macro");
  assert.equal(tensorboardTag("test_accuracy"), "test/accuracy");
  assert.equal(tensorboardTag("loss"), "train/loss");
  assert.equal(tensorboardTag("train_runtime"), "train/train_runtime");
});

test("the default logging_dir is TrainingArguments': runs/<Mon DD_HH-MM-SS>_<host>", () => {
  const dir = defaultLoggingDir("/out", new Date(2024, 7, 21, 9, 5, 3));
  assert.equal(dir, join("/out", "runs", `Aug21_09-05-03_${hostname()}`));
});

test("a short training run writes an event file TensorBoard reads: header, CRCs, named scalars at the logged steps", async () => {
  const data = await syntheticSplits({ trainPerClass: 4, evalPerClass: 2, seconds: 1.2 });
  const logDir = join(data.output, "tb");
  const trainer = await Trainer.create({
    model: AST, trainData: data.train, evalData: data.eval, outputDir: data.output, epochs: 2, batchSize: 4, learningRate: 1e-3,
    loggingSteps: 2, reportTo: ["tensorboard"], loggingDir: logDir, threads: 2, progress: false,
  });
  try {
    await trainer.train();
    const files = readdirSync(logDir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${hostname().replace(/[.]/g, "\\.")}\\.${process.pid}\\.\\d+$`));
    const bytes = new Uint8Array(readFileSync(join(logDir, files[0]!)));
    const events = readEventFile(bytes);
    assert.equal(events[0]!.fileVersion, "brain.Event:2");
    const seconds = Number(files[0]!.split(".")[3]);
    assert.ok(Math.abs(events[0]!.wallTime - seconds) < 2, "the file name carries the time of the first event");

    const scalars = scalarsByTag(events);
    // 3 steps an epoch, 6 in all: train entries at 2, 4, 6; evaluations at 3 and 6; the end entry at 6
    const steps = (tag: string): number[] => (scalars.get(tag) ?? []).map(([s]) => s);
    for (const tag of ["train/loss", "train/learning_rate", "train/grad_norm"]) assert.deepEqual(steps(tag), [2, 4, 6], tag);
    assert.deepEqual(steps("train/epoch"), [2, 3, 4, 6, 6, 6], "epoch goes with every entry, as Trainer.log adds it");
    for (const tag of ["eval/loss", "eval/accuracy", "eval/f1", "eval/precision", "eval/recall", "eval/runtime"]) assert.deepEqual(steps(tag), [3, 6], tag);
    for (const tag of ["train/train_runtime", "train/train_loss", "train/total_flos"]) assert.deepEqual(steps(tag), [6], tag);
    assert.ok(!scalars.has("train/step") && !scalars.has("train/type"), "bookkeeping keys are not scalars");

    // the values are the log's, as float32
    const log = readFileSync(join(data.output, "training_log.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const f32 = (x: number): number => Math.fround(x);
    const logged = (key: string, type: string): [number, number][] => log.filter((l) => l.type === type).map((l) => [l.step, f32(l[key])]);
    assert.deepEqual(scalars.get("train/loss"), logged("loss", "train"));
    assert.deepEqual(scalars.get("train/learning_rate"), logged("learning_rate", "train"));
    assert.deepEqual(scalars.get("train/grad_norm"), logged("grad_norm", "train"));
    assert.deepEqual(scalars.get("eval/accuracy"), logged("eval_accuracy", "eval"));
    assert.deepEqual(scalars.get("eval/f1"), logged("eval_f1", "eval"));
    assert.deepEqual(scalars.get("eval/loss"), logged("eval_loss", "eval"));
    // linear decay to 0 at the last step (the logged rate is the next step's, as the Trainer logs it)
    const rates = scalars.get("train/learning_rate")!.map(([, lr]) => lr);
    assert.ok(rates[0]! > rates[1]! && rates[1]! > 0 && rates[2] === 0, `learning rates ${rates.join(", ")}`);

    // args and model config as text, like TensorBoardCallback.on_train_begin
    const texts = events.flatMap((e) => e.values ?? []).filter((v) => v.pluginName === "text");
    assert.deepEqual(texts.map((t) => t.tag), ["args/text_summary", "model_config/text_summary"]);
    const args = JSON.parse(texts[0]!.text!);
    assert.deepEqual(args.report_to, ["tensorboard"]);
    assert.equal(args.logging_dir, logDir);
    assert.equal(JSON.parse(texts[1]!.text!).model_type, "audio-spectrogram-transformer");

    // the reader is not lenient: one flipped byte anywhere in a record is caught
    const flipped = Uint8Array.from(bytes);
    flipped[Math.floor(bytes.length / 2)]! ^= 0x01;
    assert.throws(() => readTfRecords(flipped), /bad (length|data) CRC|truncated/);
  } finally {
    await trainer.dispose();
    data.remove();
  }
});

test("without reportTo no event file is written; the default folder is under output/runs when it is", async () => {
  const data = await syntheticSplits({ trainPerClass: 2, evalPerClass: 1, seconds: 1.2 });
  const quiet = await Trainer.create({ model: AST, trainData: data.train, outputDir: data.output, maxSteps: 1, batchSize: 6, threads: 2, progress: false });
  try {
    await quiet.train();
    assert.deepEqual(readdirSync(data.output).filter((f) => f === "runs"), []);
  } finally {
    await quiet.dispose();
  }
  const out2 = join(data.output, "second");
  const reporting = await Trainer.create({ model: AST, trainData: data.train, outputDir: out2, maxSteps: 1, batchSize: 6, reportTo: "all", threads: 2, progress: false });
  try {
    await reporting.train();
    assert.equal(dirname(reporting.loggingDir), join(out2, "runs"));
    const files = readdirSync(reporting.loggingDir);
    assert.equal(files.length, 1);
    const events = readEventFile(new Uint8Array(readFileSync(join(reporting.loggingDir, files[0]!))));
    assert.deepEqual(scalarsByTag(events).get("train/train_loss")?.map(([s]) => s), [1]);
    assert.equal(basename(reporting.loggingDir).endsWith(`_${hostname()}`), true);
  } finally {
    await reporting.dispose();
    data.remove();
  }
});

test("resuming: a SessionLog START at the first step after the checkpoint, so TensorBoard drops the interrupted run's later points", () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-tb-"));
  try {
    const writer = EventFileWriter.open(dir, { purgeStep: 7, clock: () => 1_700_000_000.25 });
    writer.addSummary(8, [{ tag: "train/loss", scalar: 0.5 }]);
    writer.close();
    const events = readEventFile(new Uint8Array(readFileSync(writer.path)));
    assert.deepEqual(events.map((e) => [e.step, e.fileVersion ?? null, e.sessionLogStatus ?? null]), [[0, "brain.Event:2", null], [7, null, 1], [8, null, null]]);
    assert.equal(events[0]!.wallTime, 1_700_000_000.25);
    assert.equal(basename(writer.path).split(".")[3], "1700000000");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("reportTo takes what audioclass has and names the alternatives otherwise", async () => {
  const data = await syntheticSplits({ trainPerClass: 2, evalPerClass: 1, seconds: 0.5 });
  try {
    for (const reportTo of ["wandb", ["tensorboard", "none"]] as const) {
      await assert.rejects(
        Trainer.create({ model: AST, trainData: data.train, outputDir: data.output, reportTo: reportTo as never, progress: false }),
        (error: unknown) => error instanceof TrainerOptionsError && error.option === "reportTo" && /tensorboard/.test(error.message),
      );
    }
  } finally {
    data.remove();
  }
});
