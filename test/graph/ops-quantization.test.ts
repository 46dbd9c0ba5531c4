import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, MICROSOFT_DOMAIN, ShapeError, DTypeError } from "../../src/graph/index.js";
import type { Tensor } from "../../src/tensor.js";
import { randomFloats, randomInts } from "./support/random.js";
import { matmul } from "./support/reference.js";
import { f32, runModel, toArr } from "./support/run-graph.js";

const int8 = (dims: number[], values: number[]): Tensor<"int8"> => ({ type: "int8", dims, data: Int8Array.from(values) });

test("DynamicQuantizeMatMul: A · (B · scale) + bias within the error of A's per-tensor uint8 quantization", async () => {
  const [k, n] = [8, 5];
  const g = new GraphBuilder({ name: "dqmm" });
  const a = g.input("a", "float32", ["batch", 3, k]);
  // 7-bit values: exact on every CPU (no int16 saturation in ORT's AVX2 kernel).
  const b = int8([k, n], randomInts(k * n, 1, -63, 64));
  const scale = f32([n], randomFloats(n, 2, 0.05).map(Math.abs));
  const bias = f32([n], randomFloats(n, 3));
  const y = g.op("DynamicQuantizeMatMul", [a, g.initializer("b", b), g.initializer("scale", scale), null, g.initializer("bias", bias)], {}, { domain: MICROSOFT_DOMAIN })[0]!;
  assert.deepEqual(y.shape, ["batch", 3, n]);
  g.output("y", y);
  const feeds = { a: f32([2, 3, k], randomFloats(2 * 3 * k, 4)) };
  const out = (await runModel(g.build(), feeds)).y!;
  const weights = { dims: [k, n], data: Array.from(b.data, (v, i) => v * scale.data[i % n]!) };
  const exact = matmul(toArr(feeds.a), weights);
  // A is quantized with step (max(A, 0) − min(A, 0)) / 255: each product row errs by at most step/2 · Σ|w|.
  const values = Array.from(feeds.a.data);
  const step = (Math.max(0, ...values) - Math.min(0, ...values)) / 255;
  for (let i = 0; i < exact.data.length; i++) {
    const col = i % n;
    let bound = 0;
    for (let r = 0; r < k; r++) bound += Math.abs(weights.data[r * n + col]!);
    const expected = exact.data[i]! + bias.data[col]!;
    assert.ok(Math.abs(Number(out.data[i]) - expected) <= (step / 2) * bound + 1e-5, `element ${i}: ${out.data[i]} vs ${expected} (bound ${(step / 2) * bound})`);
  }
});

test("DynamicQuantizeLinear + MatMulInteger: the int32 product of the quantized A (minus its zero point) and B, exactly", async () => {
  const g = new GraphBuilder({ name: "mmi" });
  const a = g.input("a", "float32", [4, 6]);
  const b = int8([6, 3], randomInts(18, 5, -63, 64)); // 7-bit: exact on every CPU
  const [q, scale, zero] = g.op("DynamicQuantizeLinear", [a]);
  assert.deepEqual([q!.dtype, scale!.shape, zero!.dtype], ["uint8", [], "uint8"]);
  g.output("q", q!);
  g.output("zero", zero!);
  g.output("product", g.op("MatMulInteger", [q!, g.initializer("b", b), zero!])[0]!);
  const out = await runModel(g.build(), { a: f32([4, 6], randomFloats(24, 6)) });
  const z = Number(out.zero!.data[0]);
  const centred = { dims: [4, 6], data: Array.from(out.q!.data as Uint8Array, (v) => v - z) };
  assert.equal(out.product!.type, "int32");
  assert.deepEqual(Array.from(out.product!.data as Int32Array), matmul(centred, { dims: [6, 3], data: Array.from(b.data) }).data);
});

test("quantized products refuse what ORT would reject: a 3-D weight, a scale per row, a float B, a wrong bias", () => {
  const g = new GraphBuilder({ name: "bad" });
  const a = g.input("a", "float32", [2, 4]);
  const scale3 = g.initializer("s3", f32([3], [1, 1, 1]));
  const dqmm = (b: Tensor, s = scale3, bias?: Tensor) =>
    g.op("DynamicQuantizeMatMul", [a, g.constant(b), s, null, bias ? g.constant(bias) : null], {}, { domain: MICROSOFT_DOMAIN });
  assert.throws(() => dqmm(int8([1, 4, 3], new Array(12).fill(1))), ShapeError);
  assert.throws(() => dqmm(int8([4, 3], new Array(12).fill(1)), g.initializer("s4", f32([4], [1, 1, 1, 1]))), (e: unknown) => e instanceof ShapeError && /b_scale/.test(e.message));
  assert.throws(() => dqmm(f32([4, 3], new Array(12).fill(1))), DTypeError);
  assert.throws(() => dqmm(int8([4, 3], new Array(12).fill(1)), scale3, f32([4], [0, 0, 0, 0])), (e: unknown) => e instanceof ShapeError && /bias/.test(e.message));
  assert.throws(() => dqmm(int8([5, 3], new Array(15).fill(1))), (e: unknown) => e instanceof ShapeError && /inner dimensions/.test(e.message));
});
