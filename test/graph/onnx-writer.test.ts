import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, IR_VERSION, OnnxEncodeError, PRODUCER_NAME, attr, encodeOnnx, serializeModel, type GraphTensor } from "../../src/graph/index.js";
import { createSession } from "../../src/runtime/index.js";
import { decodeModel } from "./support/proto-decoder.js";
import { f32, runModel } from "./support/run-graph.js";

function modelWithEverything() {
  const g = new GraphBuilder({ name: "everything", docString: "writer test" });
  const x = g.input("x", "float32", ["batch", "time", 4]);
  const w = g.initializer("proj.weight", f32([4, 4], Array.from({ length: 16 }, (_, i) => i / 8)));
  const y = g.scope("block", () => g.softmax(g.matMul(x, w), -1));
  const clipped = g.clip(y, undefined, 0.5); // omitted optional input before a present one
  const masked = g.where(g.greater(clipped, 0.1), clipped, 0);
  const fused = g.multiHeadAttention(x, x, x, { numHeads: 2, scale: 0.25 });
  g.output("probs", masked);
  g.output("attended", fused);
  g.output("flat", g.reshape(x, [0, -1]));
  g.output("ones", g.constantOfShape(g.vector([2, 3]), 1, "int64"));
  return g.build({ metadata: { architecture: "test", num_labels: "2" } });
}

test("ModelProto fields, numbers and wire types decode independently", () => {
  const model = modelWithEverything();
  const decoded = decodeModel(encodeOnnx(model));
  assert.equal(decoded.irVersion, IR_VERSION);
  assert.equal(decoded.irVersion, 8);
  assert.equal(decoded.producerName, PRODUCER_NAME);
  assert.deepEqual(decoded.opsets, [{ domain: "", version: 17 }, { domain: "com.microsoft", version: 1 }]);
  assert.deepEqual(decoded.metadata, { architecture: "test", num_labels: "2" });
  assert.equal(decoded.graph.name, "everything");
  assert.deepEqual(decoded.graph.inputs, [{ name: "x", elemType: 1, dims: [{ param: "batch" }, { param: "time" }, { value: 4 }] }]);
  const outputs = Object.fromEntries(decoded.graph.outputs.map((o) => [o.name, o]));
  assert.deepEqual(outputs.flat!.dims, [{ param: "batch" }, { param: "4*time" }]);
  assert.deepEqual(outputs.ones!, { name: "ones", elemType: 7, dims: [{ value: 2 }, { value: 3 }] });
  const weight = decoded.graph.initializers.find((t) => t.name === "proj.weight")!;
  assert.deepEqual(weight.dims, [4, 4]);
  assert.equal(weight.dataType, 1);
  assert.equal(weight.dataLocation, 0);
  assert.deepEqual(Array.from(new Float32Array(weight.rawData!.slice().buffer)), Array.from({ length: 16 }, (_, i) => i / 8));
  const nodes = decoded.graph.nodes;
  assert.deepEqual(nodes.map((n) => n.opType), model.nodes.map((n) => n.opType));
  const softmax = nodes.find((n) => n.opType === "Softmax")!;
  assert.match(softmax.name, /^block\/Softmax_\d+$/);
  assert.deepEqual(softmax.attributes, [{ name: "axis", type: 2, i: -1 }]);
  const clip = nodes.find((n) => n.opType === "Clip")!;
  assert.equal(clip.inputs.length, 3);
  assert.equal(clip.inputs[1], "", "omitted optional input is an empty name");
  const mha = nodes.find((n) => n.opType === "MultiHeadAttention")!;
  assert.equal(mha.domain, "com.microsoft");
  assert.deepEqual(mha.attributes, [{ name: "num_heads", type: 2, i: 2 }, { name: "scale", type: 1, f: 0.25 }]);
  const fill = nodes.find((n) => n.opType === "ConstantOfShape")!;
  assert.equal(fill.attributes[0]!.type, 4);
  assert.deepEqual(fill.attributes[0]!.t!.dims, [1]);
  assert.equal(fill.attributes[0]!.t!.dataType, 7);
  // every node output and input name resolves to a graph input, initializer or earlier output
  const known = new Set<string>(["", ...decoded.graph.inputs.map((i) => i.name), ...decoded.graph.initializers.map((t) => t.name)]);
  for (const n of nodes) {
    for (const i of n.inputs) assert.ok(known.has(i), `${n.name} reads unknown value ${i}`);
    n.outputs.forEach((o) => known.add(o));
  }
});

test("string, ints and floats attributes are written with their AttributeType", () => {
  const g = new GraphBuilder({ name: "attributes" });
  const x = g.input("x", "float32", [1, 1, 5]);
  g.output("pad", g.pad(x, [0, 0, 1, 0, 0, 1], { mode: "reflect" }));
  g.output("pool", g.averagePool(x, { kernel: [2], strides: [1] }));
  g.output("ln", g.op("LayerNormalization", [x, g.constant(f32([5], [1, 1, 1, 1, 1]))], { epsilon: attr.float(1e-6), axis: attr.int(-1) })[0]!);
  const nodes = decodeModel(encodeOnnx(g.build())).graph.nodes;
  assert.deepEqual(nodes.find((n) => n.opType === "Pad")!.attributes, [{ name: "mode", type: 3, s: "reflect" }]);
  assert.deepEqual(nodes.find((n) => n.opType === "AveragePool")!.attributes, [
    { name: "kernel_shape", type: 7, ints: [2] },
    { name: "strides", type: 7, ints: [1] },
  ]);
  const ln = nodes.find((n) => n.opType === "LayerNormalization")!.attributes;
  assert.equal(ln[0]!.type, 1);
  assert.ok(Math.abs(ln[0]!.f! - 1e-6) < 1e-12);
  const floats = decodeModel(encodeOnnx(floatsModel())).graph.nodes[0]!.attributes[0]!;
  assert.equal(floats.type, 6);
  assert.deepEqual(floats.floats, [0.5, -2]);
});

