import { test } from "node:test";
import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { crc32, MemoryByteSource, UnsupportedWeightsError, WeightsFormatError, ZipArchive } from "../../src/weights/index.js";
import { readFixture } from "./weights-fixtures.js";
import { pickleBytes } from "./pickle-builder.js";

const open = (bytes: Uint8Array, label = "test.zip") => new ZipArchive(new MemoryByteSource(bytes, label));
const text = (s: string) => new TextEncoder().encode(s);

test("torch.save-style archives: zip64 end records, records aligned to 64 bytes", () => {
  const zip = open(readFixture("tensors.bin"), "tensors.bin");
  const names = zip.entries().map((e) => e.name);
  assert.equal(names[0], "tensors/data.pkl");
  assert.ok(names.includes("tensors/byteorder") && names.includes("tensors/version") && names.includes("tensors/.data/serialization_id"));
  for (const entry of zip.entries()) assert.equal(zip.dataOffset(entry) % 64, 0, entry.name);
  assert.equal(new TextDecoder().decode(zip.read(zip.get("tensors/version")!)), "3\n");
});

test("ordinary zips: stored and deflated entries, data descriptors (Python zipfile, fflate)", () => {
  const deflated = open(readFixture("tensors-deflated.bin"), "tensors-deflated.bin");
  const pkl = deflated.get("tensors-deflated/data.pkl")!;
  assert.equal(pkl.method, 8);
  assert.equal(pkl.flags & 0x8, 0x8, "sizes deferred to a data descriptor");
  assert.equal(deflated.read(pkl)[0], 0x80);
  const payload = text("x".repeat(5000));
  const zip = open(zipSync({ "a/stored": [text("hello"), { level: 0 }], "a/packed": [payload, { level: 9 }] }));
  assert.equal(zip.get("a/packed")!.method, 8);
  assert.ok(zip.get("a/packed")!.compressedSize < 100);
  assert.deepEqual(zip.read(zip.get("a/packed")!), payload);
  assert.deepEqual(zip.read(zip.get("a/stored")!), text("hello"));
});

/** A one-entry zip written by hand, optionally with zip64 sizes in the central directory. */
function handZip(data: Uint8Array, options: { zip64Extra?: boolean; flags?: number; method?: number; crc?: number; disks?: number } = {}): Uint8Array {
  const name = text("a/data");
  const crc = options.crc ?? crc32(data);
  const local = new DataView(new ArrayBuffer(30));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(6, options.flags ?? 0, true);
  local.setUint16(8, options.method ?? 0, true);
  local.setUint32(14, crc, true);
  local.setUint32(18, data.length, true);
  local.setUint32(22, data.length, true);
  local.setUint16(26, name.length, true);
  const extra = new DataView(new ArrayBuffer(options.zip64Extra ? 28 : 0));
  if (options.zip64Extra) {
    extra.setUint16(0, 0x0001, true);
    extra.setUint16(2, 24, true);
    extra.setBigUint64(4, BigInt(data.length), true);
    extra.setBigUint64(12, BigInt(data.length), true);
    extra.setBigUint64(20, 0n, true);
  }
  const central = new DataView(new ArrayBuffer(46));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(8, options.flags ?? 0, true);
  central.setUint16(10, options.method ?? 0, true);
  central.setUint32(16, crc, true);
  const big = options.zip64Extra ? 0xffffffff : data.length;
  central.setUint32(20, big, true);
  central.setUint32(24, big, true);
  central.setUint16(28, name.length, true);
  central.setUint16(30, extra.byteLength, true);
  central.setUint32(42, options.zip64Extra ? 0xffffffff : 0, true);
  const localSize = 30 + name.length + data.length;
  const centralSize = 46 + name.length + extra.byteLength;
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(4, options.disks ?? 0, true);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, localSize, true);
  return pickleBytes(new Uint8Array(local.buffer), name, data, new Uint8Array(central.buffer), name, new Uint8Array(extra.buffer), new Uint8Array(end.buffer));
}

test("zip64 extra fields in the central directory are honoured", () => {
  const zip = open(handZip(text("payload"), { zip64Extra: true }));
  const entry = zip.get("a/data")!;
  assert.equal(entry.uncompressedSize, 7);
  assert.equal(entry.localHeaderOffset, 0);
  assert.deepEqual(zip.read(entry), text("payload"));
});

test("broken or exotic archives are typed errors naming the file", () => {
  const fails = (bytes: Uint8Array, type: new (...a: never[]) => Error, pattern: RegExp, what: string) =>
    assert.throws(() => {
      const zip = open(bytes, "broken.zip");
      for (const entry of zip.entries()) zip.read(entry);
    }, (e: unknown) => e instanceof type && pattern.test((e as Error).message) && (e as Error).message.startsWith("broken.zip"), what);
  const good = handZip(text("payload"));
  fails(good.subarray(0, good.length - 22), WeightsFormatError, /no zip end-of-central-directory/, "no end record");
  fails(new Uint8Array(10), WeightsFormatError, /too short/, "tiny");
  fails(handZip(text("payload"), { crc: 1234 }), WeightsFormatError, /CRC-32 of "a\/data"/, "crc");
  fails(handZip(text("payload"), { flags: 1 }), UnsupportedWeightsError, /encrypted/, "encrypted");
  fails(handZip(text("payload"), { method: 12 }), UnsupportedWeightsError, /method 12/, "bzip2");
  fails(handZip(text("payload"), { method: 8 }), WeightsFormatError, /does not inflate|inflates to/, "bad deflate");
  fails(handZip(text("payload"), { disks: 1 }), UnsupportedWeightsError, /multi-part/, "spanned");
  const wrongLocal = new Uint8Array(good);
  wrongLocal[0] = 0;
  fails(wrongLocal, WeightsFormatError, /local header .* missing/, "local signature");
  const farOffset = new Uint8Array(good);
  new DataView(farOffset.buffer).setUint32(farOffset.length - 6, 0xfffff, true);
  fails(farOffset, WeightsFormatError, /central directory/, "directory offset");
  const bomb = handZip(new Uint8Array(10), { method: 8 });
  const view = new DataView(bomb.buffer);
  view.setUint32(30 + 6 + 10 + 24, 0x7fffffff, true);
  fails(bomb, WeightsFormatError, /more than deflate can produce/, "zip bomb claim");
  const twice = zipSync({ "a/x": [text("1"), { level: 0 }], "a/y": [text("2"), { level: 0 }] });
  const dup = new Uint8Array(twice);
  const at = Buffer.from(dup).lastIndexOf(Buffer.from("a/y"));
  dup[at + 2] = "x".charCodeAt(0);
  fails(dup, WeightsFormatError, /lists "a\/x" twice/, "duplicate names");
});
