import { test } from "node:test";
import assert from "node:assert/strict";
import { ProtoWriter } from "../../src/graph/index.js";
import { decodeFields, packedVarints } from "./support/proto-decoder.js";

test("varints, negative int64 and wire types", () => {
  const w = new ProtoWriter(4);
  w.int(1, 0);
  w.int(2, 300);
  w.int(3, 2 ** 40 + 5);
  w.int(4, -1);
  w.int(5, 9223372036854775807n);
  w.float(6, 1.5);
  w.string(7, "héllo");
  const bytes = w.finish();
  // field 2 = 300: tag 0x10, varint 0xAC 0x02 (the protobuf docs' example)
  assert.deepEqual([...bytes.subarray(2, 5)], [0x10, 0xac, 0x02]);
  const f = decodeFields(bytes);
  assert.deepEqual(f.map((x) => [x.field, x.wire]), [[1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 5], [7, 2]]);
  assert.equal(f[2]!.varint, 2n ** 40n + 5n);
  assert.equal(BigInt.asIntN(64, f[3]!.varint!), -1n);
  assert.equal(f[4]!.varint, 9223372036854775807n);
  assert.equal(new TextDecoder().decode(f[6]!.bytes), "héllo");
});

test("-1 takes ten bytes, as protobuf encodes negative int64", () => {
  const w = new ProtoWriter();
  w.int(1, -1);
  assert.equal(w.finish().length, 11);
});

test("packed repeated ints and floats", () => {
  const w = new ProtoWriter();
  w.packedInts(1, [1, 150, -2, 0]);
  w.packedInts(2, new BigInt64Array([5n, -7n]));
  w.packedFloats(3, [0.25, -2]);
  const f = decodeFields(w.finish());
  assert.deepEqual(f.map((x) => x.wire), [2, 2, 2]);
  assert.deepEqual(packedVarints(f[0]!.bytes!), [1, 150, -2, 0]);
  assert.deepEqual(packedVarints(f[1]!.bytes!), [5, -7]);
  const view = new DataView(f[2]!.bytes!.buffer, f[2]!.bytes!.byteOffset, 8);
  assert.deepEqual([view.getFloat32(0, true), view.getFloat32(4, true)], [0.25, -2]);
});

test("nested messages and large bytes are referenced, then copied once into the result", () => {
  const big = new Uint8Array(100_000).map((_, i) => i & 255);
  const child = new ProtoWriter();
  child.int(1, 7);
  child.bytes(2, big);
  const parent = new ProtoWriter();
  parent.string(1, "p");
  parent.message(2, child);
  parent.int(3, 9);
  assert.equal(parent.length, parent.finish().length);
  const out = parent.finish();
  const f = decodeFields(out);
  assert.deepEqual(f.map((x) => x.field), [1, 2, 3]);
  const inner = decodeFields(f[1]!.bytes!);
  assert.equal(inner[0]!.varint, 7n);
  assert.deepEqual(inner[1]!.bytes, big);
  assert.notEqual(inner[1]!.bytes!.buffer, big.buffer, "the result owns its bytes");
});
