import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bfloat16BitsToFloat32,
  float16BitsToFloat32,
  float32ToBFloat16Bits,
  float32ToFloat16Bits,
  float8ToFloat32,
} from "../../src/weights/index.js";

const ALL16 = Uint16Array.from({ length: 65536 }, (_, i) => i);

const scratch = new DataView(new ArrayBuffer(4));

function f32Bits(x: number): number {
  scratch.setFloat32(0, x, true);
  return scratch.getUint32(0, true);
}

function f32FromBits(bits: number): number {
  scratch.setUint32(0, bits >>> 0, true);
  return scratch.getFloat32(0, true);
}

/** IEEE half decoded from its definition, independently of the implementation's bit tricks. */
function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

test("F16 → F32 is exact for all 65536 bit patterns (subnormals, ±0, ±inf, NaN payloads)", () => {
  const out = float16BitsToFloat32(ALL16);
  const bits = new Uint32Array(out.buffer);
  for (let h = 0; h < 65536; h++) {
    const expected = halfValue(h);
    if (Number.isNaN(expected)) {
      // The payload moves into the top mantissa bits, sign kept (as c10's fp16_ieee_to_fp32_value).
      assert.equal(bits[h], ((h & 0x8000) << 16 | 0x7f800000 | ((h & 0x3ff) << 13)) >>> 0, `NaN pattern 0x${h.toString(16)}`);
    } else {
      assert.ok(Object.is(out[h], expected), `0x${h.toString(16)}: got ${out[h]}, expected ${expected}`);
    }
  }
  assert.ok(Object.is(out[0x8000], -0));
  assert.equal(out[0x0001], 2 ** -24);
  assert.equal(out[0x7bff], 65504);
});

test("BF16 → F32 is exact for all 65536 bit patterns", () => {
  const out = bfloat16BitsToFloat32(ALL16);
  const bits = new Uint32Array(out.buffer);
  for (let b = 0; b < 65536; b++) {
    assert.equal(bits[b], (b << 16) >>> 0);
    const expected = f32FromBits(b << 16);
    if (!Number.isNaN(expected)) assert.ok(Object.is(out[b], expected));
  }
  assert.equal(out[0x3f80], 1);
  assert.equal(out[0xc049], -3.140625);
});

test("conversions write into a caller-provided output array", () => {
  const out = new Float32Array(3);
  assert.equal(float16BitsToFloat32(Uint16Array.of(0x3c00, 0xc000, 0x0000), out), out);
  assert.deepEqual([...out], [1, -2, 0]);
});

test("F32 → F16 round-trips every non-NaN half exactly", () => {
  const halves = float16BitsToFloat32(ALL16);
  const back = float32ToFloat16Bits(halves);
  for (let h = 0; h < 65536; h++) {
    if (Number.isNaN(halfValue(h))) assert.equal(back[h], (h & 0x8000) | 0x7e00);
    else assert.equal(back[h], h, `0x${h.toString(16)}`);
  }
});

test("F32 → F16 rounds to nearest, ties to even, overflow to inf (random and edge values)", () => {
  const finite: { value: number; bits: number }[] = [];
  for (let h = 0; h < 0x7c00; h++) finite.push({ value: halfValue(h), bits: h });
  const nearest = (x: number): number => {
    const a = Math.abs(x);
    const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
    if (a >= 65520) return sign | 0x7c00;
    let lo = 0;
    let hi = finite.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (finite[mid].value <= a) lo = mid;
      else hi = mid;
    }
    const dLo = a - finite[lo].value;
    const dHi = finite[hi].value - a;
    const pick = dLo < dHi ? lo : dHi < dLo ? hi : finite[lo].bits % 2 === 0 ? lo : hi;
    return sign | finite[pick].bits;
  };
  const values: number[] = [65504, 65519.99, 65520, 1e6, 2 ** -25, 2 ** -25 * 1.0001, 2 ** -24 * 1.5, 2 ** -24 * 2.5, 1 + 2 ** -11, 1 + 3 * 2 ** -11, -0, 2 ** -14 - 2 ** -25];
  let seed = 42;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < 100000; i++) {
    const bits = (random() * 2 ** 32) >>> 0;
    const value = f32FromBits(bits);
    if (Number.isFinite(value)) values.push(value);
  }
  const input = Float32Array.from(values);
  const out = float32ToFloat16Bits(input);
  const wrong = [...input].findIndex((x, i) => out[i] !== nearest(x));
  assert.equal(wrong, -1, `first wrong value: ${input[wrong]}`);
  assert.equal(float32ToFloat16Bits(Float32Array.of(NaN))[0], 0x7e00);
  assert.equal(float32ToFloat16Bits(Float32Array.of(-Infinity))[0], 0xfc00);
});

test("F32 → BF16 rounds to nearest, ties to even; NaN → 0x7fc0 (as torch)", () => {
  const check = (x: number) => {
    const bits = f32Bits(x);
    const lo = bits >>> 16;
    const hi = lo + 1;
    const loValue = Math.abs(f32FromBits(lo << 16));
    const hiValue = (hi & 0x7fff) === 0x7f80 ? 2 ** 128 : Math.abs(f32FromBits(hi << 16));
    const a = Math.abs(x);
    const pick = a - loValue < hiValue - a ? lo : hiValue - a < a - loValue ? hi : lo % 2 === 0 ? lo : hi;
    return pick;
  };
  const values = [1 + 2 ** -8, 1 + 3 * 2 ** -8, -1 - 2 ** -8, 3.3895313892515355e38, 3.4028234663852886e38, 1e-40, 0, -0];
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 22695477) + 1) >>> 0) / 2 ** 32);
  for (let i = 0; i < 100000; i++) {
    const value = f32FromBits((random() * 2 ** 32) >>> 0);
    if (Number.isFinite(value)) values.push(value);
  }
  const input = Float32Array.from(values);
  const out = float32ToBFloat16Bits(input);
  const wrong = [...input].findIndex((x, i) => out[i] !== check(x));
  assert.equal(wrong, -1, `first wrong value: ${input[wrong]}`);
  assert.equal(out[0], 0x3f80, "1 + 2^-8 is a tie: rounds to even (1.0)");
  assert.equal(out[1], 0x3f82, "1 + 3·2^-8 is a tie: rounds to even (1 + 2^-6)");
  assert.equal(float32ToBFloat16Bits(Float32Array.of(-NaN))[0], 0x7fc0);
});

test("F8 formats decode per the OCP definitions", () => {
  const e4m3 = float8ToFloat32(Uint8Array.of(0x38, 0x7e, 0x01, 0x80, 0xfe, 0x7f, 0xff, 0x08), "F8_E4M3");
  assert.deepEqual([...e4m3.subarray(0, 5)], [1, 448, 2 ** -9, -0, -448]);
  assert.ok(Number.isNaN(e4m3[5]) && Number.isNaN(e4m3[6]));
  assert.equal(e4m3[7], 2 ** -6);
  const e5m2 = float8ToFloat32(Uint8Array.of(0x3c, 0x7b, 0x7c, 0x01, 0xfc, 0x7d), "F8_E5M2");
  assert.deepEqual([...e5m2.subarray(0, 5)], [1, 57344, Infinity, 2 ** -16, -Infinity]);
  assert.ok(Number.isNaN(e5m2[5]));
  const e8m0 = float8ToFloat32(Uint8Array.of(127, 128, 0, 254, 255), "F8_E8M0");
  assert.deepEqual([...e8m0.subarray(0, 4)], [1, 2, 2 ** -127, 2 ** 127]);
  assert.ok(Number.isNaN(e8m0[4]));
});
