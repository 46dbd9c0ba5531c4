import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { ModelConfig, ModelConfigError, ModelInputError, loadAudioClassificationModel } from "../../src/models/index.js";
import { readWhisperSettings, whisperArchitecture } from "../../src/models/whisper/index.js";
import { MissingWeightError, WeightShapeError, Weights } from "../../src/nn/index.js";
import { createSession } from "../../src/runtime/index.js";
import type { Tensor } from "../../src/tensor.js";
import { loadWeights } from "../../src/weights/index.js";
import { caseFiles, loadFloat, maxAbsDiff, modelDir, readJson } from "../helpers/fixtures.js";
import { assertBatchMatchesSingles, rowSpread } from "./support/batch-consistency.js";
import { type Checkpoint, randomCheckpoint, randomFeatures, writeModelFolder } from "./support/random-checkpoint.js";
import { exampleOf } from "./support/reference-layers.js";
import { whisperParameters } from "./support/whisper-parameters.js";
import { whisperReference } from "./support/whisper-reference.js";

const FIXTURE_DIR = modelDir("whisper");
const LOGITS_ATOL = 1e-4;
const folders: string[] = [];
after(async () => {
  await Promise.all(folders.map((d) => rm(d, { recursive: true, force: true })));
});

describe("WhisperForAudioClassification: golden fixtures (transformers 4.49)", () => {
  for (const fused of [false, true]) {
    test(`every case's logits within ${LOGITS_ATOL} (fused attention: ${fused})`, async () => {
      const config = await ModelConfig.fromFile(join(FIXTURE_DIR, "config.json"));
      const model = await loadAudioClassificationModel(FIXTURE_DIR, config, whisperArchitecture, { fused, cache: false, threads: 1 });
      try {
        assert.deepEqual(model.inputNames, ["input_features"]);
        assert.deepEqual(model.report.unusedWeights, [], "every checkpoint parameter is used");
        let checked = 0;
        for (const file of caseFiles("whisper")) {
          const c = readJson(file);
          const runs = [{ features: c.features, logits: c.logits, what: "features" }];
          if (c.dict_input?.features !== undefined) runs.push({ features: c.dict_input.features, logits: c.dict_input.logits, what: "dict_input" });
          for (const run of runs) {
            const ref = run.features.input_features;
            const input: Tensor<"float32"> = { type: "float32", dims: ref.shape, data: loadFloat(ref) };
            whisperArchitecture.checkInputs(config, { input_features: input });
            const logits = await model.forward({ input_features: input });
            assert.deepEqual(logits.dims, run.logits.shape);
            const diff = maxAbsDiff(logits.data, loadFloat(run.logits));
            assert.ok(diff <= LOGITS_ATOL, `${file} (${run.what}): max abs diff ${diff}`);
            checked++;
          }
        }
        assert.ok(checked >= 11, `checked ${checked} feature sets`);
      } finally {
        await model.dispose();
      }
    });
  }

  test("the parameter generator reproduces the fixture checkpoint's names and shapes", async () => {
    const raw = readJson("models/whisper/config.json");
    const map = await loadWeights(FIXTURE_DIR);
    try {
      const actual = new Map(map.names().map((n) => [n, [...map.getTensor(n).dims]]));
      const generated = new Map(whisperParameters(raw).map((p) => [p.name, [...p.shape]]));
      assert.deepEqual([...generated.keys()].sort(), [...actual.keys()].sort());
      for (const [name, shape] of generated) assert.deepEqual(shape, actual.get(name), name);
    } finally {
      map.source.close();
    }
  });
});

function tinyConfig(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    model_type: "whisper",
    architectures: ["WhisperForAudioClassification"],
    d_model: 32,
    encoder_layers: 1,
    encoder_attention_heads: 2,
    encoder_ffn_dim: 64,
    num_mel_bins: 80,
    max_source_positions: 20,
    classifier_proj_size: 16,
    id2label: { 0: "a", 1: "b", 2: "c" },
    ...overrides,
  };
}

