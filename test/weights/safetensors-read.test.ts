import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  MAX_HEADER_BYTES,
  readSafetensors,
  readSafetensorsSync,
  SafetensorsFile,
  TensorNotFoundError,
  UnsupportedWeightsError,
  WeightsError,
  WeightsFormatError,
  WeightsNotFoundError,
  bfloat16BitsToFloat32,
  float16BitsToFloat32,
} from "../../src/weights/index.js";
import { bytesOf, expectedTensors, handParsedHeader, HF_MODELS, HF_MODELS_DIR, readFixture, weightsFixture } from "./weights-fixtures.js";

const DTYPE_SIZES: Record<string, number> = { F32: 4, I64: 8, F64: 8, F16: 2, BF16: 2, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

test("all six Hugging Face fixture checkpoints load with the header's names, dtypes and shapes", async () => {
  for (const model of HF_MODELS) {
    const path = join(HF_MODELS_DIR, model, "model.safetensors");
    const bytes = new Uint8Array(readFileSync(path));
    const { dataStart, header } = handParsedHeader(bytes);
    const file = await readSafetensors(path);
    const names = Object.keys(header).filter((k) => k !== "__metadata__").sort();
    assert.deepEqual(file.names(), names, model);
    assert.deepEqual(file.metadata(), { format: "pt" });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const name of names) {
      const { dtype, shape, data_offsets: [begin, end] } = header[name];
      assert.deepEqual(file.info(name), { name, dtype, shape }, `${model}/${name}`);
      const values = file.getFloat32(name);
      const count = (end - begin) / DTYPE_SIZES[dtype];
      assert.equal(values.length, count);
      // First, middle and last element, decoded straight from the file bytes.
      for (const i of new Set([0, count >> 1, count - 1].filter((i) => i >= 0))) {
        const at = dataStart + begin + i * DTYPE_SIZES[dtype];
        const expected = dtype === "F32" ? view.getFloat32(at, true) : dtype === "I64" ? Number(view.getBigInt64(at, true)) : NaN;
        assert.equal(values[i], Math.fround(expected), `${model}/${name}[${i}]`);
      }
    }
    file.close();
  }
});

test("float32 tensors are zero-copy views of the file buffer", () => {
  const bytes = new Uint8Array(readFileSync(join(HF_MODELS_DIR, "wav2vec2", "model.safetensors")));
  const file = SafetensorsFile.fromBytes(bytes, "wav2vec2");
  const values = file.getFloat32("classifier.weight");
  assert.equal(values.buffer, bytes.buffer);
  const range = file.byteRange("classifier.weight");
  assert.equal(values.byteOffset, bytes.byteOffset + range.begin);
  // Misaligned input (the same file shifted by one byte) still decodes, through one copy.
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  const copy = SafetensorsFile.fromBytes(shifted.subarray(1), "shifted").getFloat32("classifier.weight");
  assert.notEqual(copy.buffer, shifted.buffer);
  assert.deepEqual(bytesOf(copy), bytesOf(values));
});

test("every dtype reads back exactly (values from the generator's JSON)", () => {
  const file = SafetensorsFile.fromBytes(readFixture("tensors.safetensors"), "tensors.safetensors");
  const expected = expectedTensors();
  assert.deepEqual(file.names(), Object.keys(expected).sort());
  for (const [name, want] of Object.entries(expected)) {
    const raw = file.getRaw(name);
    assert.equal(raw.dtype, want.dtype, name);
    assert.deepEqual(raw.shape, want.shape, name);
    const got = raw.dtype === "F32" ? [...new Uint32Array(raw.data.buffer, raw.data.byteOffset, raw.data.length)]
      : raw.dtype === "F64" ? [...new BigUint64Array(raw.data.buffer, raw.data.byteOffset, raw.data.length)]
      : [...(raw.data as unknown as Iterable<number | bigint>)];
    assert.deepEqual(got.map(String), want.bits, name);
  }
  // Conversions to float32 and to the shared Tensor type.
  assert.deepEqual([...file.getFloat32("f16.values")], [...float16BitsToFloat32(file.getRaw("f16.values").data as Uint16Array)]);
  assert.deepEqual([...file.getFloat32("bf16.values")], [...bfloat16BitsToFloat32(file.getRaw("bf16.values").data as Uint16Array)]);
  assert.deepEqual([...file.getFloat32("i64.values")], [-1, 2 ** 40, Math.fround(-(2 ** 53) + 1), Math.fround(2 ** 62 + 5)]);
  assert.deepEqual([...file.getFloat32("bool.mask")], [1, 0, 1, 1, 0]);
  assert.equal(file.getTensor("f64.values").type, "float64");
  assert.equal(file.getTensor("i64.position_ids").type, "int64");
  assert.deepEqual(file.getTensor("i16.values"), { type: "int32", dims: [3], data: Int32Array.of(-32768, 12, 32767) });
  assert.deepEqual(file.getTensor("u8.values").type, "uint8");
  assert.deepEqual(file.getTensor("bool.mask").type, "bool");
  assert.deepEqual(file.getTensor("f16.values").type, "float32");
  assert.deepEqual(file.getTensor("f32.scalar"), { type: "float32", dims: [], data: Float32Array.of(3.25) });
  assert.deepEqual(file.getTensor("f32.empty").dims, [0, 3]);
});

test("an unknown tensor name is a TensorNotFoundError with close names", () => {
  const file = readSafetensorsSync(join(HF_MODELS_DIR, "wav2vec2", "model.safetensors"));
  assert.throws(() => file.getRaw("classifier.weights"), (e: unknown) => {
    assert.ok(e instanceof TensorNotFoundError);
    assert.match((e as Error).message, /no tensor named "classifier.weights".*"classifier.weight"/);
    assert.equal((e as TensorNotFoundError).tensor, "classifier.weights");
    return true;
  });
});

