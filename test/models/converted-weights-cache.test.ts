/**
 * dtype q8 / fp16 from a checkpoint: converted weights are cached on disk, read back on the next
 * load, converted again when the checkpoint changes; a cache that cannot be written costs nothing
 * but time. Unknown dtypes and missing export variants are typed errors.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeOnnx } from "../../src/graph/index.js";
import { AutoModelForAudioClassification, ClapModel, DEFAULT_FUSED_ATTENTION, ModelConfig, ModelFileNotFoundError, UnknownModelDTypeError, architectureFor, buildGraph, type ModelDType } from "../../src/models/index.js";
import { lowerWeightPrecision } from "../../src/runtime/index.js";
import { keepsFloatWeights } from "../../src/models/weight-precision-policy.js";
import { pipeline } from "../../src/pipelines/index.js";
import type { Tensor } from "../../src/tensor.js";
import { loadWeights, saveSafetensors } from "../../src/weights/index.js";
import { caseFiles, loadFloat, modelDir, readJson } from "../helpers/fixtures.js";

const temps: string[] = [];
after(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});
const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

/** A copy of the AST fixture model that a test may rewrite. */
function astCopy(): string {
  const dir = tempDir("audioclass-dtype-model-");
  for (const f of ["config.json", "preprocessor_config.json", "model.safetensors"]) copyFileSync(join(modelDir("ast"), f), join(dir, f));
  return dir;
}

const c = readJson(caseFiles("ast")[0]!);
const input: Record<string, Tensor> = { input_values: { type: "float32", dims: c.features.input_values.shape, data: loadFloat(c.features.input_values) } };

async function logitsOf(dir: string, dtype: ModelDType, weightsCacheDir: string | false): Promise<{ logits: Float32Array; cache: string | undefined; file: string | undefined }> {
  const model = await AutoModelForAudioClassification.fromPretrained(dir, { dtype, weightsCacheDir, cache: false, threads: 1 });
  try {
    return { logits: (await model.forward(input)).data, cache: model.report.convertedWeights?.cache, file: model.report.convertedWeights?.file };
  } finally {
    await model.dispose();
  }
}

/** The checkpoint with one encoder weight doubled, written as save_pretrained does (new file, renamed in). */
async function changeCheckpoint(dir: string): Promise<void> {
  const map = await loadWeights(dir);
  const tensors = new Map(map.names().map((n) => [n, map.getTensor(n)]));
  map.source.close();
  const name = "audio_spectrogram_transformer.encoder.layer.0.attention.attention.query.weight";
  const w = tensors.get(name)!;
  tensors.set(name, { ...w, data: Float32Array.from(w.data as Float32Array, (v) => 2 * v) });
  await saveSafetensors(join(dir, "model.safetensors"), tensors);
}

for (const dtype of ["q8", "fp16"] as const) {
  test(`${dtype}: the second load reads the cache; a checkpoint replaced or rewritten in place is converted again`, async () => {
    const dir = astCopy();
    const cacheDir = tempDir("audioclass-dtype-cache-");
    const first = await logitsOf(dir, dtype, cacheDir);
    assert.equal(first.cache, "written");
    assert.ok(first.file?.startsWith(join(cacheDir, "converted-weights")), first.file);
    const writtenAt = statSync(first.file!).mtimeMs;

    const second = await logitsOf(dir, dtype, cacheDir);
    assert.equal(second.cache, "hit");
    assert.deepEqual(second.logits, first.logits, "the cached weights are the converted ones");
    assert.equal(statSync(first.file!).mtimeMs, writtenAt, "a hit does not rewrite the cache");

    await changeCheckpoint(dir);
    const replaced = await logitsOf(dir, dtype, cacheDir);
    assert.equal(replaced.cache, "written", "the new checkpoint's weights are converted, not read from the old cache");
    assert.notDeepEqual(replaced.logits, first.logits);
    assert.deepEqual(replaced.logits, (await logitsOf(dir, dtype, false)).logits, "same as converting without a cache");
    assert.equal(readdirSync(join(cacheDir, "converted-weights")).length, 1, "one file per checkpoint and dtype, replaced");

    // Rewritten in place (same inode), e.g. by a tool that truncates and writes: size/mtime change the key.
    const original = join(modelDir("ast"), "model.safetensors");
    writeFileSync(join(dir, "model.safetensors"), new Uint8Array(statSync(original).size).fill(0));
    copyFileSync(original, join(dir, "model.safetensors"));
    const rewritten = await logitsOf(dir, dtype, cacheDir);
    assert.equal(rewritten.cache, "written");
    assert.deepEqual(rewritten.logits, first.logits, "back to the original weights");
  });
}

