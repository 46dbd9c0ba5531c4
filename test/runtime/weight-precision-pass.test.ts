import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GraphBuilder, type GraphModel, type GraphTensor, opCounts } from "../../src/graph/index.js";
import { createSession, lowerWeightPrecision, precisionSessionOptions } from "../../src/runtime/index.js";
import type { Tensor } from "../../src/tensor.js";
import { decodeFields } from "../graph/support/proto-decoder.js";
import { randomFloats } from "../graph/support/random.js";
import { assertClose, f32, runModel, toArr } from "../graph/support/run-graph.js";

/** One of each product form the q8 rewrite recognises, plus an activation × activation MatMul it must leave alone. */
function productForms(): GraphModel {
  const g = new GraphBuilder({ name: "forms" });
  const x = g.input("x", "float32", ["batch", 16]);
  const w = (name: string, dims: number[], seed: number) => g.initializer(name, f32(dims, randomFloats(dims[0]! * dims[1]!, seed, 0.3)));
  const gemm = g.gemm(x, w("gemm.weight", [16, 16], 1), g.initializer("gemm.bias", f32([16], randomFloats(16, 2))), { transB: true });
  const gemmInOut = g.gemm(gemm, w("gemm_kn.weight", [16, 16], 3), g.initializer("gemm_kn.bias", f32([1, 16], randomFloats(16, 4))));
  const viaTranspose = g.matMul(gemmInOut, g.transpose(w("t.weight", [16, 16], 5), [1, 0]));
  const plain = g.matMul(viaTranspose, w("mm.weight", [16, 16], 6));
  const fused = g.fusedMatMul(plain, w("fused.weight", [16, 16], 7), { transB: true });
  const head = g.gemm(fused, w("head.weight", [4, 16], 8), undefined, { transB: true });
  const activations = g.matMul(g.unsqueeze(head, [2]), g.unsqueeze(head, [1]));
  g.output("y", activations);
  return g.build({ metadata: { kind: "test" } });
}

test("q8: every product with a weight becomes DynamicQuantizeMatMul, the activation product stays, results stay close", async () => {
  const model = productForms();
  const result = lowerWeightPrecision(model, { precision: "q8" });
  const counts = opCounts(result.model);
  assert.equal(counts["com.microsoft.DynamicQuantizeMatMul"], 6);
  assert.equal(counts["MatMul"], 1, "x·xᵀ of activations is not a weight product");
  assert.equal(counts["Gemm"], undefined);
  assert.equal(counts["Transpose"], undefined, "the Transpose of a quantized weight is gone");
  assert.equal(counts["Add"], 1, "a [1, N] bias is added after the kernel, a [N] bias inside it");
  const floatWeights = result.model.values.filter((v) => v.name.endsWith(".weight") && result.model.initializers.get(v.id)?.type === "float32");
  assert.deepEqual(floatWeights, [], "no float32 weight is left");
  assert.equal(result.converted.size, 12, "int8 values and scales for the six weights");
  assert.deepEqual(result.model.metadata, { kind: "test" });
  const feeds = { x: f32([3, 16], randomFloats(48, 9)) };
  const [exact, quantized] = [await runModel(model, feeds), await runModel(result.model, feeds)];
  // 7-bit weights and uint8 activations through six products: a few percent of the output scale.
  const scale = Math.max(...Array.from(exact.y!.data as Float32Array, Math.abs));
  assertClose(quantized.y!, toArr(exact.y!), { atol: 0.03 * scale });
});

test("q8: keepFloat keeps a node's weight float32; precomputed tensors are used instead of quantizing again", () => {
  const model = productForms();
  const keep = lowerWeightPrecision(model, { precision: "q8", keepFloat: (node) => node.inputs.some((id) => id !== null && model.values[id]!.name === "head.weight") });
  assert.deepEqual(keep.keptFloat, ["head.weight"]);
  assert.equal(opCounts(keep.model)["Gemm"], 1);
  const first = lowerWeightPrecision(model, { precision: "q8" });
  const asked: string[] = [];
  const released: GraphTensor[] = [];
  const second = lowerWeightPrecision(model, {
    precision: "q8",
    precomputed: (name) => (asked.push(name), first.converted.get(name)),
    release: (t) => released.push(t),
  });
  assert.equal(second.reused, first.converted.size);
  assert.equal(released.length, 0, "nothing was read to convert");
  assert.ok(asked.includes("gemm.weight:q8:out-in") && asked.includes("mm.weight:q8:in-out:scale"));
  for (const [name, tensor] of second.converted) assert.equal(tensor, first.converted.get(name), name);
});