test("a missing file is a WeightsNotFoundError naming it", async () => {
  await assert.rejects(readSafetensors(weightsFixture("nope.safetensors")), (e: unknown) => e instanceof WeightsNotFoundError && /nope\.safetensors/.test((e as Error).message));
});

/** A safetensors file with a hand-written header (padded to 8) and data section. */
function makeFile(header: string | object, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  let text = typeof header === "string" ? header : JSON.stringify(header);
  while (text.length % 8 !== 0) text += " ";
  const json = Buffer.from(text, "utf8");
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: "F32", shape, data_offsets: [begin, end] });

test("corrupt and truncated headers are WeightsFormatErrors naming the file (and tensor)", () => {
  const cases: [string, Uint8Array, RegExp, string?][] = [
    ["too short", new Uint8Array(5), /too short/],
    ["header past the end", makeFile({ a: f32([1], 0, 4) }, new Uint8Array(4), 4096n), /only \d+ follow/],
    ["huge header length", makeFile({}, new Uint8Array(0), BigInt(MAX_HEADER_BYTES) + 1n), /100 MB/],
    ["not UTF-8", (() => { const f = makeFile('{"a":1}'); f[9] = 0xff; return f; })(), /UTF-8/],
    ["not JSON", makeFile('{"a": [1,'), /not valid JSON/],
    ["not an object", makeFile("[1, 2]"), /does not start with/],
    ["unknown dtype", makeFile({ w: { dtype: "F99", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)), /unknown dtype "F99"/, "w"],
    ["negative dim", makeFile({ w: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)), /shape/, "w"],
    ["fractional dim", makeFile({ w: { dtype: "F32", shape: [1.5], data_offsets: [0, 4] } }, new Uint8Array(4)), /shape/, "w"],
    ["offsets reversed", makeFile({ w: f32([1], 4, 0) }, new Uint8Array(4)), /data_offsets/, "w"],
    ["missing offsets", makeFile({ w: { dtype: "F32", shape: [1] } }, new Uint8Array(4)), /data_offsets/, "w"],
    ["gap", makeFile({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, new Uint8Array(12)), /gap/, "b"],
    ["overlap", makeFile({ a: f32([2], 0, 8), b: f32([1], 4, 8) }, new Uint8Array(8)), /overlap/, "b"],
    ["size mismatch", makeFile({ a: f32([3], 0, 8) }, new Uint8Array(8)), /needs 12 bytes/, "a"],
    ["not starting at 0", makeFile({ a: f32([1], 4, 8) }, new Uint8Array(8)), /gap/, "a"],
    ["truncated data", makeFile({ a: f32([4], 0, 16) }, new Uint8Array(10)), /truncated/],
    ["trailing bytes", makeFile({ a: f32([1], 0, 4) }, new Uint8Array(6)), /trailing/],
    ["metadata not strings", makeFile({ __metadata__: { format: 1 }, a: f32([1], 0, 4) }, new Uint8Array(4)), /must be a string/],
    ["tensor not an object", makeFile({ a: [1, 2] }), /must be described by an object/, "a"],
  ];
  for (const [what, bytes, pattern, tensor] of cases) {
    assert.throws(() => SafetensorsFile.fromBytes(bytes, `case-${what.replaceAll(" ", "-")}.safetensors`), (e: unknown) => {
      assert.ok(e instanceof WeightsFormatError, `${what}: ${String(e)}`);
      assert.match((e as Error).message, pattern, what);
      assert.match((e as Error).message, /case-.*\.safetensors/, `${what} names the file`);
      assert.equal((e as WeightsFormatError).file, `case-${what.replaceAll(" ", "-")}.safetensors`);
      if (tensor) assert.equal((e as WeightsFormatError).tensor, tensor, `${what} names the tensor`);
      return true;
    }, what);
  }
});

test("a dtype safetensors defines but we do not read is an UnsupportedWeightsError", () => {
  const bytes = makeFile({ z: { dtype: "C64", shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8));
  assert.throws(() => SafetensorsFile.fromBytes(bytes, "complex.safetensors"), UnsupportedWeightsError);
});

test("zero-size tensors and an empty file are valid", () => {
  const file = SafetensorsFile.fromBytes(makeFile({ e: f32([0, 5], 0, 0), s: f32([], 0, 4) }, new Uint8Array(Float32Array.of(2).buffer)), "z");
  assert.deepEqual(file.getFloat32("e").length, 0);
  assert.deepEqual([...file.getFloat32("s")], [2]);
  assert.deepEqual(SafetensorsFile.fromBytes(makeFile({}), "empty").names(), []);
  assert.equal(SafetensorsFile.fromBytes(makeFile({}), "empty").hasMetadata(), false);
});

test("every truncation and random corruption of a real file fails with a WeightsError, never a crash", () => {
  const bytes = readFixture("tensors.safetensors");
  for (let length = 0; length < bytes.length; length++) {
    assert.throws(() => SafetensorsFile.fromBytes(bytes.subarray(0, length), "cut.safetensors"), WeightsError, `cut at ${length}`);
  }
  let seed = 1;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const { dataStart } = handParsedHeader(bytes);
  for (let trial = 0; trial < 400; trial++) {
    const mutated = new Uint8Array(bytes);
    for (let k = 0; k < 3; k++) mutated[Math.floor(random() * dataStart)] = Math.floor(random() * 256);
    try {
      const file = SafetensorsFile.fromBytes(mutated, "mutated.safetensors");
      for (const name of file.names()) file.getFloat32(name);
    } catch (e) {
      assert.ok(e instanceof WeightsError, `trial ${trial}: ${String(e)}`);
    }
  }
});
