import { test } from "node:test";
import { randomFloats } from "../support/random.js";
import { f32, i64 } from "../support/run-graph.js";
import { checkModelGradients } from "./check-model-gradients.js";
import { tinyAst, tinyWav2Vec2, tinyWhisperEncoder } from "./support/tiny-models.js";

const astFeeds = { input_values: f32([2, 10, 6], randomFloats(120, 1, 1.5)) };
const audioFeeds = { input_values: f32([2, 40], randomFloats(80, 2)) };
const whisperFeeds = { input_features: f32([2, 4, 12], randomFloats(96, 3)) };
const classes = i64([2], [2, 0]);

test("AST-like model (unfused attention, Gemm linears): every parameter against central differences", async () => {
  await checkModelGradients(tinyAst(), astFeeds, { loss: "cross_entropy", labels: classes });
});

test("AST-like model with fused attention and FusedMatMul linears, label smoothing", async () => {
  await checkModelGradients(tinyAst({ fused: true, linearForm: "fused" }), astFeeds, { loss: "cross_entropy", labels: classes, labelSmoothing: 0.1 });
});

test("wav2vec2-like model: group-norm conv encoder, weight-normed positional conv, MatMul linears", async () => {
  await checkModelGradients(tinyWav2Vec2({ linearForm: "matmul" }), audioFeeds, { loss: "cross_entropy", labels: classes });
});

test("WavLM-like model: gated relative position bias (bucketed Gather, Sigmoid gates), fused attention", async () => {
  await checkModelGradients(tinyWav2Vec2({ wavlm: true, fused: true }), audioFeeds, { loss: "cross_entropy", labels: i64([2], [1, -100]) });
  await checkModelGradients(tinyWav2Vec2({ wavlm: true }), audioFeeds, { loss: "bce_with_logits", labels: f32([2, 3], [1, 0, 1, 0, 0, 1]) });
});

test("Whisper-encoder-like model: strided conv stem, learned positions, key projection without bias", async () => {
  await checkModelGradients(tinyWhisperEncoder(), whisperFeeds, { loss: "cross_entropy", labels: classes });
});

test("dropout with fed masks: the reference applies the same masks", async () => {
  await checkModelGradients(tinyWhisperEncoder({ dropout: 0.3 }), whisperFeeds, { loss: "cross_entropy", labels: classes, dropout: "mask-inputs" });
  await checkModelGradients(tinyAst({ dropout: 0.2, fused: true }), astFeeds, { loss: "bce_with_logits", labels: f32([2, 3], [0, 1, 1, 1, 0, 0]), dropout: "mask-inputs" });
});
