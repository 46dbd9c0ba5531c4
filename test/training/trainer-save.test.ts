// What a training run leaves behind is a model folder as transformers writes one: the fixture's
// tensor names (weight_g/weight_v kept), dtypes and header layout, its config.json with only the
// labels changed, its preprocessor_config.json byte for byte — and our pipeline loads it and
// gives the trained model's scores.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "../../src/pipelines/index.js";
import { ModelConfig, architectureFor } from "../../src/models/index.js";
import { Trainer } from "../../src/training/index.js";
import { readSafetensors } from "../../src/weights/index.js";
import { modelDir } from "../helpers/fixtures.js";
import { syntheticClip, syntheticSplits } from "./support/synthetic-dataset.js";
import { Rng } from "../../src/training/random.js";
import { tempDir } from "./support/wav-file.js";

interface Header {
  metadata: Record<string, string>;
  entries: [string, { dtype: string; shape: number[] }][];
}

function header(path: string): Header {
  const bytes = readFileSync(path);
  const length = Number(bytes.readBigUInt64LE(0));
  const json = JSON.parse(bytes.subarray(8, 8 + length).toString("utf8")) as Record<string, unknown>;
  const { __metadata__, ...rest } = json;
  return { metadata: __metadata__ as Record<string, string>, entries: Object.entries(rest) as Header["entries"] };
}

function softmax(logits: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(logits));
  const e = Array.from(logits, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

test("wav2vec2 fine-tuned on new labels: safetensors and config.json laid out as the fixture transformers wrote; the pipeline loads it", async () => {
  const data = await syntheticSplits({ trainPerClass: 4, evalPerClass: 2, seconds: 0.5 });
  const trainer = await Trainer.create({ model: modelDir("wav2vec2"), trainData: data.train, outputDir: data.output, epochs: 1, batchSize: 4, gradientAccumulationSteps: 1, threads: 2, progress: false });
  try {
    await trainer.train();
    const fixture = modelDir("wav2vec2");
    const saved = header(join(data.output, "model.safetensors"));
    const original = header(join(fixture, "model.safetensors"));
    assert.deepEqual(saved.metadata, { format: "pt" });
    assert.deepEqual(saved.entries.map(([n]) => n), original.entries.map(([n]) => n), "same tensors, in the same (Python) order");
    for (const [i, [name, info]] of saved.entries.entries()) {
      assert.equal(info.dtype, "F32", name);
      const expected = original.entries[i]![1].shape;
      assert.deepEqual(info.shape, name.startsWith("classifier.") ? [3, ...expected.slice(1)] : expected, name);
    }
    assert.ok(saved.entries.some(([n]) => n.endsWith("pos_conv_embed.conv.weight_g")) && saved.entries.some(([n]) => n.endsWith("masked_spec_embed")));

    const configText = readFileSync(join(data.output, "config.json"), "utf8");
    const config = JSON.parse(configText);
    const originalConfig = JSON.parse(readFileSync(join(fixture, "config.json"), "utf8"));
    assert.deepEqual(Object.keys(config).sort(), Object.keys(originalConfig).sort());
    for (const key of Object.keys(config)) if (!["id2label", "label2id"].includes(key)) assert.deepEqual(config[key], originalConfig[key], key);
    assert.deepEqual(config.id2label, { 0: "chirp", 1: "noise", 2: "tone" });
    assert.deepEqual(config.label2id, { chirp: 0, noise: 1, tone: 2 });
    assert.match(configText, /"feat_proj_dropout": 0\.0,/, "floats keep their Python spelling");
    assert.equal(readFileSync(join(data.output, "preprocessor_config.json"), "utf8"), readFileSync(join(fixture, "preprocessor_config.json"), "utf8"));

    const audio = syntheticClip("tone", new Rng(9), 0.5, 16000);
    const classify = await pipeline("audio-classification", data.output, { threads: 1 });
    try {
      const predictions = await classify(audio);
      const features = trainer.model.featureExtractor(audio, { samplingRate: 16000 });
      const expected = softmax(await trainer.session.logits(features));
      assert.deepEqual(predictions.map((p) => p.label).sort(), ["chirp", "noise", "tone"]);
      for (const p of predictions) assert.ok(Math.abs(p.score - expected[trainer.model.labels.indexOf(p.label)]!) < 1e-5, p.label);
    } finally {
      await classify.dispose();
    }
  } finally {
    await trainer.dispose();
    data.remove();
  }
});

test("a config.json alone trains from scratch; the saved folder holds exactly parameters(config) and a default preprocessor config", async () => {
  const dir = tempDir("audioclass-config-only-");
  const config = {
    model_type: "audio-spectrogram-transformer", hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 64,
    num_mel_bins: 32, max_length: 128, patch_size: 16, frequency_stride: 16, time_stride: 16,
  };
  dir.text("my-ast.json", JSON.stringify(config));
  const data = await syntheticSplits({ trainPerClass: 6, evalPerClass: 3, seconds: 1.2 });
  const trainer = await Trainer.create({ model: join(dir.root, "my-ast.json"), trainData: data.train, evalData: data.eval, outputDir: data.output, epochs: 6, batchSize: 6, learningRate: 1e-3, loggingSteps: 1, threads: 2, progress: false });
  try {
    assert.equal(trainer.model.origin.kind, "config");
    const result = await trainer.train();
    const losses = result.log.filter((e) => e.type === "train").map((e) => e.loss as number);
    assert.ok(losses.at(-1)! < losses[0]! - 0.2, `loss ${losses[0]} → ${losses.at(-1)}`);
    const savedConfig = new ModelConfig(JSON.parse(readFileSync(join(data.output, "config.json"), "utf8")));
    assert.deepEqual(savedConfig.architectures, ["ASTForAudioClassification"]);
    const file = await readSafetensors(join(data.output, "model.safetensors"));
    const names = file.namesInFileOrder().sort();
    file.close();
    assert.deepEqual(names, architectureFor(savedConfig).parameters(savedConfig).map((s) => s.name).sort());
    const preprocessor = JSON.parse(readFileSync(join(data.output, "preprocessor_config.json"), "utf8"));
    assert.equal(preprocessor.feature_extractor_type, "ASTFeatureExtractor");
    assert.equal(preprocessor.num_mel_bins, 32);
    const classify = await pipeline("audio-classification", data.output, { threads: 1 });
    try {
      assert.equal((await classify(syntheticClip("noise", new Rng(3), 1.2, 16000))).length, 3);
    } finally {
      await classify.dispose();
    }
  } finally {
    await trainer.dispose();
    data.remove();
    dir.remove();
  }
});
