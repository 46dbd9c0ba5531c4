// checkModelGradients pointed at the real architecture builders (src/models): AST and Whisper
// with tiny configs and random checkpoints, and the wav2vec2-family fixture checkpoints (real
// configs: feature encoder, positional conv, masks, WavLM's gated relative position bias).
import { test } from "node:test";
import { join } from "node:path";
import type { GraphModel, GraphTensor } from "../../../src/graph/index.js";
import { ModelConfig, architectureFor, buildGraph } from "../../../src/models/index.js";
import { Weights } from "../../../src/nn/index.js";
import type { Tensor } from "../../../src/tensor.js";
import { astParameters } from "../../models/support/ast-parameters.js";
import { randomCheckpoint } from "../../models/support/random-checkpoint.js";
import { whisperParameters } from "../../models/support/whisper-parameters.js";
import { randomFloats } from "../support/random.js";
import { f32, i64 } from "../support/run-graph.js";
import { checkModelGradients } from "./check-model-gradients.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "hf", "models");

/**
 * Gives parameters that are all zero (HF initialises AST's CLS/distillation tokens and position
 * embeddings so) small random values. At zero, the CLS row entering LayerNorm has zero variance
 * and with ε = 1e-12 the loss curves on a 1e-6 scale: central differences cannot resolve it there
 * (the analytic gradient, ~4e5, is what they converge to as h → 1e-7).
 */
function atGenericPoint(model: GraphModel): GraphModel {
  let seed = 500;
  const initializers = new Map<number, GraphTensor>();
  for (const [id, t] of model.initializers) {
    const zero = t.type === "float32" && model.values[id]!.kind === "parameter" && (t.data as Float32Array).every((v) => v === 0);
    initializers.set(id, zero ? { ...t, data: randomFloats(t.data.length, seed++, 0.1) } : t);
  }
  return { ...model, initializers };
}

function build(config: Record<string, unknown>, checkpoint: Map<string, Tensor<"float32">>): GraphModel {
  const model = new ModelConfig(config);
  return architectureFor(model)!.build(model, Weights.from(checkpoint));
}

async function fixture(name: string): Promise<GraphModel> {
  const dir = join(FIXTURES, name);
  const config = await ModelConfig.fromFile(join(dir, "config.json"));
  return atGenericPoint((await buildGraph(dir, config, architectureFor(config)!)).graph);
}

test("AST (src/models/ast): tiny config, random checkpoint", async () => {
  const config = {
    model_type: "audio-spectrogram-transformer", architectures: ["ASTForAudioClassification"], hidden_size: 16, num_hidden_layers: 2,
    num_attention_heads: 2, intermediate_size: 32, num_mel_bins: 16, max_length: 24, patch_size: 8, frequency_stride: 4, time_stride: 8,
    id2label: { 0: "a", 1: "b", 2: "c" },
  };
  const graph = atGenericPoint(build(config, randomCheckpoint(astParameters(config), 3)));
  await checkModelGradients(graph, { input_values: f32([2, 24, 16], randomFloats(768, 4)) }, { loss: "cross_entropy", labels: i64([2], [2, 0]), coordinatesPerParameter: 3 });
});

test("Whisper encoder classifier (src/models/whisper): tiny config with weighted layer sum", async () => {
  const config = {
    model_type: "whisper", architectures: ["WhisperForAudioClassification"], d_model: 16, encoder_layers: 2, encoder_attention_heads: 2,
    encoder_ffn_dim: 32, num_mel_bins: 8, max_source_positions: 8, classifier_proj_size: 8, use_weighted_layer_sum: true,
    id2label: { 0: "a", 1: "b", 2: "c" },
  };
  const graph = atGenericPoint(build(config, randomCheckpoint(whisperParameters(config), 5)));
  await checkModelGradients(graph, { input_features: f32([2, 8, 16], randomFloats(256, 6)) }, { loss: "bce_with_logits", labels: f32([2, 3], [1, 0, 1, 0, 1, 1]), coordinatesPerParameter: 3 });
});

/** 0.1 s of audio per example, the second one padded for its last quarter. */
function paddedAudio(): Record<string, Tensor> {
  const samples = 1600;
  const audio = randomFloats(2 * samples, 7);
  const mask = new Array<number>(2 * samples).fill(1);
  for (let i = samples + 1200; i < 2 * samples; i++) {
    audio[i] = 0;
    mask[i] = 0;
  }
  return { input_values: f32([2, samples], audio), attention_mask: i64([2, samples], mask) };
}

for (const name of ["wav2vec2", "hubert", "wavlm", "unispeech", "unispeech-sat", "sew", "sew-d", "wav2vec2-conformer-relative", "wav2vec2-conformer-rotary"]) {
  test(`${name} fixture checkpoint with a padded example`, async () => {
    await checkModelGradients(await fixture(name), paddedAudio(), { loss: "cross_entropy", labels: i64([2], [1, 0]), coordinatesPerParameter: 2 });
  });
}

test("wav2vec2-bert fixture checkpoint (stacked fbank frames, relative_key attention, causal conv) with a padded example", async () => {
  const frames = 12;
  const features = randomFloats(2 * frames * 160, 11);
  const mask = new Array<number>(2 * frames).fill(1);
  for (let t = frames + 9; t < 2 * frames; t++) mask[t] = 0;
  await checkModelGradients(await fixture("wav2vec2-bert"), { input_features: f32([2, frames, 160], features), attention_mask: i64([2, frames], mask) }, { loss: "cross_entropy", labels: i64([2], [3, 7]), coordinatesPerParameter: 2 });
});
