import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidArgumentError } from "../../src/errors.js";
import { GraphBuilder, encodeOnnx } from "../../src/graph/index.js";
import {
  SessionCreateError, SessionDisposedError, SessionFeedError, SessionRunError,
  cachedSessionKeys, createSession, disposeAllCachedSessions, disposeCachedSession, getCachedSession, run,
} from "../../src/runtime/index.js";
import { toOrtTensor, fromOrtTensor } from "../../src/runtime/ort-tensor.js";
import type { Tensor } from "../../src/tensor.js";

const values = (t: { data: ArrayLike<number | bigint> }): number[] => Array.from(t.data, Number);

const f32 = (dims: number[], data: number[]): Tensor => ({ type: "float32", dims, data: Float32Array.from(data) });

function scaleModel(factor: number, name = "scale") {
  const g = new GraphBuilder({ name });
  const x = g.input("x", "float32", ["batch", 3]);
  g.output("y", g.mul(x, factor));
  g.output("sum", g.reduceSum(x, [1], { keepDims: false }));
  return g.build();
}

test("a session runs at two batch sizes and reports ORT's view of inputs and outputs", async () => {
  const session = await createSession(scaleModel(2), { threads: 1 });
  try {
    assert.equal(session.name, "scale");
    assert.deepEqual(session.inputNames, ["x"]);
    assert.deepEqual(session.outputNames, ["y", "sum"]);
    assert.deepEqual(session.outputs[0], { name: "y", type: "float32", shape: ["batch", 3] });
    assert.ok(session.timings.loadMs > 0 && session.timings.serializeMs >= 0);
    const one = await run(session, { x: f32([1, 3], [1, 2, 3]) });
    assert.deepEqual(values(one.y!), [2, 4, 6]);
    const two = await session.run({ x: f32([2, 3], [1, 2, 3, 4, 5, 6]) });
    assert.deepEqual(two.y!.dims, [2, 3]);
    assert.deepEqual(values(two.sum!), [6, 15]);
    const only = await session.run({ x: f32([1, 3], [1, 1, 1]) }, { outputs: ["sum"] });
    assert.deepEqual(Object.keys(only), ["sum"]);
  } finally {
    await session.dispose();
  }
});

test("optimisation levels, thread counts and memory patterns give the same numbers", async () => {
  const model = scaleModel(3);
  const feeds = { x: f32([2, 3], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) };
  const results = [];
  for (const options of [{ optimizationLevel: "disabled" as const, threads: 1 }, { optimizationLevel: "all" as const }, { optimizationLevel: "basic" as const, threads: 2 }, { memoryPattern: true }, { memoryPattern: false }]) {
    const s = await createSession(model, options);
    for (let run = 0; run < 2; run++) results.push(values((await s.run(feeds)).y!)); // the pattern applies from the second run
    await s.dispose();
  }
  for (const r of results) assert.deepEqual(r, results[0]);
  await assert.rejects(createSession(model, { threads: 0 }), InvalidArgumentError);
  await assert.rejects(createSession(model, { threads: 1.5 }), InvalidArgumentError);
});

test("cacheKey shares one session (no second load) until it is disposed", async () => {
  await disposeAllCachedSessions();
  const [a, b] = await Promise.all([
    createSession(scaleModel(2), { cacheKey: "scale-model", threads: 1 }),
    createSession(scaleModel(2), { cacheKey: "scale-model", threads: 1 }),
  ]);
  assert.equal(a, b, "concurrent callers share one load");
  // a different model under the same key still returns the cached session
  const c = await createSession(scaleModel(10), { cacheKey: "scale-model" });
  assert.equal(c, a);
  assert.deepEqual(values((await c.run({ x: f32([1, 3], [1, 1, 1]) })).y!), [2, 2, 2]);
  assert.deepEqual(cachedSessionKeys(), ["scale-model"]);
  assert.equal(await getCachedSession("scale-model"), a);
  await a.dispose();
  assert.equal(a.disposed, true);
  assert.equal(getCachedSession("scale-model"), undefined);
  await assert.rejects(a.run({ x: f32([1, 3], [1, 1, 1]) }), SessionDisposedError);
  const d = await createSession(scaleModel(10), { cacheKey: "scale-model", threads: 1 });
  assert.notEqual(d, a);
  assert.deepEqual(values((await d.run({ x: f32([1, 3], [1, 1, 1]) })).y!), [10, 10, 10]);
  assert.equal(await disposeCachedSession("scale-model"), true);
  assert.equal(await disposeCachedSession("scale-model"), false);
  assert.equal(d.disposed, true);
});

