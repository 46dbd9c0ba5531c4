import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  encodeSafetensors,
  float32ToBFloat16Bits,
  float32ToFloat16Bits,
  InvalidTensorError,
  layoutSafetensors,
  type RawTensor,
  readSafetensors,
  SafetensorsFile,
  saveSafetensors,
  WeightsWriteError,
} from "../../src/weights/index.js";
import { bytesOf, handParsedHeader, HF_MODELS, HF_MODELS_DIR, readFixture, withTempDir } from "./weights-fixtures.js";

test("re-saving what we read reproduces each Python-written fixture byte for byte", () => {
  for (const model of HF_MODELS) {
    const original = new Uint8Array(readFileSync(join(HF_MODELS_DIR, model, "model.safetensors")));
    const file = SafetensorsFile.fromBytes(original, model);
    const tensors = new Map(file.names().map((n) => [n, file.getRaw(n)]));
    const again = encodeSafetensors(tensors, file.metadata());
    assert.ok(bytesOf(again).equals(bytesOf(original)), `${model} differs`);
  }
  // The generator's file (every dtype, written with the Rust ordering rule) as well.
  const original = readFixture("tensors.safetensors");
  const file = SafetensorsFile.fromBytes(original, "tensors");
  assert.ok(bytesOf(encodeSafetensors(Object.fromEntries(file.names().map((n) => [n, file.getRaw(n)])))).equals(bytesOf(original)));
});

test("layout follows safetensors' prepare(): dtype alignment descending, then name by code point", () => {
  const tensors: Record<string, RawTensor> = {
    "b.f32": { dtype: "F32", shape: [1], data: Float32Array.of(1) },
    "a.bool": { dtype: "BOOL", shape: [2], data: Uint8Array.of(1, 0) },
    "a.f32": { dtype: "F32", shape: [1], data: Float32Array.of(2) },
    "z.i64": { dtype: "I64", shape: [1], data: BigInt64Array.of(3n) },
    "c.bf16": { dtype: "BF16", shape: [1], data: Uint16Array.of(0x3f80) },
    "c.f16": { dtype: "F16", shape: [1], data: Uint16Array.of(0x3c00) },
    "d.f64": { dtype: "F64", shape: [1], data: Float64Array.of(4) },
    "é.f32": { dtype: "F32", shape: [1], data: Float32Array.of(5) },
    "\u{1F600}.f32": { dtype: "F32", shape: [1], data: Float32Array.of(6) },
    "\uFFFD.f32": { dtype: "F32", shape: [1], data: Float32Array.of(7) },
  };
  const layout = layoutSafetensors(tensors);
  assert.deepEqual(layout.order, ["z.i64", "d.f64", "a.f32", "b.f32", "é.f32", "\uFFFD.f32", "\u{1F600}.f32", "c.bf16", "c.f16", "a.bool"]);
  const bytes = encodeSafetensors(tensors);
  const { dataStart, header } = handParsedHeader(bytes);
  assert.equal((dataStart - 8) % 8, 0, "header padded to a multiple of 8");
  assert.match(Buffer.from(bytes.subarray(8, dataStart)).toString("utf8"), /^\{"__metadata__":\{"format":"pt"\},"z\.i64":\{"dtype":"I64","shape":\[1\],"data_offsets":\[0,8\]\}.*\} *$/);
  assert.deepEqual(header["d.f64"].data_offsets, [8, 16]);
  // Sorting by alignment makes every tensor start at a multiple of its element size.
  const sizes: Record<string, number> = { I64: 8, F64: 8, F32: 4, BF16: 2, F16: 2, BOOL: 1 };
  for (const name of layout.order) assert.equal((dataStart + header[name].data_offsets[0]) % sizes[header[name].dtype], 0, name);
});

