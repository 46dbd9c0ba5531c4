// Freezing and heads: frozen parameters are never given a gradient (not even computed: they are
// no outputs of the training graph and the backward pass shrinks) and keep their values
// bit for bit; a new label set gets a fresh head, a reordered one keeps the trained head.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Trainer, TrainerOptionsError, type FreezeOption } from "../../src/training/index.js";
import { loadWeights } from "../../src/weights/index.js";
import type { Tensor } from "../../src/tensor.js";
import { modelDir } from "../helpers/fixtures.js";
import { syntheticClip, syntheticSplits } from "./support/synthetic-dataset.js";
import { AudioDataset } from "../../src/training/index.js";
import { Rng } from "../../src/training/random.js";
import { tempDir } from "./support/wav-file.js";

async function fixtureTensors(name: string, basePrefix: string): Promise<Map<string, Tensor>> {
  const map = await loadWeights(modelDir(name), { basePrefix, modelHasBasePrefix: true, weightNorm: "keep" });
  try {
    return new Map(map.names().map((n) => [n, map.getTensor(n)]));
  } finally {
    map.source.close();
  }
}

const same = (a: Tensor, b: Tensor): boolean => a.data.length === b.data.length && a.data.every((v, i) => v === b.data[i]);

test("wav2vec2 freezing: feature-encoder, backbone and all-but-last:1 train exactly what they say", async () => {
  const data = await syntheticSplits({ trainPerClass: 3, evalPerClass: 1, seconds: 0.5 });
  const original = await fixtureTensors("wav2vec2", "wav2vec2");
  const cases: [FreezeOption, (name: string) => boolean][] = [
    ["feature-encoder", (n) => !n.startsWith("wav2vec2.feature_extractor.")],
    ["backbone", (n) => n.startsWith("projector.") || n.startsWith("classifier.")],
    [{ allButLast: 1 }, (n) => n.startsWith("wav2vec2.encoder.layers.1.") || n.startsWith("projector.") || n.startsWith("classifier.")],
  ];
  let nodesWithoutFreezing = 0;
  try {
    const unfrozen = await Trainer.create({ model: modelDir("wav2vec2"), trainData: data.train, outputDir: data.output, freeze: "none", threads: 2, progress: false });
    nodesWithoutFreezing = unfrozen.session.graph.nodes.length;
    await unfrozen.dispose();
    for (const [freeze, trainable] of cases) {
      const trainer = await Trainer.create({ model: modelDir("wav2vec2"), trainData: data.train, outputDir: data.output, overwriteOutputDir: true, freeze, epochs: 1, batchSize: 3, gradientAccumulationSteps: 1, learningRate: 1e-2, threads: 2, progress: false });
      try {
        const label = JSON.stringify(freeze);
        const trained = [...trainer.session.parameters.keys()];
        assert.ok(trained.length > 0 && trained.every(trainable), `${label}: trained ${trained.filter((n) => !trainable(n))}`);
        for (const name of original.keys()) {
          if (trainable(name) && name !== "wav2vec2.masked_spec_embed") assert.ok(trained.includes(name), `${label}: ${name} should train`);
        }
        const outputs = trainer.session.graph.outputs.map((id) => trainer.session.graph.values[id]!.name);
        assert.ok(outputs.filter((n) => n.startsWith("grad.")).every((n) => trainable(n.slice(5))), `${label}: a gradient of a frozen parameter is computed`);
        assert.ok(trainer.session.graph.nodes.length < nodesWithoutFreezing, `${label}: the backward pass does not shrink`);
        await trainer.train();
        const after = trainer.session.currentWeights();
        for (const [name, tensor] of original) {
          if (name.startsWith("classifier.")) continue; // new labels: a fresh head
          if (!trainable(name)) assert.ok(same(after.get(name)!, tensor), `${label}: frozen ${name} changed`);
        }
        assert.ok(!same(after.get("projector.weight")!, original.get("projector.weight")!), `${label}: the head did not train`);
      } finally {
        await trainer.dispose();
      }
    }
    await assert.rejects(
      Trainer.create({ model: modelDir("ast"), trainData: data.train, outputDir: data.output, freeze: "feature-encoder", progress: false }),
      (e: unknown) => e instanceof TrainerOptionsError && e.option === "freeze" && /no convolutional feature encoder/.test(e.message),
    );
    await assert.rejects(
      Trainer.create({ model: modelDir("ast"), trainData: data.train, outputDir: data.output, freeze: { allButLast: 3 }, progress: false }),
      (e: unknown) => e instanceof TrainerOptionsError && /has 2 transformer layers/.test(e.message),
    );
  } finally {
    data.remove();
  }
});

test("labels: a new set gets a fresh head (everything else as pretrained); the model's own labels in another order keep its head", async () => {
  const data = await syntheticSplits({ trainPerClass: 2, evalPerClass: 1, seconds: 0.5 });
  const original = await fixtureTensors("ast", "audio_spectrogram_transformer");
  const own = tempDir("audioclass-own-labels-");
  try {
    const fresh = await Trainer.create({ model: modelDir("ast"), trainData: data.train, outputDir: data.output, threads: 1, progress: false });
    try {
      assert.deepEqual(fresh.model.origin.initialized, ["classifier.dense.weight", "classifier.dense.bias"]);
      const weights = fresh.session.currentWeights();
      assert.deepEqual(weights.get("classifier.dense.weight")!.dims, [3, 64]);
      assert.ok(weights.get("classifier.dense.bias")!.data.every((v) => v === 0));
      for (const [name, tensor] of original) if (!name.startsWith("classifier.dense.")) assert.ok(same(weights.get(name)!, tensor), name);
    } finally {
      await fresh.dispose();
    }
    // The fixture's eight labels, in alphabetical folder order (not the model's id order).
    const labels = ["Speech", "Music", "Dog bark", "Siren", "Rain", "Engine", "Silence", "Applause"];
    labels.forEach((label, i) => own.wav(`${label}/clip.wav`, syntheticClip(i % 2 ? "tone" : "noise", new Rng(i), 0.5, 16000), 16000));
    const dataset = await AudioDataset.fromFolder(own.root);
    assert.notDeepEqual(dataset.labelMap.labels, labels);
    const kept = await Trainer.create({ model: modelDir("ast"), trainData: dataset, outputDir: data.output, threads: 1, progress: false });
    try {
      assert.deepEqual(kept.model.origin.initialized, []);
      assert.deepEqual(kept.model.labels, labels);
      assert.deepEqual(kept.trainData.labelMap.labels, labels, "the data is relabelled to the model's ids");
      assert.ok(same(kept.session.currentWeights().get("classifier.dense.weight")!, original.get("classifier.dense.weight")!));
    } finally {
      await kept.dispose();
    }
  } finally {
    data.remove();
    own.remove();
  }
});
