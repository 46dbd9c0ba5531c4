import { test } from "node:test";
import assert from "node:assert/strict";
import { quantizeMatrixInt8, toFloat16 } from "../../src/runtime/index.js";
import type { Tensor } from "../../src/tensor.js";
import { float16BitsToFloat32 } from "../../src/util/float-conversion.js";
import { randomFloats } from "../graph/support/random.js";

const f32 = (dims: number[], data: ArrayLike<number>): Tensor<"float32"> => ({ type: "float32", dims, data: Float32Array.from(data) });

test("int8: one scale per output channel, max |w| ↦ ±levels, every weight within half a step", () => {
  const [n, k] = [5, 7];
  const weight = f32([n, k], randomFloats(n * k, 1, 2));
  weight.data[3] = 0; // an exact zero stays exact
  for (const levels of [63, 127]) {
    const q = quantizeMatrixInt8(weight, "out-in", { levels })!;
    assert.deepEqual(q.values.dims, [k, n], "B is [in, out]");
    assert.deepEqual(q.scales.dims, [n]);
    for (let ni = 0; ni < n; ni++) {
      const row = Array.from(weight.data.subarray(ni * k, (ni + 1) * k));
      const scale = q.scales.data[ni]!;
      assert.equal(scale, Math.fround(Math.max(...row.map(Math.abs)) / levels));
      let reachesLimit = false;
      for (let ki = 0; ki < k; ki++) {
        const v = q.values.data[ki * n + ni]!;
        assert.ok(Math.abs(v) <= levels);
        reachesLimit ||= Math.abs(v) === levels;
        assert.ok(Math.abs(v * scale - row[ki]!) <= scale / 2 + 1e-7, `channel ${ni}, input ${ki}`);
      }
      assert.ok(reachesLimit, `channel ${ni} uses its full range`);
    }
    assert.equal(q.values.data[3 * n + 0], 0);
  }
});

test("int8: a weight stored as B [in, out] gives the same matrix as its PyTorch [out, in] transpose", () => {
  const [n, k] = [4, 6];
  const outIn = f32([n, k], randomFloats(n * k, 2));
  const inOut = f32([k, n], Array.from({ length: n * k }, (_, i) => outIn.data[(i % n) * k + Math.floor(i / n)]!));
  const a = quantizeMatrixInt8(outIn, "out-in", { levels: 63 })!;
  const b = quantizeMatrixInt8(inOut, "in-out", { levels: 63 })!;
  assert.deepEqual(Array.from(a.values.data), Array.from(b.values.data));
  assert.deepEqual(Array.from(a.scales.data), Array.from(b.scales.data));
});

test("int8: ties round to even, an all-zero channel gets scale 1, non-finite weights are refused", () => {
  // channel 0: max 4 → scale 4/4 = 1 with levels 4; 2.5 → 2, 3.5 → 4, -0.5 → -0
  const q = quantizeMatrixInt8(f32([2, 4], [4, 2.5, 3.5, -0.5, 0, 0, 0, 0]), "out-in", { levels: 4 })!;
  assert.deepEqual(Array.from(q.scales.data), [1, 1]);
  assert.deepEqual([0, 1, 2, 3].map((ki) => q.values.data[ki * 2]), [4, 2, 4, 0]);
  assert.deepEqual([0, 1, 2, 3].map((ki) => q.values.data[ki * 2 + 1]), [0, 0, 0, 0]);
  assert.equal(quantizeMatrixInt8(f32([1, 2], [1, NaN]), "out-in", { levels: 63 }), undefined);
  assert.equal(quantizeMatrixInt8(f32([1, 2], [1, Infinity]), "in-out", { levels: 63 }), undefined);
});

test("float16: round to nearest half, refused beyond ±65504", () => {
  const values = [0, 1, -2.5, 1 / 3, 65504, 6e-8];
  const half = toFloat16(f32([2, 3], values))!;
  assert.equal(half.type, "float16");
  assert.deepEqual(half.dims, [2, 3]);
  const back = float16BitsToFloat32(half.data);
  values.forEach((v, i) => assert.ok(Math.abs(back[i]! - v) <= Math.abs(v) * 2 ** -11 + 2 ** -25, `${v} → ${back[i]}`));
  assert.equal(toFloat16(f32([1, 2], [1, 65536])), undefined);
});