const VARIANTS: Record<string, Record<string, unknown>> = {
  "use_weighted_layer_sum, 2 layers, 4 heads": { use_weighted_layer_sum: true, encoder_layers: 2, encoder_attention_heads: 4, max_source_positions: 30 },
  "128 mel bins, 50 positions, 3 layers, 1 head, relu, projector 8": {
    num_mel_bins: 128, max_source_positions: 50, encoder_layers: 3, encoder_attention_heads: 1, activation_function: "relu", classifier_proj_size: 8,
  },
  "weighted sum over 0 layers (embeddings + final norm), gelu_new, width 24 × 3 heads, 5 labels": {
    use_weighted_layer_sum: true, encoder_layers: 0, d_model: 24, encoder_attention_heads: 3, encoder_ffn_dim: 40, activation_function: "gelu_new", id2label: undefined, num_labels: 5,
  },
};

async function tinyModel(config: Record<string, unknown>, seed: number): Promise<string> {
  const dir = await writeModelFolder(JSON.parse(JSON.stringify(config)), randomCheckpoint(whisperParameters(config), seed), "audioclass-whisper-");
  folders.push(dir);
  return dir;
}

describe("WhisperForAudioClassification: other configs", () => {
  let seed = 200;
  for (const [what, overrides] of Object.entries(VARIANTS)) {
    test(`${what}: shapes, batch of 3 = 3 single runs`, async () => {
      const config = tinyConfig(overrides);
      const s = readWhisperSettings(new ModelConfig(config));
      const dir = await tinyModel(config, seed++);
      const model = await loadAudioClassificationModel(dir, await ModelConfig.fromFile(join(dir, "config.json")), whisperArchitecture, { cache: false, threads: 1 });
      try {
        assert.equal(model.numLabels, s.numLabels);
        assert.deepEqual(model.report.unusedWeights, []);
        const logits = await assertBatchMatchesSingles(model, "input_features", randomFeatures([3, s.numMelBins, 2 * s.maxSourcePositions], seed++));
        assert.ok(rowSpread(logits, s.numLabels, 0, 1) > 1e-3, "different inputs give different logits");
      } finally {
        await model.dispose();
      }
    });
  }

  for (const weighted of [false, true]) {
    test(`a 1-layer model${weighted ? " with use_weighted_layer_sum" : ""} matches an independent float64 JavaScript forward pass within 1e-5`, async () => {
      // scale_embedding is set to show it has no effect: WhisperEncoder never applies embed_scale
      const config = tinyConfig({ use_weighted_layer_sum: weighted, num_mel_bins: 16, max_source_positions: 12, scale_embedding: true });
      const checkpoint = randomCheckpoint(whisperParameters(config), weighted ? 11 : 12);
      const graph = whisperArchitecture.build(new ModelConfig(config), Weights.from(checkpoint));
      const session = await createSession(graph, { threads: 1 });
      try {
        const features = randomFeatures([2, 16, 24], 13, 1.5);
        const out = await session.run({ input_features: features });
        const logits = out["logits"]!.data as Float32Array;
        for (let b = 0; b < 2; b++) {
          const expected = whisperReference(config, checkpoint, exampleOf(features, b));
          const diff = maxAbsDiff(logits.subarray(b * 3, b * 3 + 3), expected);
          assert.ok(diff <= 1e-5, `example ${b}: max abs diff ${diff}`);
        }
        assert.ok(Math.max(...Array.from(logits, Math.abs)) > 0.1, "logits are not trivially small");
      } finally {
        await session.dispose();
      }
    });
  }
});

