import { test } from "node:test";
import assert from "node:assert/strict";
import { readSafetensorsSync } from "../../src/weights/index.js";
import { decayParameterNames, isDecayParameter } from "../../src/training/optim/index.js";

const fixture = (model: string) => readSafetensorsSync(new URL(`../fixtures/hf/models/${model}/model.safetensors`, import.meta.url).pathname).names();

test("the Trainer's rule: no decay for anything named bias, layernorm, rmsnorm, a '.norm.' module or a '*_norm' module", () => {
  const excluded = [
    "classifier.dense.bias",
    "audio_spectrogram_transformer.encoder.layer.0.layernorm_before.weight",
    "classifier.layernorm.weight",
    "bert.embeddings.LayerNorm.weight", // lower-cased before matching
    "wav2vec2.encoder.layers.0.final_layer_norm.weight",
    "encoder.layers.1.self_attn_layer_norm.weight",
    "model.norm.weight",
    "norm.weight",
    "layers.0.input_rmsnorm.weight",
    "encoder.layer_norm.weight",
  ];
  const decayed = [
    "classifier.dense.weight",
    "wav2vec2.encoder.layers.0.attention.q_proj.weight",
    "encoder.conv1.weight",
    "layer_weights",
    "encoder.normalizer.weight", // 'norm' only as a whole module name
    "wav2vec2.masked_spec_embed",
  ];
  for (const name of excluded) assert.equal(isDecayParameter(name), false, name);
  for (const name of decayed) assert.equal(isDecayParameter(name), true, name);
  assert.deepEqual(decayParameterNames([...excluded, ...decayed]), decayed);
});

test("layer-norm modules with unremarkable names can be named explicitly (transformers' nn.LayerNorm type test)", () => {
  const names = ["encoder.ln.weight", "encoder.ln.bias", "encoder.lnx.weight", "encoder.fc.weight"];
  assert.deepEqual(decayParameterNames(names), ["encoder.ln.weight", "encoder.lnx.weight", "encoder.fc.weight"]);
  assert.deepEqual(decayParameterNames(names, { layerNormModules: ["encoder.ln"] }), ["encoder.lnx.weight", "encoder.fc.weight"]);
});

test("on the fixture models, exactly the weights of linear/conv/embedding layers are decayed", () => {
  for (const model of ["ast", "wav2vec2", "hubert", "wavlm", "whisper"]) {
    const names = fixture(model);
    const decayed = new Set(decayParameterNames(names));
    for (const name of names) {
      const isNormOrBias = /bias$|layernorm|layer_norm/.test(name);
      assert.equal(decayed.has(name), !isNormOrBias, `${model}: ${name}`);
    }
    assert.ok(decayed.size > 0 && decayed.size < names.length, model);
  }
});
