import { test } from "node:test";
import assert from "node:assert/strict";
import { AutodiffError, LABELS_INPUT, NoGradientRuleError, buildTrainingGraph, gradientSupport } from "../../../src/graph/autodiff/index.js";
import { GraphBuilder, opCounts, validateModel } from "../../../src/graph/index.js";
import { createSession } from "../../../src/runtime/index.js";
import type { Tensor } from "../../../src/tensor.js";
import { randomFloats } from "../support/random.js";
import { f32, i64 } from "../support/run-graph.js";
import { tinyWav2Vec2 } from "./support/tiny-models.js";

const names = (model: { values: readonly { name: string }[] }, ids: readonly number[]): string[] => ids.map((id) => model.values[id]!.name);

test("inputs are trained parameters + forward inputs + labels; outputs loss, logits, grad.<name>; one ORT step", async () => {
  const forward = tinyWav2Vec2();
  const frozen = (n: string): boolean => n.startsWith("wav2vec2.feature_extractor.");
  const training = buildTrainingGraph(forward, { trainable: (n) => !frozen(n), loss: "cross_entropy" });
  validateModel(training);
  const params = forward.values.filter((v) => v.kind === "parameter");
  const trained = params.filter((v) => !frozen(v.name)).map((v) => v.name);
  assert.deepEqual(training.training.parameters, trained);
  assert.deepEqual(training.training.frozen, params.filter((v) => frozen(v.name)).map((v) => v.name));
  assert.deepEqual(names(training, training.inputs).sort(), ["input_values", LABELS_INPUT, ...trained].sort());
  assert.deepEqual(names(training, training.outputs), ["loss", "logits", ...trained.map((n) => `grad.${n}`)]);
  // frozen parameters stay initializers
  const initializerNames = [...training.initializers.keys()].map((id) => training.values[id]!.name);
  for (const name of training.training.frozen) assert.ok(initializerNames.includes(name), name);
  assert.deepEqual(training.values[training.outputs[0]!]!.shape, []);
  assert.deepEqual(training.training.labels, { name: "labels", dtype: "int64", shape: ["batch"] });

  const feeds: Record<string, Tensor> = { input_values: f32([2, 40], randomFloats(80, 1)), labels: i64([2], [0, 2]) };
  for (const name of trained) feeds[name] = forward.initializers.get(forward.values.find((v) => v.name === name)!.id) as Tensor;
  const session = await createSession(training, { threads: 1 });
  try {
    const out = await session.run(feeds);
    assert.equal(out.loss!.dims.length, 0);
    assert.ok(Number.isFinite((out.loss!.data as Float32Array)[0]!));
    assert.deepEqual(out.logits!.dims, [2, 3]);
    for (const name of trained) assert.deepEqual(out[`grad.${name}`]!.dims, feeds[name]!.dims);
  } finally {
    await session.dispose();
  }
});

test("no backward work for a frozen feature encoder: its convs get no weight or input gradient ops", () => {
  const forward = tinyWav2Vec2();
  const all = buildTrainingGraph(forward, { trainable: () => true, loss: "cross_entropy" });
  const partial = buildTrainingGraph(forward, { trainable: (n) => !n.startsWith("wav2vec2.feature_extractor."), loss: "cross_entropy" });
  const [allOps, partialOps] = [opCounts(all), opCounts(partial)];
  // 2 forward convs + the positional conv; training the encoder adds weight-gradient convs
  assert.ok(allOps.Conv! > 3 && (allOps.ConvTranspose ?? 0) > 0, JSON.stringify(allOps));
  // the positional conv (trained) still needs its weight gradient and input gradient
  assert.equal(partialOps.Conv, 4);
  assert.equal(partialOps.ConvTranspose, 1);
  assert.ok(partial.nodes.length < all.nodes.length);
  // nothing is emitted for the input of the first conv (raw audio needs no gradient)
  assert.ok(all.nodes.filter((n) => n.opType === "ConvTranspose").length === 2, "only conv1's and the positional conv's inputs");
});

