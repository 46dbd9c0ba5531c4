import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder, opCounts, type Value } from "../../src/graph/index.js";
import { type AttentionNames, BART_ATTENTION_NAMES, BERT_ATTENTION_NAMES, FLOAT32_MIN, type SelfAttentionOptions, additiveAttentionMask, feedForward, layerNorm, selfAttention } from "../../src/nn/index.js";
import type { Tensor } from "../../src/tensor.js";
import { randomFloats } from "../graph/support/random.js";
import { type Arr, broadcastMap, geluExact, layerNorm as refLayerNorm, matmul, transpose, unary } from "../graph/support/reference.js";
import { assertClose, f32, i64, runEach, toArr } from "../graph/support/run-graph.js";

const HIDDEN = 16;
const HEADS = 4;
const FFN = 32;

type Checkpoint = Record<string, Tensor<"float32">>;

function makeWeights(names: AttentionNames, prefix: string, seed: number, keyBias = true): Checkpoint {
  const w: Checkpoint = {};
  let s = seed;
  const add = (name: string, dims: number[], scale: number) => (w[name] = f32(dims, randomFloats(dims.reduce((a, b) => a * b, 1), s++, scale)));
  for (const key of ["query", "key", "value", "output"] as const) {
    add(`${prefix}.attention.${names[key]}.weight`, [HIDDEN, HIDDEN], 0.5);
    if (key !== "key" || keyBias) add(`${prefix}.attention.${names[key]}.bias`, [HIDDEN], 0.2);
  }
  add(`${prefix}.layer_norm.weight`, [HIDDEN], 1).data.forEach((v, i, a) => (a[i] = 1 + 0.3 * v));
  add(`${prefix}.layer_norm.bias`, [HIDDEN], 0.1);
  add(`${prefix}.final_layer_norm.weight`, [HIDDEN], 1).data.forEach((v, i, a) => (a[i] = 1 + 0.3 * v));
  add(`${prefix}.final_layer_norm.bias`, [HIDDEN], 0.1);
  add(`${prefix}.feed_forward.fc1.weight`, [FFN, HIDDEN], 0.4);
  add(`${prefix}.feed_forward.fc1.bias`, [FFN], 0.1);
  add(`${prefix}.feed_forward.fc2.weight`, [HIDDEN, FFN], 0.3);
  add(`${prefix}.feed_forward.fc2.bias`, [HIDDEN], 0.1);
  return w;
}

/** Pre-LN encoder layer (wav2vec2 "stable layer norm" / Whisper layout). */
function block(g: GraphBuilder, weights: Checkpoint, prefix: string, x: Value, attention: Omit<SelfAttentionOptions, "numHeads">): Value {
  return g.scope(prefix, () => {
    const normed = layerNorm(g, weights, `${prefix}.layer_norm`, x);
    const h = g.add(x, selfAttention(g, weights, `${prefix}.attention`, normed, { numHeads: HEADS, ...attention }));
    const ffn = feedForward(g, weights, `${prefix}.feed_forward`, layerNorm(g, weights, `${prefix}.final_layer_norm`, h));
    return g.add(h, ffn);
  });
}

// ---- JavaScript reference -----------------------------------------------------------------

function refLinear(x: Arr, w: Checkpoint, name: string): Arr {
  const y = matmul(x, transpose(toArr(w[`${name}.weight`]!), [1, 0]));
  const b = w[`${name}.bias`];
  return b ? broadcastMap([y, toArr(b)], (v, c) => v + c) : y;
}

