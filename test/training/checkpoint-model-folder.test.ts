import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ModelConfig } from "../../src/models/model-config.js";
import { readSafetensors, readSafetensorsSync } from "../../src/weights/index.js";
import { CheckpointContentError, JsonDocument, saveModelFolder } from "../../src/training/checkpoint/index.js";
import { CLASSIFICATION_FIXTURES, fixtureWeights, HF_MODELS_DIR, withTempDir } from "./checkpoint-fixtures.js";

const read = (path: string) => readFileSync(path);

test("each fixture model re-saved unchanged gives identical config.json, preprocessor_config.json and model.safetensors", async () => {
  await withTempDir(async (tmp) => {
    for (const model of [...CLASSIFICATION_FIXTURES, "clap"]) {
      const src = join(HF_MODELS_DIR, model);
      const out = join(tmp, model);
      const saved = await saveModelFolder(out, {
        config: await JsonDocument.read(join(src, "config.json")),
        featureExtractorConfig: await JsonDocument.read(join(src, "preprocessor_config.json")),
        weights: fixtureWeights(model),
      });
      assert.deepEqual(saved.files, ["config.json", "preprocessor_config.json", "model.safetensors"]);
      for (const file of saved.files) assert.ok(read(join(out, file)).equals(read(join(src, file))), `${model}/${file} differs`);
      assert.deepEqual(JSON.parse(read(join(out, "config.json")).toString()), JSON.parse(read(join(src, "config.json")).toString()));
    }
  });
});

test("from a plain config object (JSON.parse) the config is equal as JSON; labels come back through ModelConfig", async () => {
  await withTempDir(async (tmp) => {
    for (const model of CLASSIFICATION_FIXTURES) {
      const src = join(HF_MODELS_DIR, model);
      const original = JSON.parse(readFileSync(join(src, "config.json"), "utf8"));
      const out = join(tmp, model);
      await saveModelFolder(out, { config: original, weights: fixtureWeights(model), featureExtractorConfig: JSON.parse(readFileSync(join(src, "preprocessor_config.json"), "utf8")) });
      assert.deepEqual(JSON.parse(readFileSync(join(out, "config.json"), "utf8")), original, model);
      const config = await ModelConfig.fromFile(join(out, "config.json"));
      assert.deepEqual(config.labels(), new ModelConfig(original).labels());
    }
  });
});

test("a new folder: sorted keys, indent 2, string id2label keys, label2id, architectures, no num_labels; safetensors metadata {format: pt}", async () => {
  await withTempDir(async (tmp) => {
    const out = join(tmp, "m");
    const labels = ["dog", "cat", "ça", "🐦"];
    const weights = fixtureWeights("ast");
    const rows = 4 * 64;
    weights.set("classifier.dense.weight", { type: "float32", dims: [4, 64], data: new Float32Array(rows).fill(0.5) });
    weights.set("classifier.dense.bias", { type: "float32", dims: [4], data: new Float32Array(4) });
    const config = { model_type: "audio-spectrogram-transformer", hidden_size: 64, num_labels: 8, architectures: ["ASTModel"], initializer_range: 0.02 };
    await saveModelFolder(out, { config, weights, labels, featureExtractorConfig: { feature_extractor_type: "ASTFeatureExtractor", sampling_rate: 16000 } });
    const text = readFileSync(join(out, "config.json"), "utf8");
    assert.equal(
      text,
      [
        "{",
        '  "architectures": [',
        '    "ASTForAudioClassification"',
        "  ],",
        '  "hidden_size": 64,',
        '  "id2label": {',
        '    "0": "dog",',
        '    "1": "cat",',
        '    "2": "\\u00e7a",',
        '    "3": "\\ud83d\\udc26"',
        "  },",
        '  "initializer_range": 0.02,',
        '  "label2id": {',
        '    "cat": 1,',
        '    "dog": 0,',
        '    "\\u00e7a": 2,',
        '    "\\ud83d\\udc26": 3',
        "  },",
        '  "model_type": "audio-spectrogram-transformer",',
        '  "transformers_version": "4.49.0"',
        "}",
        "",
      ].join("\n"),
    );
    assert.deepEqual((await ModelConfig.fromFile(join(out, "config.json"))).labels(), labels);
    const bytes = readFileSync(join(out, "model.safetensors"));
    const headerLength = Number(bytes.readBigUInt64LE(0));
    assert.equal(headerLength % 8, 0);
    assert.ok(bytes.subarray(8, 8 + headerLength).toString("utf8").startsWith('{"__metadata__":{"format":"pt"},'));
    const file = await readSafetensors(join(out, "model.safetensors"));
    assert.deepEqual(file.metadata(), { format: "pt" });
    assert.deepEqual(file.getTensor("classifier.dense.weight").dims, [4, 64]);
    assert.deepEqual(readFileSync(join(out, "preprocessor_config.json"), "utf8"), '{\n  "feature_extractor_type": "ASTFeatureExtractor",\n  "sampling_rate": 16000\n}\n');
  });
});