function floatsModel() {
  // no op in the set takes a floats attribute, so write one through a schema-free check of the encoder
  const g = new GraphBuilder({ name: "floats" });
  const x = g.input("x", "float32", [1]);
  g.output("y", g.identity(x));
  const model = g.build();
  return { ...model, nodes: [{ ...model.nodes[0]!, attributes: { values: attr.floats([0.5, -2]) } }] };
}

test("every dtype round-trips through raw_data, and ORT reads them back", async () => {
  const tensors: GraphTensor[] = [
    { type: "float32", dims: [2], data: new Float32Array([1.5, -2]) },
    { type: "float64", dims: [2], data: new Float64Array([1e-300, 3]) },
    { type: "int64", dims: [3], data: new BigInt64Array([-(2n ** 62n), 0n, 2n ** 62n]) },
    { type: "int32", dims: [2], data: new Int32Array([-7, 2 ** 30]) },
    { type: "int8", dims: [2], data: new Int8Array([-128, 127]) },
    { type: "uint8", dims: [2], data: new Uint8Array([0, 255]) },
    { type: "bool", dims: [3], data: new Uint8Array([1, 0, 1]) },
    { type: "float16", dims: [3], data: new Uint16Array([0x3c00, 0xc000, 0x3555]) }, // 1, -2, 0.333
  ];
  const g = new GraphBuilder({ name: "dtypes" });
  tensors.forEach((t, i) => {
    const v = g.initializer(`t${i}`, t);
    g.output(`out${i}`, t.type === "float16" ? g.cast(v, "float32") : v);
  });
  const model = g.build();
  const decoded = decodeModel(encodeOnnx(model)).graph.initializers;
  assert.deepEqual(decoded.map((t) => t.dataType), [1, 11, 7, 6, 3, 2, 9, 10]);
  decoded.forEach((t, i) => assert.deepEqual(Array.from(t.rawData!), Array.from(new Uint8Array(tensors[i]!.data.buffer))));
  const out = await runModel(model, {});
  tensors.slice(0, 7).forEach((t, i) => {
    assert.equal(out[`out${i}`]!.type, t.type);
    assert.deepEqual(Array.from(out[`out${i}`]!.data as ArrayLike<unknown>), Array.from(t.data as ArrayLike<unknown>));
  });
  assert.deepEqual(Array.from(out.out7!.data as Float32Array).map((v) => Math.round(v * 1000) / 1000), [1, -2, 0.333]);
});

test("ORT loads the encoded bytes and reports our symbolic dims", async () => {
  const session = await createSession(encodeOnnx(modelWithEverything()), { threads: 1, name: "everything" });
  try {
    assert.deepEqual(session.inputs, [{ name: "x", type: "float32", shape: ["batch", "time", 4] }]);
    const flat = session.outputs.find((o) => o.name === "flat")!;
    assert.deepEqual(flat.shape, ["batch", "4*time"]);
    const out = await session.run({ x: f32([1, 2, 4], [1, 2, 3, 4, 5, 6, 7, 8]) });
    assert.deepEqual(out.flat!.dims, [1, 8]);
    assert.deepEqual(out.attended!.dims, [1, 2, 4]);
  } finally {
    await session.dispose();
  }
});

test("encodeOnnx refuses models that need external data and says what to use", () => {
  const g = new GraphBuilder({ name: "big" });
  const x = g.input("x", "float32", [1024]);
  g.output("y", g.add(x, g.initializer("w", f32([1024], new Float32Array(1024)))));
  const model = g.build();
  assert.throws(() => encodeOnnx(model, { maxInlineBytes: 1000 }), (e: unknown) => e instanceof OnnxEncodeError && /serializeModel|createSession/.test(e.message));
  const serialized = serializeModel(model, { maxInlineBytes: 1000 });
  assert.equal(serialized.externalData.length, 1);
  assert.equal(serialized.externalData[0]!.data.byteLength, 4096);
});

test("unknown dims (data-dependent shapes) are written as empty dimensions", async () => {
  const g = new GraphBuilder({ name: "unknown-dims" });
  const x = g.input("x", "float32", ["n"]);
  const target = g.input("target", "int64", [2]);
  const y = g.reshape(x, target);
  assert.ok(y.shape.every((d) => typeof d === "string" && d.startsWith("?")));
  g.output("y", y);
  const model = g.build();
  assert.deepEqual(decodeModel(encodeOnnx(model)).graph.outputs[0]!.dims, [{}, {}]);
  const session = await createSession(model, { threads: 1 });
  try {
    const out = await session.run({
      x: f32([6], [1, 2, 3, 4, 5, 6]),
      target: { type: "int64", dims: [2], data: new BigInt64Array([2n, 3n]) },
    });
    assert.deepEqual(out.y!.dims, [2, 3]);
  } finally {
    await session.dispose();
  }
});