function refAttention(x: Arr, w: Checkpoint, prefix: string, names: AttentionNames, mask: number[] | undefined, positionBias: Arr | undefined): Arr {
  const [B, T, D] = x.dims as [number, number, number];
  const dh = D / HEADS;
  const scaling = dh ** -0.5;
  const q = refLinear(x, w, `${prefix}.${names.query}`);
  const k = refLinear(x, w, `${prefix}.${names.key}`);
  const v = refLinear(x, w, `${prefix}.${names.value}`);
  const context = new Array<number>(B * T * D).fill(0);
  for (let b = 0; b < B; b++) for (let h = 0; h < HEADS; h++) for (let i = 0; i < T; i++) {
    const scores = new Array<number>(T);
    for (let j = 0; j < T; j++) {
      let s = 0;
      for (let d = 0; d < dh; d++) s += q.data[(b * T + i) * D + h * dh + d]! * scaling * k.data[(b * T + j) * D + h * dh + d]!;
      if (mask && mask[b * T + j] !== 1) s += FLOAT32_MIN;
      if (positionBias) s += positionBias.data[((h * T) + i) * T + j]!;
      scores[j] = s;
    }
    const max = Math.max(...scores);
    const e = scores.map((s) => Math.exp(s - max));
    const sum = e.reduce((a, c) => a + c, 0);
    for (let j = 0; j < T; j++) for (let d = 0; d < dh; d++) context[(b * T + i) * D + h * dh + d] += (e[j]! / sum) * v.data[(b * T + j) * D + h * dh + d]!;
  }
  return refLinear({ dims: [B, T, D], data: context }, w, `${prefix}.${names.output}`);
}

function refBlock(x: Arr, w: Checkpoint, prefix: string, names: AttentionNames, mask?: number[], positionBias?: Arr): Arr {
  const ln = (t: Arr, n: string) => refLayerNorm(t, toArr(w[`${n}.weight`]!), toArr(w[`${n}.bias`]!), -1, 1e-5);
  const h = broadcastMap([x, refAttention(ln(x, `${prefix}.layer_norm`), w, `${prefix}.attention`, names, mask, positionBias)], (a, c) => a + c);
  const hidden = unary(refLinear(ln(h, `${prefix}.final_layer_norm`), w, `${prefix}.feed_forward.fc1`), geluExact);
  return broadcastMap([h, refLinear(hidden, w, `${prefix}.feed_forward.fc2`)], (a, c) => a + c);
}

// ---- tests --------------------------------------------------------------------------------

function feedsFor(batch: number, time: number, seed: number, padLast = 0) {
  const mask = Array.from({ length: batch * time }, (_, i) => (Math.floor(i / time) === batch - 1 && i % time >= time - padLast ? 0 : 1));
  return { hidden_states: f32([batch, time, HIDDEN], randomFloats(batch * time * HIDDEN, seed)), attention_mask: i64([batch, time], mask) };
}

test("a transformer block (masked attention + FFN + layer norms) matches the JS reference at two sizes", async () => {
  const weights = makeWeights(BART_ATTENTION_NAMES, "layers.0", 1);
  const g = new GraphBuilder({ name: "block" });
  const x = g.input("hidden_states", "float32", ["batch", "time", HIDDEN]);
  const mask = additiveAttentionMask(g, g.input("attention_mask", "int64", ["batch", "time"]));
  const y = block(g, weights, "layers.0", x, { attentionMask: mask });
  assert.deepEqual(y.shape, ["batch", "time", HIDDEN]);
  g.output("last_hidden_state", y);
  const feeds = [feedsFor(2, 5, 11, 2), feedsFor(3, 7, 12, 3)];
  const results = await runEach(g.build(), feeds);
  results.forEach((out, k) => {
    const f = feeds[k]!;
    const expected = refBlock(toArr(f.hidden_states), weights, "layers.0", BART_ATTENTION_NAMES, toArr(f.attention_mask).data);
    assertClose(out.last_hidden_state!, expected, { atol: 1e-5 });
  });
});

test("masking changes the padded sequence but not the unpadded one", async () => {
  const weights = makeWeights(BART_ATTENTION_NAMES, "layers.0", 1);
  const g = new GraphBuilder({ name: "mask-effect" });
  const x = g.input("hidden_states", "float32", ["batch", "time", HIDDEN]);
  const mask = additiveAttentionMask(g, g.input("attention_mask", "int64", ["batch", "time"]));
  g.output("masked", block(g, weights, "layers.0", x, { attentionMask: mask }));
  g.output("unmasked", block(g, weights, "layers.0", x, {}));
  const [out] = await runEach(g.build(), [feedsFor(2, 6, 3, 2)]);
  const [masked, unmasked] = [toArr(out!.masked!).data, toArr(out!.unmasked!).data];
  const first = 6 * HIDDEN;
  assertClose({ dims: [first], data: masked.slice(0, first) }, { dims: [first], data: unmasked.slice(0, first) }, { atol: 1e-6 });
  assert.ok(Math.max(...masked.slice(first).map((v, i) => Math.abs(v - unmasked[first + i]!))) > 1e-3, "the mask must matter");
});