describe("WhisperForAudioClassification: typed errors", () => {
  const config = tinyConfig({ use_weighted_layer_sum: true, encoder_layers: 2 });
  const specs = whisperParameters(config);
  const build = (checkpoint: Checkpoint, raw: Record<string, unknown> = config) => whisperArchitecture.build(new ModelConfig(raw), Weights.from(checkpoint));

  for (const name of ["encoder.layers.1.fc2.bias", "encoder.embed_positions.weight", "layer_weights", "projector.weight"]) {
    test(`a missing ${name} is named (MissingWeightError)`, () => {
      const checkpoint = randomCheckpoint(specs, 1);
      checkpoint.delete(name);
      assert.throws(() => build(checkpoint), (e: unknown) => e instanceof MissingWeightError && e.weightName === name && e.message.includes(name));
    });
  }

  test("a missing parameter is named through the loader too", async () => {
    const checkpoint = randomCheckpoint(specs, 2);
    checkpoint.delete("encoder.layers.0.self_attn.q_proj.weight");
    const dir = await writeModelFolder(config, checkpoint, "audioclass-whisper-");
    folders.push(dir);
    await assert.rejects(
      loadAudioClassificationModel(dir, new ModelConfig(config), whisperArchitecture, { cache: false }),
      (e: unknown) => e instanceof MissingWeightError && e.weightName === "encoder.layers.0.self_attn.q_proj.weight",
    );
  });

  for (const [name, dims] of [
    ["encoder.embed_positions.weight", [40, 32]],
    ["encoder.conv1.weight", [32, 128, 3]],
    ["encoder.conv2.weight", [32, 32, 5]],
    ["encoder.layers.0.self_attn.k_proj.weight", [16, 32]],
    ["encoder.layers.1.fc1.weight", [48, 32]],
    ["layer_weights", [2]],
    ["projector.weight", [8, 32]],
    ["classifier.weight", [4, 16]],
  ] as [string, number[]][]) {
    test(`a misshaped ${name} is named (WeightShapeError)`, () => {
      const checkpoint = randomCheckpoint(specs, 3);
      checkpoint.set(name, { type: "float32", dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)) });
      assert.throws(() => build(checkpoint), (e: unknown) => e instanceof WeightShapeError && e.weightName === name);
    });
  }

  test("a speech-recognition checkpoint (model.encoder.*, model.decoder.*) is refused with a ModelConfigError", async () => {
    const checkpoint: Checkpoint = new Map();
    for (const [name, t] of randomCheckpoint(specs, 4)) if (name.startsWith("encoder.")) checkpoint.set(`model.${name}`, t);
    checkpoint.set("model.decoder.embed_tokens.weight", { type: "float32", dims: [4, 32], data: new Float32Array(128) });
    checkpoint.set("proj_out.weight", { type: "float32", dims: [4, 32], data: new Float32Array(128) });
    const refused = (e: unknown) => e instanceof ModelConfigError && /speech-recognition/.test(e.message) && /classifier/.test(e.message);
    assert.throws(() => build(checkpoint), refused);
    const dir = await writeModelFolder(config, checkpoint, "audioclass-whisper-");
    folders.push(dir);
    await assert.rejects(loadAudioClassificationModel(dir, new ModelConfig(config), whisperArchitecture, { cache: false }), refused);
  });

  test("bad configs give ModelConfigError naming the key", () => {
    const checkpoint = randomCheckpoint(specs, 5);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ encoder_attention_heads: 5 }, /"d_model" 32 is not a multiple of "encoder_attention_heads" 5/],
      [{ activation_function: "gelu_fancy" }, /"activation_function" must be one of/],
      [{ max_source_positions: 0 }, /"max_source_positions" must be an integer ≥ 1/],
      [{ use_weighted_layer_sum: "yes" }, /"use_weighted_layer_sum" must be true or false/],
    ];
    for (const [overrides, message] of cases) {
      assert.throws(() => build(checkpoint, tinyConfig(overrides)), (e: unknown) => e instanceof ModelConfigError && message.test(e.message), JSON.stringify(overrides));
    }
  });

  test("input checks quote transformers and point to the WhisperFeatureExtractor (ModelInputError)", () => {
    const c = new ModelConfig(config);
    whisperArchitecture.checkInputs(c, { input_features: randomFeatures([2, 80, 40], 1) });
    const cases: [Record<string, Tensor>, RegExp][] = [
      [{ input_features: randomFeatures([1, 80, 30], 1) }, /Whisper expects the mel input features to be of length 40, but found 30\. Make sure to pad the input mel features to 40\./],
      [{ input_features: randomFeatures([1, 128, 40], 1) }, /128 mel bins .* num_mel_bins=80/],
      [{ input_features: randomFeatures([80, 40], 1) }, /shape \[batch, 80, 40\]/],
      [{ input_values: randomFeatures([1, 80, 40], 1) }, /needs "input_features"/],
      [{ input_features: { type: "float64", dims: [1, 80, 40], data: new Float64Array(3200) } }, /must be float32/],
    ];
    for (const [features, message] of cases) {
      assert.throws(() => whisperArchitecture.checkInputs(c, features), (e: unknown) => e instanceof ModelInputError && message.test(e.message) && e.message.includes("WhisperFeatureExtractor"));
    }
  });
});