test("a cache that cannot be written: the model loads all the same, converted in memory", async () => {
  const notAFolder = join(tempDir("audioclass-dtype-cache-"), "file");
  writeFileSync(notAFolder, "a file where the cache folder would go");
  const blocked = await logitsOf(modelDir("ast"), "q8", notAFolder);
  assert.equal(blocked.cache, "unwritable");
  assert.deepEqual(blocked.logits, (await logitsOf(modelDir("ast"), "q8", false)).logits);
  assert.equal((await logitsOf(modelDir("ast"), "fp32", notAFolder)).cache, undefined, "fp32 never touches the cache");
});

test("CLAP: each tower has its own cache file", async () => {
  const cacheDir = tempDir("audioclass-dtype-cache-");
  const model = await ClapModel.fromPretrained(modelDir("clap"), { dtype: "q8", weightsCacheDir: cacheDir, cache: false, threads: 1 });
  try {
    const z = readJson(caseFiles("clap")[0]!).zero_shot[0];
    const ids = { type: "int64" as const, dims: z.text_inputs.input_ids.shape, data: BigInt64Array.from(loadFloat({ ...z.text_inputs.input_ids, dtype: "float32" }), (v) => BigInt(v)) };
    await model.textEmbeddings({ input_ids: ids, attention_mask: { ...ids, data: ids.data.map(() => 1n) } });
    assert.deepEqual(readdirSync(join(cacheDir, "converted-weights")).map((f) => f.split(".").slice(-3, -1).join(".")).sort(), ["clap-text.q8"]);
    const features = readJson(caseFiles("clap")[0]!).features.input_features;
    await model.audioEmbeddings({ input_features: { type: "float32", dims: features.shape, data: loadFloat(features) } });
    assert.deepEqual(readdirSync(join(cacheDir, "converted-weights")).map((f) => f.split(".").slice(-3, -1).join(".")).sort(), ["clap-audio.q8", "clap-text.q8"]);
  } finally {
    await model.dispose();
  }
});

test("an unknown dtype is a typed error listing the valid ones, before any model is looked up", async () => {
  const isDTypeError = (e: unknown): boolean =>
    e instanceof UnknownModelDTypeError && e.code === "UNKNOWN_DTYPE" && /"q4"/.test(e.message) && /"fp32", "q8", "int8", "fp16"/.test(e.message) && /4-bit/.test(e.message);
  const options = { dtype: "q4" as ModelDType, localFilesOnly: true };
  await assert.rejects(AutoModelForAudioClassification.fromPretrained("nobody/no-such-model", options), isDTypeError);
  await assert.rejects(ClapModel.fromPretrained("nobody/no-such-model", options), isDTypeError);
  await assert.rejects(pipeline("audio-classification", "nobody/no-such-model", options), isDTypeError);
  await assert.rejects(pipeline("zero-shot-audio-classification", "nobody/no-such-model", options), isDTypeError);
  await assert.rejects(AutoModelForAudioClassification.fromPretrained(modelDir("ast"), { dtype: 8 as unknown as ModelDType }), /dtype number 8 is not supported/);
});

test("an ONNX export loads the file its dtype names (model_quantized.onnx for q8), and says which one is missing", async () => {
  const source = modelDir("ast");
  const dir = tempDir("audioclass-dtype-export-");
  mkdirSync(join(dir, "onnx"));
  for (const f of ["config.json", "preprocessor_config.json"]) copyFileSync(join(source, f), join(dir, f));
  const config = await ModelConfig.fromFile(join(source, "config.json"));
  const { graph } = await buildGraph(source, config, architectureFor(config), { fused: DEFAULT_FUSED_ATTENTION });
  writeFileSync(join(dir, "onnx", "model.onnx"), encodeOnnx(graph));
  await assert.rejects(
    AutoModelForAudioClassification.fromPretrained(dir, { dtype: "q8", cache: false }),
    (e: unknown) => e instanceof ModelFileNotFoundError && e.path === join(dir, "onnx", "model_quantized.onnx") && /has only onnx\/model\.onnx/.test(e.message),
  );
  writeFileSync(join(dir, "onnx", "model_quantized.onnx"), encodeOnnx(lowerWeightPrecision(graph, { precision: "q8", keepFloat: keepsFloatWeights }).model));
  const model = await AutoModelForAudioClassification.fromPretrained(dir, { dtype: "q8", cache: false, threads: 1 });
  try {
    assert.deepEqual([model.report.source, model.report.dtype, model.session.name], ["onnx", "q8", join(dir, "onnx", "model_quantized.onnx")]);
    assert.deepEqual((await model.forward(input)).data, (await logitsOf(source, "q8", false)).logits, "the same graph as dtype q8 builds");
  } finally {
    await model.dispose();
  }
  await assert.rejects(AutoModelForAudioClassification.fromPretrained(dir, { dtype: "fp16", cache: false }), /model_fp16\.onnx/);
});
