/**
 * A transformers.js-style folder (config.json, preprocessor_config.json, onnx/model.onnx and no
 * checkpoint weights) loads and runs as it is.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeOnnx, serializeModel } from "../../src/graph/index.js";
import { AutoModelForAudioClassification, ModelConfig, architectureFor, buildGraph } from "../../src/models/index.js";
import { Weights } from "../../src/nn/index.js";
import { pipeline } from "../../src/pipelines/index.js";
import { loadWeights } from "../../src/weights/index.js";
import { loadFloat, modelDir, readJson } from "../helpers/fixtures.js";

/** The export in `dir` loads as an ONNX model and gives the AST fixture's logits within 1e-4. */
async function assertExportMatchesFixture(dir: string): Promise<void> {
  const model = await AutoModelForAudioClassification.fromPretrained(dir, { cache: false });
  assert.equal(model.report.source, "onnx");
  const c = readJson("cases/ast/speech_16k.json");
  const logits = await model.forward({ input_values: { type: "float32", dims: c.features.input_values.shape, data: loadFloat(c.features.input_values) } });
  const expected = loadFloat(c.logits);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(logits.data[i]! - expected[i]!) < 1e-4, `logit ${i}: ${logits.data[i]} vs ${expected[i]}`);
  await model.dispose();
}

test("an onnx/model.onnx export without weights loads through AutoModel and the pipeline", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-onnx-export-"));
  try {
    const source = modelDir("ast");
    const config = await ModelConfig.fromFile(join(source, "config.json"));
    const { graph } = await buildGraph(source, config, architectureFor(config));
    mkdirSync(join(dir, "onnx"));
    writeFileSync(join(dir, "onnx", "model.onnx"), encodeOnnx(graph));
    for (const f of ["config.json", "preprocessor_config.json"]) copyFileSync(join(source, f), join(dir, f));

    await assertExportMatchesFixture(dir);

    const c = readJson("cases/ast/speech_16k.json");
    const classify = await pipeline("audio-classification", dir, { cache: false });
    const out = await classify(loadFloat(c.waveform), { topK: 3 });
    assert.deepEqual(out.map((x) => x.label), c.pipeline.find((p: { name: string }) => p.name === "top_k_3").output.map((x: { label: string }) => x.label));
    await classify.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an export whose onnx/model.onnx keeps its weights in onnx/model.onnx_data loads from its folder", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-onnx-export-"));
  try {
    const source = modelDir("ast");
    const config = await ModelConfig.fromFile(join(source, "config.json"));
    mkdirSync(join(dir, "onnx"));
    for (const f of ["config.json", "preprocessor_config.json"]) copyFileSync(join(source, f), join(dir, f));
    // A safetensors file is a valid external-data blob: tensors at offsets, the header unused.
    const data = join(dir, "onnx", "model.onnx_data");
    copyFileSync(join(source, "model.safetensors"), data);
    const weights = await loadWeights(data, { basePrefix: "audio_spectrogram_transformer", fileBacked: true });
    const tensors = new Map(weights.names().map((n) => [n, weights.getTensor(n)]));
    weights.source.close();
    const graph = architectureFor(config).build(config, Weights.from(tensors));
    const serialized = serializeModel(graph, { maxInlineBytes: 0, referenceFile: () => true });
    assert.equal(serialized.fileReferences?.files.length, 1);
    writeFileSync(join(dir, "onnx", "model.onnx"), serialized.bytes);

    await assertExportMatchesFixture(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a folder with neither weights nor an ONNX export gets an error naming what was looked for", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-empty-model-"));
  try {
    copyFileSync(join(modelDir("ast"), "config.json"), join(dir, "config.json"));
    await assert.rejects(AutoModelForAudioClassification.fromPretrained(dir, { cache: false }), /model\.safetensors/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an unknown model_type lists the supported architectures", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-unknown-model-"));
  try {
    writeFileSync(join(dir, "config.json"), JSON.stringify({ model_type: "bert", id2label: { "0": "a" } }));
    await assert.rejects(AutoModelForAudioClassification.fromPretrained(dir), (e: Error) =>
      /model_type "bert"/.test(e.message) && /audio-spectrogram-transformer/.test(e.message) && /wavlm/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