test("fp16: matrices are stored as float16 and widened by one Cast each; vectors and small weights stay float32", async () => {
  const g = new GraphBuilder({ name: "half" });
  const x = g.input("x", "float32", ["batch", 32]);
  const big = g.initializer("big.weight", f32([64, 32], randomFloats(2048, 1, 0.2)));
  const small = g.initializer("small.weight", f32([8, 8], randomFloats(64, 2)));
  const bias = g.initializer("big.bias", f32([64], randomFloats(64, 3)));
  const h = g.gemm(x, big, bias, { transB: true });
  g.output("y", g.add(g.matMul(g.relu(h), big), x));
  g.output("z", g.matMul(g.reshape(x, [-1, 4, 8]), small));
  const model = g.build();
  const result = lowerWeightPrecision(model, { precision: "fp16" });
  assert.deepEqual([...result.converted.keys()], ["big.weight:fp16"]);
  assert.equal(opCounts(result.model)["Cast"], 1, "two readers, one Cast");
  const names = result.model.values.filter((v) => result.model.initializers.has(v.id)).map((v) => v.name);
  assert.ok(names.includes("big.bias") && names.includes("small.weight") && !names.includes("big.weight"));
  assert.deepEqual(precisionSessionOptions(result), { constantFoldingLimitBytes: 64 * 32 * 4 - 1, disabledOptimizers: ["FuseFp16InitializerToFp32NodeTransformer"] });
  const feeds = { x: f32([2, 32], randomFloats(64, 4)) };
  const [exact, halved] = [await runModel(model, feeds), await runModel(result.model, feeds)];
  assertClose(halved.y!, toArr(exact.y!), { atol: 2e-3 });
  assertClose(halved.z!, toArr(exact.z!), { atol: 0 });
});

test("fp16: with precisionSessionOptions ORT keeps the half weight and its Cast instead of folding them into float32", async () => {
  const g = new GraphBuilder({ name: "fold" });
  const x = g.input("x", "float32", ["batch", 64]);
  g.output("y", g.gemm(x, g.initializer("w", f32([64, 64], randomFloats(4096, 5))), undefined, { transB: true }));
  const result = lowerWeightPrecision(g.build(), { precision: "fp16" });
  const dir = mkdtempSync(join(tmpdir(), "audioclass-fold-"));
  try {
    const optimized = async (options: object): Promise<{ casts: number; halfWeights: number }> => {
      const path = join(dir, `optimized-${Object.keys(options).length}.onnx`);
      await (await createSession(result.model, { threads: 1, optimizedModelPath: path, ...options })).dispose();
      // ModelProto.graph = 7; GraphProto.node = 1, .initializer = 5; NodeProto.op_type = 4; TensorProto.data_type = 2
      const graph = decodeFields(decodeFields(readFileSync(path)).find((f) => f.field === 7)!.bytes!);
      const nodes = graph.filter((f) => f.field === 1).map((f) => new TextDecoder().decode(decodeFields(f.bytes!).find((x) => x.field === 4)!.bytes));
      const types = graph.filter((f) => f.field === 5).map((f) => Number(decodeFields(f.bytes!).find((x) => x.field === 2)!.varint));
      return { casts: nodes.filter((op) => op === "Cast").length, halfWeights: types.filter((t) => t === 10).length };
    };
    assert.deepEqual(await optimized(precisionSessionOptions(result)), { casts: 1, halfWeights: 1 });
    assert.deepEqual(await optimized({}), { casts: 0, halfWeights: 0 }, "without them ORT widens the weight at load");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("q8 leaves a graph without weight products unchanged in meaning", async () => {
  const g = new GraphBuilder({ name: "none" });
  const x = g.input("x", "float32", [2, 3]);
  g.output("y", g.matMul(x, g.transpose(x, [1, 0])));
  const model = g.build();
  const result = lowerWeightPrecision(model, { precision: "q8" });
  assert.deepEqual(opCounts(result.model), opCounts(model));
  assert.equal(result.converted.size, 0);
  const feeds: Record<string, Tensor> = { x: f32([2, 3], [1, 2, 3, 4, 5, 6]) };
  assert.deepEqual(Array.from((await runModel(result.model, feeds)).y!.data as Float32Array), [14, 32, 32, 77]);
});
