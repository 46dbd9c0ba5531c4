import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { ModelConfig, ModelConfigError, ModelInputError, loadAudioClassificationModel } from "../../src/models/index.js";
import { astArchitecture, readAstSettings } from "../../src/models/ast/index.js";
import { MissingWeightError, WeightShapeError, Weights } from "../../src/nn/index.js";
import { createSession } from "../../src/runtime/index.js";
import type { Tensor } from "../../src/tensor.js";
import { loadWeights } from "../../src/weights/index.js";
import { caseFiles, loadFloat, maxAbsDiff, modelDir, readJson } from "../helpers/fixtures.js";
import { astParameters } from "./support/ast-parameters.js";
import { assertBatchMatchesSingles, rowSpread } from "./support/batch-consistency.js";
import { astReference } from "./support/ast-reference.js";
import { type Checkpoint, randomCheckpoint, randomFeatures, writeModelFolder } from "./support/random-checkpoint.js";
import { exampleOf } from "./support/reference-layers.js";

const FIXTURE_DIR = modelDir("ast");
const LOGITS_ATOL = 1e-4;
const folders: string[] = [];
after(async () => {
  await Promise.all(folders.map((d) => rm(d, { recursive: true, force: true })));
});

function featureTensor(ref: { shape: number[] } & Parameters<typeof loadFloat>[0]): Tensor<"float32"> {
  return { type: "float32", dims: ref.shape, data: loadFloat(ref) };
}

