// Where a training run's model and data come from: checkpoints adapted to the labels (a base
// model without a head, pre-training tensors dropped), a folder with a config but no weights,
// default preprocessor configs, and datasets from folders or manifests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { ModelConfig } from "../../src/models/index.js";
import { saveSafetensors, loadWeights } from "../../src/weights/index.js";
import { TrainerOptionsError, TrainingDataError, datasetFromPath, defaultPreprocessorConfig, loadTrainableModel } from "../../src/training/index.js";
import type { Tensor } from "../../src/tensor.js";
import { modelDir } from "../helpers/fixtures.js";
import { writeSyntheticDataset } from "./support/synthetic-dataset.js";
import { tempDir } from "./support/wav-file.js";

test("a base checkpoint without a head gets one; pre-training tensors are dropped; nothing else changes", async () => {
  const dir = tempDir("audioclass-base-model-");
  try {
    copyFileSync(join(modelDir("wav2vec2"), "config.json"), join(dir.root, "config.json"));
    copyFileSync(join(modelDir("wav2vec2"), "preprocessor_config.json"), join(dir.root, "preprocessor_config.json"));
    const map = await loadWeights(modelDir("wav2vec2"), { weightNorm: "keep" });
    const tensors = new Map<string, Tensor>();
    for (const name of map.names()) if (!name.startsWith("projector.") && !name.startsWith("classifier.")) tensors.set(name, map.getTensor(name));
    map.source.close();
    tensors.set("quantizer.codevectors", { type: "float32", dims: [1, 4, 2], data: new Float32Array(8) });
    tensors.delete("wav2vec2.masked_spec_embed");
    await saveSafetensors(join(dir.root, "model.safetensors"), tensors);
    const model = await loadTrainableModel(dir.root, ["a", "b"], { seed: 1 });
    assert.equal(model.origin.kind, "checkpoint");
    assert.deepEqual([...model.origin.initialized].sort(), ["classifier.bias", "classifier.weight", "projector.bias", "projector.weight", "wav2vec2.masked_spec_embed"]);
    assert.deepEqual(model.origin.dropped, ["quantizer.codevectors"]);
    assert.deepEqual(model.weights.get("classifier.weight")!.dims, [2, 16]);
    for (const [name, t] of tensors) if (name.startsWith("wav2vec2.")) assert.deepEqual(model.weights.get(name)!.data, t.data, name);
    assert.deepEqual(model.config.get("id2label"), { 0: "a", 1: "b" });
  } finally {
    dir.remove();
  }
});

test("a folder with config.json and preprocessor_config.json but no weights is a fresh model using that preprocessor", async () => {
  const dir = tempDir("audioclass-config-folder-");
  try {
    copyFileSync(join(modelDir("ast"), "config.json"), join(dir.root, "config.json"));
    copyFileSync(join(modelDir("ast"), "preprocessor_config.json"), join(dir.root, "preprocessor_config.json"));
    const model = await loadTrainableModel(dir.root, ["x", "y", "z"], { seed: 2 });
    assert.equal(model.origin.kind, "config");
    assert.equal(model.featureExtractorConfig.get("mean"), -4.2677393);
    assert.ok(model.weights.get("audio_spectrogram_transformer.embeddings.position_embeddings")!.data.every((v) => v === 0));
  } finally {
    dir.remove();
  }
});

test("default preprocessor configs: AST sizes from the config, Whisper's window from max_source_positions, attention masks for layer-norm wav2vec2", () => {
  const ast = defaultPreprocessorConfig(new ModelConfig({ model_type: "audio-spectrogram-transformer", num_mel_bins: 64, max_length: 512 }));
  assert.deepEqual([ast.feature_extractor_type, ast.num_mel_bins, ast.max_length, ast.sampling_rate], ["ASTFeatureExtractor", 64, 512, 16000]);
  const whisper = defaultPreprocessorConfig(new ModelConfig({ model_type: "whisper", num_mel_bins: 128 }));
  assert.deepEqual([whisper.feature_extractor_type, whisper.feature_size, whisper.chunk_length], ["WhisperFeatureExtractor", 128, 30]);
  assert.throws(() => defaultPreprocessorConfig(new ModelConfig({ model_type: "whisper", max_source_positions: 8 })), (e: unknown) => e instanceof TrainerOptionsError && /chunk_length is whole seconds/.test(e.message));
  assert.equal(defaultPreprocessorConfig(new ModelConfig({ model_type: "wav2vec2", feat_extract_norm: "layer" })).return_attention_mask, true);
  assert.equal(defaultPreprocessorConfig(new ModelConfig({ model_type: "hubert" })).return_attention_mask, false);
});

test("datasetFromPath: a label folder, CSV / TSV / JSONL manifests; anything else is refused clearly", async () => {
  const data = writeSyntheticDataset({ perClass: 2, seconds: 0.3, classes: ["tone", "noise"] });
  try {
    const folder = await datasetFromPath(data.root, { verify: false });
    assert.deepEqual(folder.labelMap.labels, ["noise", "tone"]);
    const csv = data.text("m.csv", "file,kind\ntone/tone_0.wav,tone\nnoise/noise_1.wav,noise\n");
    assert.equal((await datasetFromPath(csv, { labelColumn: "kind" })).size, 2);
    const tsv = data.text("m.tsv", "path\tlabel\ntone/tone_1.wav\ttone\n");
    assert.equal((await datasetFromPath(tsv, {})).size, 1);
    const jsonl = data.text("m.jsonl", `${JSON.stringify({ path: "tone/tone_0.wav", label: "tone" })}\n`);
    assert.equal((await datasetFromPath(jsonl, {})).size, 1);
    const other = data.text("m.txt", "tone/tone_0.wav tone\n");
    await assert.rejects(datasetFromPath(other), (e: unknown) => e instanceof TrainingDataError && /not a manifest audioclass reads; use a \.csv, \.tsv or \.jsonl manifest/.test(e.message));
    await assert.rejects(datasetFromPath(data.root, { labelColumn: "kind" }), (e: unknown) => e instanceof TrainingDataError && /labelColumn only apply to CSV\/JSONL manifests/.test(e.message));
  } finally {
    data.remove();
  }
});