test("a value used by several consumers gets their gradients summed; unreached trainable parameters are reported", async () => {
  const g = new GraphBuilder({ name: "shared" });
  const x = g.input("x", "float32", ["batch", 3]);
  const w = g.initializer("w", f32([3, 3], randomFloats(9, 1)));
  const unused = g.initializer("unused.weight", f32([3], randomFloats(3, 2)));
  const h = g.matMul(x, w);
  const logits = g.add(g.mul(h, h), g.add(h, g.matMul(h, w)));
  g.output("logits", logits);
  g.output("side", g.add(x, unused));
  const training = buildTrainingGraph(g.build(), { trainable: () => true, loss: "bce_with_logits" });
  assert.deepEqual(training.training.parameters, ["w"]);
  assert.deepEqual(training.training.unreached, ["unused.weight"]);
  assert.ok(!names(training, training.inputs).includes("unused.weight"));
  assert.ok(opCounts(training).Sum! >= 1, "h has three consumers: one Sum");
});

test("non-differentiable ops stop the gradient without error; a missing rule fails only on the gradient path", () => {
  const g = new GraphBuilder({ name: "stops" });
  const x = g.input("x", "float32", ["batch", 4]);
  const w = g.initializer("w", f32([4, 4], randomFloats(16, 1)));
  const h = g.matMul(x, w);
  // index and shape computations on a trained value: ArgMax, Floor, Equal, Shape, Cast to int
  const picked = g.gather(h, g.argMax(h, 1, { keepDims: false }), 1);
  const rounded = g.floor(h);
  const masked = g.where(g.equal(g.cast(h, "int64"), 0), 0, h);
  const pooled = g.maxPool(g.unsqueeze(x, [1]), { kernel: [2] }); // no rule, but x needs no gradient
  const logits = g.add(g.add(g.add(masked, rounded), g.reduceSum(picked, [1])), g.reduceSum(g.reshape(pooled, [0, -1]), [1]));
  g.output("logits", logits);
  const training = buildTrainingGraph(g.build(), { trainable: () => true, loss: "bce_with_logits" });
  assert.deepEqual(training.training.parameters, ["w"]);

  const bad = new GraphBuilder({ name: "bad" });
  const y = bad.input("x", "float32", [1, 1, 4]);
  const v = bad.initializer("v", f32([1, 1, 1], [2]));
  bad.output("logits", bad.reshape(bad.maxPool(bad.mul(y, v), { kernel: [2] }), [1, 3]));
  assert.throws(
    () => buildTrainingGraph(bad.build(), { trainable: () => true, loss: "bce_with_logits" }),
    (e: unknown) => e instanceof NoGradientRuleError && e.opType === "MaxPool" && /used by node "MaxPool_0"/.test(e.message) && /Supported: .*LayerNormalization/.test(e.message),
  );
  assert.ok(gradientSupport().nonDifferentiable.includes("ArgMax"));
});

test("bad options fail with typed errors that say what would work", () => {
  const forward = tinyWav2Vec2();
  assert.throws(() => buildTrainingGraph(forward, { trainable: () => false, loss: "cross_entropy" }), (e: unknown) => e instanceof AutodiffError && /no trainable parameter reaches "logits"/.test((e as Error).message));
  assert.throws(() => buildTrainingGraph(forward, { trainable: () => true, loss: "mse" as "cross_entropy" }), /loss must be "cross_entropy" or "bce_with_logits"/);
  assert.throws(() => buildTrainingGraph(forward, { trainable: () => true, loss: "cross_entropy", logitsName: "logit" }), /"logit" is not a value.*did you mean "logits"/);
  assert.throws(() => buildTrainingGraph(forward, { trainable: () => true, loss: "cross_entropy", dropout: { mode: "random" as "off" } }), /dropout mode must be/);
});
