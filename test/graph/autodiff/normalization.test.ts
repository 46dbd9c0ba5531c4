import { test } from "node:test";
import { randomFloats } from "../support/random.js";
import { OpBench, positive } from "./support/op-bench.js";

const wide = (n: number, seed: number): Float32Array => randomFloats(n, seed, 2);

test("Softmax over the last, a middle and a negative axis", async () => {
  const b = new OpBench("softmax");
  const g = b.g;
  g.output("last", g.softmax(b.input("last", "x", [2, 3, 5], wide)));
  g.output("middle", g.softmax(b.input("middle", "x", [2, 3, 5], wide), 1));
  g.output("negative", g.softmax(b.input("negative", "x", [2, 3, 5], wide, ["batch", 3, 5]), -2));
  await b.check();
});

test("LayerNormalization: last axis with scale and bias, no bias, several normalised axes, symbolic rows", async () => {
  const b = new OpBench("layernorm");
  const g = b.g;
  const ln = (op: string, dims: number[], axis: number, withBias: boolean, shape: (number | string)[] = dims): void => {
    const x = b.input(op, "x", dims, wide, shape);
    const norm = dims.slice(axis < 0 ? axis + dims.length : axis);
    const scale = b.input(op, "scale", norm, positive);
    const bias = withBias ? b.input(op, "bias", norm) : undefined;
    g.output(op, g.layerNormalization(x, scale, bias, { axis, epsilon: 1e-5 }));
  };
  ln("last", [2, 3, 6], -1, true, ["batch", "time", 6]);
  ln("no_bias", [4, 5], -1, false);
  ln("two_axes", [2, 3, 4], 1, true);
  ln("all_axes", [3, 4], 0, true);
  await b.check();
});

test("InstanceNormalization on [N, C, T] and [N, C, H, W]; GroupNorm composed from it", async () => {
  const b = new OpBench("instancenorm");
  const g = b.g;
  const inorm = (op: string, dims: number[], shape: (number | string)[] = dims): void => {
    const c = dims[1]!;
    g.output(op, g.instanceNormalization(b.input(op, "x", dims, wide, shape), b.input(op, "scale", [c], positive), b.input(op, "bias", [c]), { epsilon: 1e-5 }));
  };
  inorm("conv1d", [2, 3, 7], [2, 3, "time"]);
  inorm("conv2d", [2, 2, 3, 4]);
  // GroupNorm with 2 groups of 2 channels, as nn/group-norm.ts builds it
  const x = b.input("group", "x", [2, 4, 5], wide, ["batch", 4, "time"]);
  const scale = b.input("group", "scale", [4], positive);
  const bias = b.input("group", "bias", [4]);
  const ones = g.constant({ type: "float32", dims: [2], data: new Float32Array(2).fill(1) });
  const zeros = g.constant({ type: "float32", dims: [2], data: new Float32Array(2) });
  const normed = g.reshape(g.instanceNormalization(g.reshape(x, [0, 2, -1]), ones, zeros, { epsilon: 1e-5 }), g.shape(x));
  g.output("group", g.add(g.mul(normed, g.reshape(scale, [4, 1])), g.reshape(bias, [4, 1])));
  await b.check();
});

test("BatchNormalization (inference form) with respect to input, scale, bias, mean and variance", async () => {
  const b = new OpBench("batchnorm");
  const g = b.g;
  for (const [op, dims] of [["rank4", [2, 3, 2, 2]], ["rank2", [4, 3]]] as const) {
    g.output(op, g.batchNormalization(
      b.input(op, "x", [...dims]), b.input(op, "scale", [3], positive), b.input(op, "bias", [3]),
      b.input(op, "mean", [3]), b.input(op, "var", [3], positive), { epsilon: 1e-3 },
    ));
  }
  await b.check();
});
