import { test } from "node:test";
import assert from "node:assert/strict";
import { countMatmulFlops } from "../../src/graph/index.js";
import { ModelConfig, architectureFor } from "../../src/models/index.js";
import { Weights } from "../../src/nn/index.js";
import { astFlops } from "../../bench/support/ast-flops.js";
import { AST_BASE } from "../../bench/support/full-size-models.js";
import { astParameters } from "../models/support/ast-parameters.js";
import { randomCheckpoint } from "../models/support/random-checkpoint.js";

test("astFlops (bench:peers) counts what our AST graph computes", () => {
  const small = { ...AST_BASE.config, hidden_size: 32, num_attention_heads: 2, intermediate_size: 64, num_hidden_layers: 2, max_length: 64, num_mel_bins: 32, id2label: { 0: "a", 1: "b", 2: "c" } };
  const config = new ModelConfig(small);
  const graph = architectureFor(config).build(config, Weights.from(randomCheckpoint([
    ...astParameters(small),
    { name: "classifier.layernorm.weight", shape: [32], role: "norm-weight" },
    { name: "classifier.layernorm.bias", shape: [32], role: "norm-bias" },
    { name: "classifier.dense.weight", shape: [3, 32], role: "linear" },
    { name: "classifier.dense.bias", shape: [3], role: "bias" },
  ], 1)), { fused: false });
  const flops = astFlops(small);
  assert.equal(flops.tokens, 2 * 5 + 2);
  assert.equal(countMatmulFlops(graph, { batch: 1 }).total, flops.model);
});

test("astFlops: AST-base is ~21.7 GFLOP per layer and ~261 GFLOP per clip", () => {
  const flops = astFlops(AST_BASE.config);
  assert.equal(flops.tokens, 1214);
  assert.equal(Math.round(flops.layer / 1e7), 2171);
  assert.equal(Math.round(flops.model / 1e9), 261);
});
