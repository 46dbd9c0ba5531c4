import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GraphBuilder } from "../../src/graph/index.js";
import { bindInputSizes, estimateRunMemory, memoryProfile } from "../../src/graph/memory-estimate.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

test("the estimate is the largest total of tensors alive at once, from bound input sizes", () => {
  const g = new GraphBuilder({ name: "liveness" });
  const x = g.input("x", "float32", ["batch", "time"]); // B·T
  const a = g.mul(x, 2); // B·T, x dies here
  const b = g.matMul(g.unsqueeze(a, [2]), g.unsqueeze(a, [1])); // [B, T, T]: the big one
  const c = g.reduceSum(b, [2], { keepDims: false }); // [B, T]
  g.output("y", g.add(c, a)); // a lives until here
  const profile = memoryProfile(g.build());
  const bindings = bindInputSizes(profile, { x: [2, 100] });
  assert.deepEqual(bindings, { batch: 2, time: 100 });
  const estimate = estimateRunMemory(profile, bindings);
  // At the MatMul: a (800 B) + both unsqueezed views of a (800 B each) + b (80 000 B) are alive.
  assert.equal(estimate.largest.bytes, 2 * 100 * 100 * 4);
  assert.deepEqual(estimate.largest.dims, [2, 100, 100]);
  assert.equal(estimate.peakBytes, 80_000 + 3 * 800);
  // Quadratic in time: 10× the input, ~100× the peak.
  const longer = estimateRunMemory(profile, bindInputSizes(profile, { x: [2, 1000] }));
  assert.ok(longer.peakBytes > 95 * estimate.peakBytes);
});

test("against ONNX Runtime: the wav2vec2 fixture on 60 s of audio grows RSS by 0.9–1.5× the estimate", () => {
  const script = `
    import { ModelConfig, architectureFor, buildGraph } from "./src/models/index.js";
    import { createSession } from "./src/runtime/index.js";
    const dir = "test/fixtures/hf/models/wav2vec2";
    const config = await ModelConfig.fromFile(dir + "/config.json");
    const { graph } = await buildGraph(dir, config, architectureFor(config), {});
    const session = await createSession(graph, { threads: 1 });
    const n = 16000 * 60;
    const feeds = {
      input_values: { type: "float32", dims: [1, n], data: Float32Array.from({ length: n }, (_, i) => Math.sin(i / 7) / 10) },
      attention_mask: { type: "int64", dims: [1, n], data: new BigInt64Array(n).fill(1n) },
    };
    await session.run({ input_values: { type: "float32", dims: [1, 16000], data: new Float32Array(16000) }, attention_mask: { type: "int64", dims: [1, 16000], data: new BigInt64Array(16000).fill(1n) } });
    const { bindInputSizes, estimateRunMemory } = await import("./src/graph/memory-estimate.js");
    const estimate = estimateRunMemory(session.memoryProfile, bindInputSizes(session.memoryProfile, { input_values: [1, n], attention_mask: [1, n] })).peakBytes;
    const before = process.resourceUsage().maxRSS * 1024;
    await session.run(feeds);
    const grown = process.resourceUsage().maxRSS * 1024 - before;
    console.log(JSON.stringify({ estimate, grown }));`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const { estimate, grown } = JSON.parse(run.stdout.trim().split("\n").pop()!);
  const ratio = grown / estimate;
  assert.ok(estimate > 100 * 2 ** 20, `estimate ${estimate}`);
  assert.ok(ratio > 0.9 && ratio < 1.5, `RSS grew ${(grown / 2 ** 20).toFixed(0)} MiB for an estimate of ${(estimate / 2 ** 20).toFixed(0)} MiB (ratio ${ratio.toFixed(2)})`);
});
