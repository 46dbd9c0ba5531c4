// A run whose loss becomes NaN stops with a typed error naming the step, before the optimizer
// applies NaN gradients; an empty dataset and a label outside the label set are refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSafetensorsSync, saveSafetensors } from "../../src/weights/index.js";
import { AudioDataset, LabelMap, NonFiniteLossError, Trainer, TrainingDataError } from "../../src/training/index.js";
import { modelDir } from "../helpers/fixtures.js";
import { syntheticSplits } from "./support/synthetic-dataset.js";

const BACKBONE_BIAS = "audio_spectrogram_transformer.encoder.layer.0.output.dense.bias";

test("a NaN loss stops training with NonFiniteLossError naming the step", async () => {
  const data = await syntheticSplits({ trainPerClass: 2, evalPerClass: 1, seconds: 1.2 });
  const model = mkdtempSync(join(tmpdir(), "audioclass-nan-model-"));
  try {
    for (const f of ["config.json", "preprocessor_config.json"]) copyFileSync(join(modelDir("ast"), f), join(model, f));
    const source = readSafetensorsSync(join(modelDir("ast"), "model.safetensors"));
    const tensors = Object.fromEntries(source.names().map((n) => [n, source.getTensor(n)]));
    source.close();
    const bias = Float32Array.from(tensors[BACKBONE_BIAS]!.data as Float32Array);
    bias[0] = Number.NaN; // a corrupt backbone weight (the head is re-initialised for the new labels)
    tensors[BACKBONE_BIAS] = { type: "float32", dims: [bias.length], data: bias };
    await saveSafetensors(join(model, "model.safetensors"), tensors);
    const trainer = await Trainer.create({ model, trainData: data.train, outputDir: data.output, epochs: 1, batchSize: 3, threads: 1, progress: false });
    try {
      await assert.rejects(trainer.train(), (e: unknown) => e instanceof NonFiniteLossError && e.step === 1 && /loss of step 1 \(epoch 1\) is NaN/.test(e.message) && /learning rate/.test(e.message));
    } finally {
      await trainer.dispose();
    }
  } finally {
    rmSync(model, { recursive: true, force: true });
    data.remove();
  }
});

test("an empty dataset and a label outside the label set are clear errors", async () => {
  await assert.rejects(AudioDataset.fromExamples([]), (e: unknown) => e instanceof TrainingDataError && /no examples/.test((e as Error).message));
  const data = await syntheticSplits({ trainPerClass: 1, evalPerClass: 1, seconds: 1 });
  try {
    await assert.rejects(
      AudioDataset.fromFolder(data.evalDir, { labelMap: LabelMap.fromList(["chirp", "noise"]) }),
      (e: unknown) => e instanceof TrainingDataError && /tone/.test((e as Error).message),
    );
  } finally {
    data.remove();
  }
});
