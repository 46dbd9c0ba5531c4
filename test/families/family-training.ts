/**
 * Checks every new family goes through, from its public fixture checkpoint: a few fine-tuning
 * steps on a new label set lower the loss; the saved folder holds exactly the fixture's
 * parameter names in transformers' order with its shapes (the classifier resized) and loads in
 * the pipeline; a `.bin`-only twin and a transformers.js-style ONNX export of the fixture give its
 * logits.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeOnnx } from "../../src/graph/index.js";
import { AutoModelForAudioClassification, ModelConfig, architectureFor, buildGraph } from "../../src/models/index.js";
import { pipeline } from "../../src/pipelines/index.js";
import { Trainer, type TrainerLogEntry } from "../../src/training/index.js";
import { readSafetensorsSync } from "../../src/weights/index.js";
import { statePickle, torchZip, type TensorSpec } from "../weights/pickle-builder.js";
import { featureTensors } from "../models/support/wav2vec2-family-fixtures.js";
import { loadFloat, maxAbsDiff, modelDir, readJson } from "../helpers/fixtures.js";
import { syntheticSplits } from "../training/support/synthetic-dataset.js";

function safetensorsEntries(path: string): [string, number[]][] {
  const bytes = readFileSync(path);
  const size = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + size).toString("utf8")) as Record<string, { shape: number[] }>;
  return Object.entries(header).filter(([name]) => name !== "__metadata__").map(([name, info]) => [name, info.shape]);
}

function trainLosses(log: readonly TrainerLogEntry[]): number[] {
  return log.filter((e) => e.type === "train").map((e) => e.loss as number);
}

/** A few steps of fine-tuning on 3 new labels: the loss falls and the saved folder matches the fixture's layout. */
export function fineTuneTest(model: string): void {
  test(`${model}: fine-tuning lowers the loss; the saved folder has the fixture's parameter names, order and shapes and loads in the pipeline`, async () => {
    const data = await syntheticSplits({ trainPerClass: 4, evalPerClass: 1, seconds: 0.6, lengthJitter: 0.3 });
    const trainer = await Trainer.create({
      model: modelDir(model), trainData: data.train, outputDir: data.output, epochs: 8, batchSize: 4, gradientAccumulationSteps: 1,
      learningRate: 3e-3, freeze: "none", dropout: "off", loggingSteps: 3, threads: 2, progress: false,
    });
    try {
      const result = await trainer.train();
      const losses = trainLosses(result.log);
      assert.ok(losses.length >= 3, `logged ${losses.length} losses`);
      assert.ok(losses.at(-1)! < losses[0]! - 0.05, `train loss ${losses[0]} → ${losses.at(-1)}`);
      const saved = safetensorsEntries(join(data.output, "model.safetensors"));
      const original = safetensorsEntries(join(modelDir(model), "model.safetensors"));
      assert.deepEqual(saved.map(([n]) => n), original.map(([n]) => n), "same tensors, in the same order");
      saved.forEach(([name, shape], i) => assert.deepEqual(shape, name.startsWith("classifier.") ? [3, ...original[i]![1].slice(1)] : original[i]![1], name));
      const config = JSON.parse(readFileSync(join(data.output, "config.json"), "utf8"));
      assert.deepEqual(config.architectures, JSON.parse(readFileSync(join(modelDir(model), "config.json"), "utf8")).architectures);
      const classify = await pipeline("audio-classification", data.output, { threads: 1 });
      try {
        const out = await classify(loadFloat(readJson(`cases/${model}/speech_16k.json`).waveform));
        assert.deepEqual(out.map((p) => p.label).sort(), ["chirp", "noise", "tone"]);
      } finally {
        await classify.dispose();
      }
    } finally {
      await trainer.dispose();
      data.remove();
    }
  });
}

const STORAGE: Record<string, string> = { float32: "FloatStorage", int64: "LongStorage", int32: "IntStorage" };

/** The fixture's tensors as torch.save writes them. */
function torchBinOf(model: string): Uint8Array {
  const source = readSafetensorsSync(join(modelDir(model), "model.safetensors"));
  const specs: TensorSpec[] = [];
  const records: Record<string, Uint8Array> = {};
  source.names().forEach((name, i) => {
    const t = source.getTensor(name);
    const strides = t.dims.map((_, d) => t.dims.slice(d + 1).reduce((a, b) => a * b, 1));
    specs.push({ name, storageType: STORAGE[t.type]!, key: String(i), numel: t.data.length, size: [...t.dims], stride: strides });
    records[`data/${i}`] = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
  });
  records["data.pkl"] = statePickle(specs);
  records["byteorder"] = new TextEncoder().encode("little");
  records["version"] = new TextEncoder().encode("3\n");
  source.close();
  return torchZip(records);
}

async function fixtureLogitsDiff(dir: string, model: string, source: "checkpoint" | "onnx"): Promise<number> {
  const c = readJson(`cases/${model}/speech_16k.json`);
  const m = await AutoModelForAudioClassification.fromPretrained(dir, { cache: false, threads: 1 });
  try {
    assert.equal(m.report.source, source);
    return maxAbsDiff((await m.forward(featureTensors(c.features))).data, loadFloat(c.logits));
  } finally {
    await m.dispose();
  }
}

/** `.bin`-only twin and transformers.js-style export of the fixture both give its logits within 1e-4. */
export function checkpointFormatTests(model: string): void {
  const withCopy = (fn: (dir: string) => Promise<void>) => async () => {
    const dir = mkdtempSync(join(tmpdir(), `audioclass-${model}-`));
    try {
      for (const f of ["config.json", "preprocessor_config.json"]) copyFileSync(join(modelDir(model), f), join(dir, f));
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  test(`${model}: a pytorch_model.bin-only twin gives the fixture's logits within 1e-4`, withCopy(async (dir) => {
    writeFileSync(join(dir, "pytorch_model.bin"), torchBinOf(model));
    const diff = await fixtureLogitsDiff(dir, model, "checkpoint");
    assert.ok(diff <= 1e-4, `max abs diff ${diff}`);
  }));
  test(`${model}: an onnx/model.onnx export without weights gives the fixture's logits within 1e-4`, withCopy(async (dir) => {
    const config = await ModelConfig.fromFile(join(modelDir(model), "config.json"));
    const { graph } = await buildGraph(modelDir(model), config, architectureFor(config));
    mkdirSync(join(dir, "onnx"));
    writeFileSync(join(dir, "onnx", "model.onnx"), encodeOnnx(graph));
    const diff = await fixtureLogitsDiff(dir, model, "onnx");
    assert.ok(diff <= 1e-4, `max abs diff ${diff}`);
  }));
}