test("a failed load is a SessionCreateError naming the model, and does not poison the cache key", async () => {
  const garbage = new Uint8Array([0x08, 0x07, 0x12, 0xff, 0x01]);
  await assert.rejects(createSession(garbage, { name: "broken-model", cacheKey: "broken" }), (e: unknown) => {
    assert.ok(e instanceof SessionCreateError);
    assert.equal(e.modelName, "broken-model");
    assert.match(e.message, /ONNX Runtime could not load model "broken-model": .+/);
    return true;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(getCachedSession("broken"), undefined);
  const ok = await createSession(encodeOnnx(scaleModel(1)), { cacheKey: "broken", threads: 1 });
  assert.deepEqual(ok.inputNames, ["x"]);
  await ok.dispose();
  await assert.rejects(createSession(42 as never), InvalidArgumentError);
  await assert.rejects(createSession("/nonexistent/model.onnx"), (e: unknown) => e instanceof SessionCreateError && /\/nonexistent\/model\.onnx/.test(e.message));
});

test("feed mistakes are SessionFeedErrors that list what the model takes", async () => {
  const session = await createSession(scaleModel(2, "feeds"), { threads: 1 });
  try {
    const cases: Array<[Record<string, Tensor>, RegExp]> = [
      [{}, /needs input "x"; it takes x/],
      [{ x: f32([1, 3], [1, 2, 3]), extra: f32([1], [0]) }, /has no input "extra"/],
      [{ x: { type: "int64", dims: [1, 3], data: new BigInt64Array(3) } }, /must be float32, got int64/],
      [{ x: f32([3], [1, 2, 3]) }, /must have shape \[batch, 3\], got \[3\]/],
      [{ x: f32([1, 4], [1, 2, 3, 4]) }, /must have shape \[batch, 3\], got \[1, 4\]/],
      [{ x: { type: "float32", dims: [2, 3], data: new Float32Array(3) } }, /need 6 elements, data has 3/],
      [{ x: [1, 2, 3] as never }, /must be a tensor/],
    ];
    for (const [feeds, pattern] of cases) {
      await assert.rejects(session.run(feeds), (e: unknown) => e instanceof SessionFeedError && pattern.test(e.message) && e.modelName === "feeds");
    }
    await assert.rejects(session.run({ x: f32([1, 3], [1, 2, 3]) }, { outputs: ["logits"] }), /no output "logits"; it produces y, sum/);
  } finally {
    await session.dispose();
  }
});

test("ORT run failures are SessionRunErrors with ORT's message", async () => {
  const g = new GraphBuilder({ name: "reshape-at-run-time" });
  const x = g.input("x", "float32", ["n"]);
  g.output("y", g.reshape(x, [3, -1]));
  const session = await createSession(g.build(), { threads: 1 });
  try {
    await assert.rejects(session.run({ x: f32([4], [1, 2, 3, 4]) }), (e: unknown) => e instanceof SessionRunError && /running model "reshape-at-run-time" failed: .+/.test(e.message));
    assert.deepEqual((await session.run({ x: f32([6], [1, 2, 3, 4, 5, 6]) })).y!.dims, [3, 2]);
  } finally {
    await session.dispose();
  }
});

test("float16 outputs are refused with a hint to cast in the graph", async () => {
  const g = new GraphBuilder({ name: "half" });
  const x = g.input("x", "float32", [2]);
  g.output("y", g.cast(x, "float16"));
  const session = await createSession(g.build(), { threads: 1 });
  try {
    await assert.rejects(session.run({ x: f32([2], [1, 2]) }), /type float16.*cast it to float32/);
  } finally {
    await session.dispose();
  }
});

test("tensors cross into and out of ORT without copying", () => {
  const data = new Float32Array([1, 2, 3, 4]);
  const ortTensor = toOrtTensor({ type: "float32", dims: [2, 2], data });
  assert.equal(ortTensor.data, data);
  const back = fromOrtTensor(ortTensor)!;
  assert.equal(back.data, data);
  assert.deepEqual(back.dims, [2, 2]);
});