const FUSED_CASES: Array<[string, AttentionNames, Partial<SelfAttentionOptions>, boolean]> = [
  ["BART names, mask, query scaling", BART_ATTENTION_NAMES, {}, true],
  ["BERT names, mask, score scaling", BERT_ATTENTION_NAMES, { scaleAt: "scores" }, true],
  ["Whisper-style k_proj without bias", BART_ATTENTION_NAMES, { bias: { key: false } }, true],
];

for (const [label, names, extra, keyBias] of FUSED_CASES) {
  test(`fused com.microsoft.MultiHeadAttention equals the unfused graph within 1e-5 (${label})`, async () => {
    const weights = makeWeights(names, "layers.0", 5, extra.bias?.key !== false && keyBias);
    const build = (fused: boolean) => {
      const g = new GraphBuilder({ name: fused ? "fused" : "unfused" });
      const x = g.input("hidden_states", "float32", ["batch", "time", HIDDEN]);
      const mask = additiveAttentionMask(g, g.input("attention_mask", "int64", ["batch", "time"]));
      g.output("y", block(g, weights, "layers.0", x, { names, attentionMask: mask, fused, ...extra }));
      return g.build();
    };
    const fused = build(true);
    assert.equal(opCounts(fused)["com.microsoft.MultiHeadAttention"], 1);
    assert.equal(opCounts(fused).Softmax, undefined);
    const feeds = [feedsFor(2, 5, 21, 2), feedsFor(1, 9, 22)];
    const [a, b] = await Promise.all([runEach(build(false), feeds), runEach(fused, feeds)]);
    feeds.forEach((f, k) => {
      assertClose(b[k]!.y!, toArr(a[k]!.y!), { atol: 1e-5 });
      const expected = refBlock(toArr(f.hidden_states), weights, "layers.0", names, toArr(f.attention_mask).data);
      assertClose(b[k]!.y!, expected, { atol: 1e-5 });
    });
  });
}

test("fused attention with a relative position bias and a mask equals the unfused graph", async () => {
  const weights = makeWeights(BART_ATTENTION_NAMES, "layers.0", 9);
  const build = (fused: boolean) => {
    const g = new GraphBuilder({ name: "position-bias" });
    const x = g.input("hidden_states", "float32", ["batch", "time", HIDDEN]);
    const mask = additiveAttentionMask(g, g.input("attention_mask", "int64", ["batch", "time"]));
    const bias = g.input("position_bias", "float32", [1, HEADS, "time", "time"]);
    g.output("y", block(g, weights, "layers.0", x, { attentionMask: mask, positionBias: bias, fused }));
    return g.build();
  };
  const feeds = [[2, 4], [1, 6]].map(([b, t], k) => ({
    ...feedsFor(b!, t!, 31 + k, 1),
    position_bias: f32([1, HEADS, t!, t!], randomFloats(HEADS * t! * t!, 40 + k, 2)),
  }));
  const [a, b] = await Promise.all([runEach(build(false), feeds), runEach(build(true), feeds)]);
  feeds.forEach((f, k) => {
    assertClose(b[k]!.y!, toArr(a[k]!.y!), { atol: 1e-5 });
    const expected = refBlock(toArr(f.hidden_states), weights, "layers.0", BART_ATTENTION_NAMES, toArr(f.attention_mask).data, toArr(f.position_bias));
    assertClose(a[k]!.y!, expected, { atol: 1e-5 });
  });
});

test("selfAttention rejects a hidden size that heads do not divide", () => {
  const g = new GraphBuilder({ name: "bad-heads" });
  const x = g.input("x", "float32", ["batch", "time", HIDDEN]);
  assert.throws(() => selfAttention(g, makeWeights(BART_ATTENTION_NAMES, "l", 1), "l.attention", x, { numHeads: 3 }), /must be a static multiple of numHeads 3/);
});
