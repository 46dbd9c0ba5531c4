// The wav2vec2 family's first-layer GroupNorm with statistics over the valid frames only.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GraphBuilder } from "../../src/graph/index.js";
import { Weights, groupNorm } from "../../src/nn/index.js";
import { validFrames } from "../../src/models/speech-encoder/frame-lengths.js";
import { maskedGroupNorm } from "../../src/models/speech-encoder/masked-group-norm.js";
import type { Tensor } from "../../src/tensor.js";
import { randomFloats } from "../graph/support/random.js";
import { f32, i64, runModel } from "../graph/support/run-graph.js";

const C = 6;
const T = 40;
const weights = Weights.from({
  "norm.weight": f32([C], randomFloats(C, 11, 0.3).map((v) => 1 + v)),
  "norm.bias": f32([C], randomFloats(C, 12, 0.2)),
});
// Offset and scaled per channel so the statistics matter.
const x = f32([2, C, T], randomFloats(2 * C * T, 13, 2).map((v, i) => v * (1 + (i % C)) + 3));

/** Masked and plain group norm of x for the given valid lengths. */
async function run(lengths: number[]): Promise<{ masked: Tensor; plain: Tensor }> {
  const g = new GraphBuilder({ name: "masked-group-norm" });
  const input = g.input("x", "float32", ["batch", C, "time"]);
  const len = g.input("lengths", "int64", ["batch"]);
  g.output("masked", maskedGroupNorm(g, weights, "norm", input, validFrames(g, len, input, 2), { channels: C }));
  g.output("plain", groupNorm(g, weights, "norm", input, { numGroups: C }));
  const out = await runModel(g.build(), { x, lengths: i64([2], lengths) });
  return { masked: out["masked"]!, plain: out["plain"]! };
}

function slice(t: Tensor, b: number, frames: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < C; c++) for (let s = 0; s < frames; s++) out.push(Number(t.data[(b * C + c) * T + s]));
  return out;
}

test("an all-ones mask gives transformers' GroupNorm (InstanceNormalization) within 1e-5", async () => {
  const { masked, plain } = await run([T, T]);
  let worst = 0;
  for (let i = 0; i < masked.data.length; i++) worst = Math.max(worst, Math.abs(Number(masked.data[i]) - Number(plain.data[i])));
  assert.ok(worst <= 1e-5, `max abs diff ${worst}`);
});

test("with padding, the valid frames are normalised as if the row were cut to its length", async () => {
  const lengths = [25, T];
  const { masked, plain } = await run(lengths);
  // the unpadded row is untouched by the other row's padding
  assert.ok(Math.max(...slice(masked, 1, T).map((v, i) => Math.abs(v - slice(plain, 1, T)[i]!))) <= 1e-5);
  // row 0 alone, cut to 25 frames, through the plain GroupNorm
  const cut: number[] = [];
  for (let c = 0; c < C; c++) for (let s = 0; s < 25; s++) cut.push(x.data[c * T + s]!);
  const g = new GraphBuilder({ name: "group-norm-cut" });
  g.output("y", groupNorm(g, weights, "norm", g.input("x", "float32", [1, C, 25]), { numGroups: C }));
  const alone = (await runModel(g.build(), { x: f32([1, C, 25], cut) }))["y"]!;
  const got = slice(masked, 0, 25);
  const worst = Math.max(...got.map((v, i) => Math.abs(v - Number(alone.data[i]))));
  assert.ok(worst <= 1e-5, `max abs diff ${worst}`);
  // and differs clearly from normalising the padded row whole (what transformers does)
  const whole = slice(plain, 0, 25);
  assert.ok(Math.max(...got.map((v, i) => Math.abs(v - whole[i]!))) > 1e-2);
});