describe("ASTForAudioClassification: golden fixtures (transformers 4.49)", () => {
  for (const fused of [false, true]) {
    test(`every case's logits within ${LOGITS_ATOL} (fused attention: ${fused})`, async () => {
      const config = await ModelConfig.fromFile(join(FIXTURE_DIR, "config.json"));
      const model = await loadAudioClassificationModel(FIXTURE_DIR, config, astArchitecture, { fused, cache: false, threads: 1 });
      try {
        assert.deepEqual(model.inputNames, ["input_values"]);
        assert.deepEqual(model.report.unusedWeights, [], "every checkpoint parameter is used");
        let checked = 0;
        for (const file of caseFiles("ast")) {
          const c = readJson(file);
          const runs = [{ features: c.features, logits: c.logits, what: "features" }];
          if (c.dict_input?.features !== undefined) runs.push({ features: c.dict_input.features, logits: c.dict_input.logits, what: "dict_input" });
          for (const run of runs) {
            const input = featureTensor(run.features.input_values);
            astArchitecture.checkInputs(config, { input_values: input });
            const logits = await model.forward({ input_values: input });
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
    const raw = readJson("models/ast/config.json");
    const map = await loadWeights(FIXTURE_DIR);
    try {
      const actual = new Map(map.names().map((n) => [n, [...map.getTensor(n).dims]]));
      const generated = new Map(astParameters(raw).map((p) => [p.name, [...p.shape]]));
      assert.deepEqual([...generated.keys()].sort(), [...actual.keys()].sort());
      for (const [name, shape] of generated) assert.deepEqual(shape, actual.get(name), name);
    } finally {
      map.source.close();
    }
  });
});

describe("ASTForAudioClassification: patch grid (transformers' get_shape)", () => {
  test("AudioSet defaults: 12 × 101 patches; strides 16/16: 8 × 64; mixed strides", () => {
    const grid = (raw: Record<string, unknown>) => {
      const s = readAstSettings(new ModelConfig({ model_type: "audio-spectrogram-transformer", ...raw }));
      return [s.frequencyPatches, s.timePatches];
    };
    assert.deepEqual(grid({}), [12, 101]);
    assert.deepEqual(grid({ frequency_stride: 16, time_stride: 16 }), [8, 64]);
    assert.deepEqual(grid({ num_mel_bins: 64, max_length: 100, frequency_stride: 10, time_stride: 16 }), [5, 6]);
    assert.deepEqual(grid({ num_mel_bins: 16, max_length: 16 }), [1, 1]);
  });
});

function tinyConfig(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    model_type: "audio-spectrogram-transformer",
    architectures: ["ASTForAudioClassification"],
    hidden_size: 32,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 64,
    num_mel_bins: 64,
    max_length: 100,
    id2label: { 0: "a", 1: "b", 2: "c", 3: "d" },
    ...overrides,
  };
}

const VARIANTS: Record<string, Record<string, unknown>> = {
  "64 mel bins, 100 frames, 1 layer, 2 heads (5 × 9 patches)": {},
  "strides 16/16, 3 layers, 4 heads, width 48, gelu_new, no qkv bias": {
    num_mel_bins: 128, max_length: 128, frequency_stride: 16, time_stride: 16, num_hidden_layers: 3, num_attention_heads: 4, hidden_size: 48, intermediate_size: 96, hidden_act: "gelu_new", qkv_bias: false,
  },
  "patch 8, strides 10/6, 8 heads, relu, eps 1e-6, num_labels without id2label": {
    patch_size: 8, num_mel_bins: 40, max_length: 64, frequency_stride: 10, time_stride: 6, num_hidden_layers: 2, num_attention_heads: 8, hidden_size: 64, hidden_act: "relu", layer_norm_eps: 1e-6, id2label: undefined, num_labels: 3,
  },
};

async function tinyModel(config: Record<string, unknown>, seed: number): Promise<{ dir: string; checkpoint: Checkpoint }> {
  const checkpoint = randomCheckpoint(astParameters(config), seed);
  const dir = await writeModelFolder(JSON.parse(JSON.stringify(config)), checkpoint, "audioclass-ast-");
  folders.push(dir);
  return { dir, checkpoint };
}

describe("ASTForAudioClassification: other configs", () => {
  let seed = 100;
  for (const [what, overrides] of Object.entries(VARIANTS)) {
    test(`${what}: shapes, batch of 3 = 3 single runs`, async () => {
      const config = tinyConfig(overrides);
      const s = readAstSettings(new ModelConfig(config));
      const { dir } = await tinyModel(config, seed++);
      const model = await loadAudioClassificationModel(dir, await ModelConfig.fromFile(join(dir, "config.json")), astArchitecture, { cache: false, threads: 1 });
      try {
        assert.equal(model.numLabels, s.numLabels);
        assert.deepEqual(model.report.unusedWeights, []);
        const logits = await assertBatchMatchesSingles(model, "input_values", randomFeatures([3, s.maxLength, s.numMelBins], seed++));
        assert.ok(rowSpread(logits, s.numLabels, 0, 1) > 1e-3, "different inputs give different logits");
      } finally {
        await model.dispose();
      }
    });
  }

  test("a 1-layer model matches an independent float64 JavaScript forward pass within 1e-5", async () => {
    // unequal strides (3 × 9 patches): swapping time and frequency anywhere would show
    const config = tinyConfig({ max_length: 48, num_mel_bins: 32, time_stride: 4, frequency_stride: 8 });
    const checkpoint = randomCheckpoint(astParameters(config), 7);
    const graph = astArchitecture.build(new ModelConfig(config), Weights.from(checkpoint));
    const session = await createSession(graph, { threads: 1 });
    try {
      const features = randomFeatures([2, 48, 32], 8, 2);
      const out = await session.run({ input_values: features });
      const logits = out["logits"]!.data as Float32Array;
      for (let b = 0; b < 2; b++) {
        const expected = astReference(config, checkpoint, exampleOf(features, b));
        const diff = maxAbsDiff(logits.subarray(b * 4, b * 4 + 4), expected);
        assert.ok(diff <= 1e-5, `example ${b}: max abs diff ${diff}`);
      }
      assert.ok(Math.max(...Array.from(logits, Math.abs)) > 0.1, "logits are not trivially small");
    } finally {
      await session.dispose();
    }
  });
});

describe("ASTForAudioClassification: typed errors", () => {
  const config = tinyConfig({});
  const specs = astParameters(config);
  const build = (checkpoint: Checkpoint, raw: Record<string, unknown> = config) => astArchitecture.build(new ModelConfig(raw), Weights.from(checkpoint));

  test("a missing parameter is named (MissingWeightError), also through the loader", async () => {
    const name = "audio_spectrogram_transformer.encoder.layer.0.attention.attention.key.weight";
    const checkpoint = randomCheckpoint(specs, 1);
    checkpoint.delete(name);
    assert.throws(() => build(checkpoint), (e: unknown) => e instanceof MissingWeightError && e.weightName === name && e.message.includes(name));
    const dir = await writeModelFolder(config, checkpoint, "audioclass-ast-");
    folders.push(dir);
    await assert.rejects(loadAudioClassificationModel(dir, new ModelConfig(config), astArchitecture, { cache: false }), (e: unknown) => e instanceof MissingWeightError && e.weightName === name);
  });

  for (const [name, dims] of [
    ["audio_spectrogram_transformer.embeddings.position_embeddings", [1, 46, 32]],
    ["audio_spectrogram_transformer.embeddings.patch_embeddings.projection.weight", [32, 1, 8, 8]],
    ["audio_spectrogram_transformer.encoder.layer.0.intermediate.dense.weight", [48, 32]],
    ["audio_spectrogram_transformer.encoder.layer.0.attention.attention.query.weight", [16, 32]],
    ["audio_spectrogram_transformer.layernorm.weight", [31]],
    ["classifier.dense.weight", [5, 32]],
  ] as [string, number[]][]) {
    test(`a misshaped ${name.split(".").slice(-3).join(".")} is named (WeightShapeError)`, () => {
      const checkpoint = randomCheckpoint(specs, 2);
      checkpoint.set(name, { type: "float32", dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)) });
      assert.throws(() => build(checkpoint), (e: unknown) => e instanceof WeightShapeError && e.weightName === name);
    });
  }

  test("bad configs give ModelConfigError naming the key", () => {
    const checkpoint = randomCheckpoint(specs, 3);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ num_attention_heads: 3 }, /"hidden_size" 32 is not a multiple of "num_attention_heads" 3/],
      [{ hidden_act: "swishy" }, /"hidden_act" must be one of .*"gelu"/],
      [{ num_mel_bins: 8 }, /"num_mel_bins" 8 is smaller than "patch_size" 16/],
      [{ time_stride: 0 }, /"time_stride" must be an integer ≥ 1/],
      [{ max_length: "100" }, /"max_length" must be an integer/],
    ];
    for (const [overrides, message] of cases) {
      assert.throws(() => build(checkpoint, tinyConfig(overrides)), (e: unknown) => e instanceof ModelConfigError && message.test(e.message), JSON.stringify(overrides));
    }
  });

  test("input checks say what the feature extractor should produce (ModelInputError)", () => {
    const c = new ModelConfig(config);
    astArchitecture.checkInputs(c, { input_values: randomFeatures([2, 100, 64], 1) });
    const cases: [Record<string, Tensor>, RegExp][] = [
      [{ input_values: randomFeatures([1, 1024, 64], 1) }, /1024 frames .* max_length=100/],
      [{ input_values: randomFeatures([1, 100, 128], 1) }, /128 mel bins .* num_mel_bins=64/],
      [{ input_values: randomFeatures([100, 64], 1) }, /shape \[batch, 100, 64\]/],
      [{ input_features: randomFeatures([1, 100, 64], 1) }, /needs "input_values"/],
      [{ input_values: { type: "float64", dims: [1, 100, 64], data: new Float64Array(6400) } }, /must be float32/],
    ];
    for (const [features, message] of cases) {
      assert.throws(() => astArchitecture.checkInputs(c, features), (e: unknown) => e instanceof ModelInputError && message.test(e.message) && e.message.includes("ASTFeatureExtractor"));
    }
  });
});