test("round trip: every dtype and the shared Tensor types, metadata merged with format=pt", () => {
  const f = Float32Array.of(1.5, -2.25, 3e-8, 65504);
  const tensors = {
    f32: { type: "float32" as const, dims: [2, 2], data: f },
    f64: { type: "float64" as const, dims: [2], data: Float64Array.of(Math.PI, -0) },
    i32: { type: "int32" as const, dims: [1, 3], data: Int32Array.of(-1, 0, 2 ** 31 - 1) },
    i64: { type: "int64" as const, dims: [2], data: BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n) },
    u8: { type: "uint8" as const, dims: [3], data: Uint8Array.of(0, 128, 255) },
    i8: { type: "int8" as const, dims: [2], data: Int8Array.of(-128, 127) },
    bool: { type: "bool" as const, dims: [2], data: Uint8Array.of(1, 0) },
    f16: { dtype: "F16" as const, shape: [2, 2], data: float32ToFloat16Bits(f) },
    bf16: { dtype: "BF16" as const, shape: [4], data: float32ToBFloat16Bits(f) },
    i16: { dtype: "I16" as const, shape: [2], data: Int16Array.of(-32768, 32767) },
    scalar: { type: "float32" as const, dims: [], data: Float32Array.of(7) },
    empty: { type: "float32" as const, dims: [0], data: new Float32Array(0) },
  };
  const bytes = encodeSafetensors(tensors, { note: "hello", "zz-last": "1" });
  const file = SafetensorsFile.fromBytes(bytes, "roundtrip");
  assert.deepEqual(file.metadata(), { format: "pt", note: "hello", "zz-last": "1" });
  assert.match(Buffer.from(bytes).toString("utf8", 8, 80), /^\{"__metadata__":\{"format":"pt","note":"hello","zz-last":"1"\}/);
  for (const [name, tensor] of Object.entries(tensors)) {
    const raw = file.getRaw(name);
    const source = "dtype" in tensor ? tensor : { dtype: { float32: "F32", float64: "F64", int32: "I32", int64: "I64", uint8: "U8", int8: "I8", bool: "BOOL" }[tensor.type], shape: tensor.dims, data: tensor.data };
    assert.equal(raw.dtype, source.dtype, name);
    assert.deepEqual(raw.shape, source.shape, name);
    assert.ok(bytesOf(raw.data).equals(bytesOf(source.data)), name);
  }
  // 3e-8 is just over half the smallest subnormal half (2^-24), so it rounds up to it.
  assert.deepEqual([...file.getFloat32("f16")], [1.5, -2.25, 2 ** -24, 65504]);
  // A caller's own "format" wins.
  assert.deepEqual(SafetensorsFile.fromBytes(encodeSafetensors({}, { format: "flax" }), "m").metadata(), { format: "flax" });
});

test("saveSafetensors writes atomically and the result reads back", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "model.safetensors");
    const tensors = { w: { type: "float32" as const, dims: [3], data: Float32Array.of(1, 2, 3) } };
    await saveSafetensors(path, tensors);
    assert.deepEqual([...(await readSafetensors(path)).getFloat32("w")], [1, 2, 3]);
    await saveSafetensors(path, { w: { type: "float32" as const, dims: [1], data: Float32Array.of(9) } });
    assert.deepEqual([...(await readSafetensors(path)).getFloat32("w")], [9]);
    assert.deepEqual(readdirSync(dir), ["model.safetensors"], "no temp files left behind");
  });
});

test("a failed save leaves the destination untouched and no temp file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "model.safetensors");
    writeFileSync(path, "previous contents");
    // Invalid input is rejected before anything is written.
    await assert.rejects(saveSafetensors(path, { w: { type: "float32", dims: [4], data: Float32Array.of(1) } }), InvalidTensorError);
    assert.equal(readFileSync(path, "utf8"), "previous contents");
    // The rename cannot replace a directory: the write fails after the temp file existed.
    const blocked = join(dir, "blocked.safetensors");
    mkdirSync(blocked);
    await assert.rejects(saveSafetensors(blocked, { w: { type: "float32", dims: [1], data: Float32Array.of(1) } }), (e: unknown) => e instanceof WeightsWriteError && (e as Error).message.includes("blocked.safetensors"));
    // A folder that does not exist.
    await assert.rejects(saveSafetensors(join(dir, "missing", "m.safetensors"), {}), WeightsWriteError);
    assert.deepEqual(readdirSync(dir).sort(), ["blocked.safetensors", "model.safetensors"]);
    assert.ok(existsSync(blocked));
  });
});

test("invalid tensors are InvalidTensorErrors naming the tensor", () => {
  const cases: [string, unknown, RegExp][] = [
    ["__metadata__", { type: "float32", dims: [1], data: Float32Array.of(1) }, /reserved/],
    ["", { type: "float32", dims: [1], data: Float32Array.of(1) }, /empty/],
    ["bad\uD800name", { type: "float32", dims: [1], data: Float32Array.of(1) }, /surrogate/],
    ["wrong-array", { type: "float32", dims: [1], data: Float64Array.of(1) }, /Float32Array/],
    ["wrong-count", { type: "int32", dims: [2, 2], data: Int32Array.of(1) }, /4 elements/],
    ["bad-dims", { type: "float32", dims: [-1], data: Float32Array.of(1) }, /non-negative/],
    ["bad-dtype", { dtype: "F128", shape: [1], data: Float32Array.of(1) }, /unknown dtype/],
    ["f16-as-float", { dtype: "F16", shape: [1], data: Float32Array.of(1) }, /Uint16Array/],
    ["not-a-tensor", 42, /must be a Tensor/],
  ];
  for (const [name, tensor, pattern] of cases) {
    assert.throws(() => encodeSafetensors({ [name]: tensor as RawTensor }), (e: unknown) => e instanceof InvalidTensorError && pattern.test((e as Error).message), name);
  }
  assert.throws(() => encodeSafetensors({}, { format: 1 as unknown as string }), InvalidTensorError);
});