test("labels and the classifier must agree; labels must be unique non-empty strings", async () => {
  await withTempDir(async (tmp) => {
    const config = await JsonDocument.read(join(HF_MODELS_DIR, "wav2vec2", "config.json"));
    const weights = fixtureWeights("wav2vec2");
    await assert.rejects(saveModelFolder(join(tmp, "a"), { config, weights, labels: ["a", "b"] }), (e: unknown) => e instanceof CheckpointContentError && /2 labels but "classifier.weight" has shape \[12, 16\]/.test(e.message));
    await assert.rejects(saveModelFolder(join(tmp, "b"), { config, weights, labels: ["a", "a"] }), /appears twice/);
    await assert.rejects(saveModelFolder(join(tmp, "c"), { config, weights, labels: [] }), /non-empty array/);
    const headless = new Map([...weights].filter(([n]) => !n.startsWith("classifier.")));
    await assert.rejects(saveModelFolder(join(tmp, "d"), { config, weights: headless }), /no "classifier.weight"/);
    assert.deepEqual(readdirSync(tmp), [], "nothing is left behind by refused saves");
  });
});

test("saving over a folder replaces it only when complete, keeps other files and drops stale weights", async () => {
  await withTempDir(async (tmp) => {
    const out = join(tmp, "model");
    const src = join(HF_MODELS_DIR, "hubert");
    const contents = { config: await JsonDocument.read(join(src, "config.json")), weights: fixtureWeights("hubert") };
    await saveModelFolder(out, contents);
    writeFileSync(join(out, "README.md"), "my model\n");
    writeFileSync(join(out, "pytorch_model.bin"), "stale");
    writeFileSync(join(out, "model-00001-of-00002.safetensors"), "stale");
    mkdirSync(join(out, "checkpoint-5"));
    writeFileSync(join(out, "checkpoint-5", "trainer_state.json"), "{}\n");
    const before = read(join(out, "config.json"));

    // A failing save (a tensor whose data does not fit its shape) leaves the folder exactly as it was.
    const broken = new Map(contents.weights);
    broken.set("classifier.bias", { type: "float32", dims: [5], data: new Float32Array(3) });
    await assert.rejects(saveModelFolder(out, { ...contents, weights: broken }), /shape \[5\]/);
    assert.deepEqual(readdirSync(tmp), ["model"]);
    assert.ok(existsSync(join(out, "pytorch_model.bin")));

    const saved = await saveModelFolder(out, { ...contents, labels: ["n", "h", "a", "s", "f"] });
    assert.deepEqual(saved.kept.sort(), ["README.md", "checkpoint-5"]);
    assert.deepEqual(readdirSync(out).sort(), ["README.md", "checkpoint-5", "config.json", "model.safetensors"]);
    assert.equal(readFileSync(join(out, "README.md"), "utf8"), "my model\n");
    assert.equal(readFileSync(join(out, "checkpoint-5", "trainer_state.json"), "utf8"), "{}\n");
    assert.ok(!read(join(out, "config.json")).equals(before));
    assert.deepEqual(readdirSync(tmp), ["model"], "no temporary or set-aside folder remains");
    assert.deepEqual(readSafetensorsSync(join(out, "model.safetensors")).names(), readSafetensorsSync(join(src, "model.safetensors")).names());
  });
});
