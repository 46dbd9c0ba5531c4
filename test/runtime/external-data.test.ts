import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, serializeModel } from "../../src/graph/index.js";
import { createSession } from "../../src/runtime/index.js";
import type { Tensor } from "../../src/tensor.js";
import { decodeModel } from "../graph/support/proto-decoder.js";

const values = (t: { data: ArrayLike<number | bigint> }): number[] => Array.from(t.data, Number);

// Models over protobuf's 2 GiB limit need external data. The path is exercised here with a
// lowered threshold (maxInlineBytes) instead of gigabytes of weights.
function mlp() {
  const weights = [0, 1, 2].map((i) => ({
    type: "float32" as const,
    dims: [64, 64],
    data: Float32Array.from({ length: 4096 }, (_, k) => Math.sin(k * 0.37 + i) * 0.1),
  }));
  const small = { type: "float32" as const, dims: [64], data: new Float32Array(64).fill(0.01) };
  const g = new GraphBuilder({ name: "mlp" });
  let h = g.input("x", "float32", ["batch", 64]);
  weights.forEach((w, i) => {
    h = g.relu(g.add(g.matMul(h, g.initializer(`layer${i}.weight`, w)), g.initializer(`layer${i}.bias`, small)));
  });
  g.output("y", h);
  return { model: g.build(), weights, small };
}

const feeds: Record<string, Tensor> = { x: { type: "float32", dims: [2, 64], data: Float32Array.from({ length: 128 }, (_, k) => Math.cos(k)) } };

test("over the threshold, large initializers become external data views (no copy); small ones stay inline", () => {
  const { model, weights } = mlp();
  const serialized = serializeModel(model, { maxInlineBytes: 10_000, externalMinBytes: 1024 });
  assert.equal(serialized.externalData.length, 3);
  serialized.externalData.forEach((file, i) => {
    assert.equal(file.data.buffer, weights[i]!.data.buffer, "external bytes are a view on the weight itself");
    assert.equal(file.data.byteLength, 4096 * 4);
    assert.match(file.path, /^\d{5}_layer\d\.weight\.bin$/);
  });
  const decoded = decodeModel(serialized.bytes);
  const external = decoded.graph.initializers.filter((t) => t.dataLocation === 1);
  assert.deepEqual(external.map((t) => t.name), ["layer0.weight", "layer1.weight", "layer2.weight"]);
  for (const t of external) {
    assert.equal(t.rawData, undefined);
    assert.deepEqual(Object.keys(t.externalData).sort(), ["length", "location", "offset"]);
    assert.equal(t.externalData.length, String(4096 * 4));
    assert.equal(t.externalData.offset, "0");
  }
  const inline = decoded.graph.initializers.filter((t) => t.dataLocation === 0);
  assert.deepEqual(inline.map((t) => t.name), ["layer0.bias", "layer1.bias", "layer2.bias"], "256-byte biases stay inline");
  assert.ok(serialized.bytes.byteLength < 2000);
});

test("ORT runs the external-data model with the same results as the inline one", async () => {
  const { model } = mlp();
  const inline = await createSession(model, { threads: 1 });
  const external = await createSession(model, { threads: 1, write: { maxInlineBytes: 10_000 } });
  const prebuilt = await createSession(serializeModel(model, { maxInlineBytes: 10_000 }), { threads: 1 });
  try {
    const expected = (await inline.run(feeds)).y!;
    assert.deepEqual(values((await external.run(feeds)).y!), values(expected));
    assert.deepEqual(values((await prebuilt.run(feeds)).y!), values(expected));
    assert.ok(Array.from(expected.data as Float32Array).some((v) => v !== 0));
  } finally {
    await Promise.all([inline.dispose(), external.dispose(), prebuilt.dispose()]);
  }
});

test("missing external data is a load error, not a crash", async () => {
  const { model } = mlp();
  const serialized = serializeModel(model, { maxInlineBytes: 10_000 });
  await assert.rejects(createSession(serialized.bytes, { name: "mlp-without-weights" }), /could not load model "mlp-without-weights"/);
});
