import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import {
  SafetensorsFile,
  TorchCheckpoint,
  UnsafePickleError,
  UnsupportedWeightsError,
  WeightsError,
  WeightsFormatError,
  ZipArchive,
  MemoryByteSource,
} from "../../src/weights/index.js";
import { bytesOf, readFixture } from "./weights-fixtures.js";
import { binint, binunicode, pickleBytes, statePickle, torchZip } from "./pickle-builder.js";

const VARIANTS: [file: string, container: "zip" | "legacy"][] = [
  ["tensors.bin", "zip"],
  ["tensors-protocol4.bin", "zip"],
  ["tensors-protocol5.bin", "zip"],
  ["tensors-big-endian.bin", "zip"],
  ["tensors-deflated.bin", "zip"],
  ["tensors-legacy.bin", "legacy"],
];

const reference = SafetensorsFile.fromBytes(readFixture("tensors.safetensors"), "tensors.safetensors");

test("every pytorch_model.bin variant holds exactly the tensors of the safetensors twin", () => {
  for (const [name, container] of VARIANTS) {
    const checkpoint = TorchCheckpoint.fromBytes(readFixture(name), name);
    assert.equal(checkpoint.container, container, name);
    assert.deepEqual(checkpoint.names(), reference.names(), name);
    for (const tensor of reference.names()) {
      const want = reference.getRaw(tensor);
      const got = checkpoint.getRaw(tensor);
      assert.equal(got.dtype, want.dtype, `${name}: ${tensor}`);
      assert.deepEqual(got.shape, want.shape, `${name}: ${tensor}`);
      assert.ok(bytesOf(got.data).equals(bytesOf(want.data)), `${name}: ${tensor} bytes differ`);
      assert.deepEqual(bytesOf(checkpoint.getFloat32(tensor)), bytesOf(reference.getFloat32(tensor)), `${name}: ${tensor} as float32`);
    }
  }
});

test("strided views are materialised row-major (transpose, window, expand)", () => {
  const checkpoint = TorchCheckpoint.fromBytes(readFixture("tensors.bin"), "tensors.bin");
  const matrix = checkpoint.getFloat32("f32.matrix");
  const transposed = checkpoint.getFloat32("f32.transposed");
  for (let r = 0; r < 4; r++) for (let c = 0; c < 3; c++) assert.equal(transposed[r * 3 + c], matrix[c * 4 + r]);
  const block = checkpoint.getFloat32("f32.block");
  assert.deepEqual([...checkpoint.getFloat32("f32.window")], [block[5], block[6], block[9], block[10]]);
  assert.deepEqual([...checkpoint.getFloat32("f32.tail")], [...block.subarray(8)]);
  const expanded = checkpoint.getFloat32("f32.expanded");
  for (let r = 1; r < 3; r++) assert.deepEqual([...expanded.subarray(r * 4, r * 4 + 4)], [...expanded.subarray(0, 4)]);
  assert.deepEqual(checkpoint.info("f32.permuted"), { name: "f32.permuted", dtype: "F32", shape: [2, 3, 4] });
  assert.deepEqual([...checkpoint.getFloat32("f32.scalar")], [3.25]);
  assert.equal(checkpoint.getFloat32("f32.empty").length, 0);
});

test("shared storages (tied weights) resolve to the same bytes; parameters are flagged", () => {
  const plain = TorchCheckpoint.fromBytes(readFixture("tensors.bin"), "tensors.bin");
  assert.equal(plain.storageKey("tied.input_embeddings"), plain.storageKey("tied.output_embeddings"));
  assert.equal(plain.storageKey("f32.matrix"), plain.storageKey("f32.transposed"));
  assert.notEqual(plain.storageKey("f32.matrix"), plain.storageKey("f32.block"));
  assert.equal(plain.getFloat32("tied.input_embeddings").buffer, plain.getFloat32("tied.output_embeddings").buffer);
  assert.equal(plain.isParameter("f32.matrix"), false);
  const styled = TorchCheckpoint.fromBytes(readFixture("tensors-protocol4.bin"), "p4.bin");
  assert.equal(styled.isParameter("f32.matrix"), true);
  assert.equal(styled.isParameter("tied.input_embeddings"), true);
  assert.equal(styled.isParameter("tied.output_embeddings"), false);
  assert.equal(styled.storageKey("tied.input_embeddings"), styled.storageKey("tied.output_embeddings"));
});

test("contiguous tensors are zero-copy views into the archive (records are 64-byte aligned)", () => {
  const bytes = readFixture("tensors.bin");
  const checkpoint = TorchCheckpoint.fromBytes(bytes, "tensors.bin");
  assert.equal(checkpoint.getFloat32("f32.block").buffer, bytes.buffer);
  assert.equal(checkpoint.getRaw("i64.position_ids").data.buffer, bytes.buffer);
});

test("malicious checkpoints are refused by name and nothing runs", () => {
  const marker = "/tmp/audioclass-weights-pwned";
  rmSync(marker, { force: true });
  for (const [file, refused] of [["malicious-os-system.bin", "posix.system"], ["malicious-eval-legacy.bin", "builtins.eval"]]) {
    assert.throws(() => TorchCheckpoint.fromBytes(readFixture(file), file), (e: unknown) => {
      assert.ok(e instanceof UnsafePickleError, String(e));
      assert.equal((e as UnsafePickleError).refused, refused);
      assert.equal((e as UnsafePickleError).file, file);
      assert.match((e as Error).message, new RegExp(`${file}.*"${refused.replace(".", "\\.")}".*Nothing was executed`));
      return true;
    });
  }
  assert.equal(existsSync(marker), false);
});

test("every truncation of a zip or legacy checkpoint fails with a WeightsError", () => {
  for (const name of ["tensors.bin", "tensors-legacy.bin", "tensors-deflated.bin"]) {
    const bytes = readFixture(name);
    for (let length = 0; length < bytes.length; length += 7) {
      assert.throws(() => {
        const checkpoint = TorchCheckpoint.fromBytes(bytes.subarray(0, length), "cut.bin");
        for (const tensor of checkpoint.names()) checkpoint.getRaw(tensor);
      }, WeightsError, `${name} cut at ${length}`);
    }
  }
});

test("random corruption of the pickle or records never crashes", () => {
  const bytes = readFixture("tensors.bin");
  let seed = 3;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let trial = 0; trial < 300; trial++) {
    const mutated = new Uint8Array(bytes);
    for (let k = 0; k < 2; k++) mutated[Math.floor(random() * mutated.length)] ^= 1 + Math.floor(random() * 255);
    for (const verifyChecksums of [true, false]) {
      try {
        const checkpoint = TorchCheckpoint.fromBytes(mutated, "mutated.bin", { verifyChecksums });
        for (const tensor of checkpoint.names()) checkpoint.getFloat32(tensor);
      } catch (e) {
        assert.ok(e instanceof WeightsError, `trial ${trial}: ${String(e)}`);
      }
    }
  }
});

test("a corrupted storage record fails its CRC-32 when read (unless checks are off)", () => {
  const bytes = readFixture("tensors.bin");
  const zip = new ZipArchive(new MemoryByteSource(bytes, "tensors.bin"));
  const entry = zip.get("tensors/data/0");
  assert.ok(entry);
  const corrupted = new Uint8Array(bytes);
  corrupted[zip.dataOffset(entry)] ^= 0xff;
  const checkpoint = TorchCheckpoint.fromBytes(corrupted, "corrupt.bin");
  assert.doesNotThrow(() => checkpoint.getRaw("f32.block"));
  assert.throws(() => checkpoint.getRaw("f32.matrix"), (e: unknown) => e instanceof WeightsFormatError && /CRC-32 of "tensors\/data\/0"/.test((e as Error).message));
  const unchecked = TorchCheckpoint.fromBytes(corrupted, "corrupt.bin", { verifyChecksums: false });
  assert.notDeepEqual(bytesOf(unchecked.getFloat32("f32.matrix")), bytesOf(reference.getFloat32("f32.matrix")));
});

test("files that are not state-dict checkpoints get precise errors", () => {
  const expectError = (bytes: Uint8Array, type: new (...args: never[]) => Error, pattern: RegExp, what: string) =>
    assert.throws(() => TorchCheckpoint.fromBytes(bytes, "x.bin"), (e: unknown) => e instanceof type && pattern.test((e as Error).message), what);
  expectError(new TextEncoder().encode("hello world, not a checkpoint"), WeightsFormatError, /neither a torch.save zip archive nor a legacy torch pickle/, "text");
  expectError(readFixture("tensors.safetensors"), WeightsFormatError, /looks like a safetensors file/, "safetensors");
  const tar = new Uint8Array(1024);
  tar.set(new TextEncoder().encode("ustar"), 257);
  expectError(tar, UnsupportedWeightsError, /tar-based/, "tar");
  expectError(new TextEncoder().encode("PYTORCH1xxxxxxxxxx"), UnsupportedWeightsError, /preview release/, "PYTORCH1");
  expectError(torchZip({ "constants.pkl": pickleBytes([0x80, 2], "N.") }), UnsupportedWeightsError, /TorchScript/, "torchscript");
  expectError(torchZip({ "readme.txt": new Uint8Array(3) }), WeightsFormatError, /no archive\/data\.pkl/, "no data.pkl");
  expectError(torchZip({ "data.pkl": pickleBytes([0x80, 2], "]."), version: new Uint8Array([51, 10]) }), WeightsFormatError, /holds a list, not a state dict/, "list");
  const nested = pickleBytes([0x80, 2], "}", "X", [5, 0, 0, 0], "model", "}", "s.");
  expectError(torchZip({ "data.pkl": nested }), WeightsFormatError, /nested under "model"/, "nested");
  expectError(torchZip({ "data.pkl": pickleBytes([0x80, 2], "}K", [1], "Ns.") }), WeightsFormatError, /key is a int/, "int key");
  expectError(torchZip({ "data.pkl": pickleBytes([0x80, 2], "}", "X", [1, 0, 0, 0], "a", "K", [5], "s.") }), WeightsFormatError, /entry "a" is a int, not a tensor/, "int value");
  const storage = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
  const tensor = { name: "w", key: "0", numel: 4, size: [2, 2], stride: [2, 1] };
  expectError(torchZip({ "data.pkl": statePickle([tensor]) }), WeightsFormatError, /archive\/data\/0 is missing/, "missing record");
  expectError(torchZip({ "data.pkl": statePickle([{ ...tensor, numel: 5 }]), "data/0": storage }), WeightsFormatError, /holds 16 bytes but its storage needs 20/, "size mismatch");
  expectError(torchZip({ "data.pkl": statePickle([{ ...tensor, size: [3, 2] }]), "data/0": storage }), WeightsFormatError, /reaches element 5 of a storage holding 4/, "out of bounds");
  expectError(torchZip({ "data.pkl": statePickle([{ ...tensor, offset: 1 }]), "data/0": storage }), WeightsFormatError, /reaches element 4/, "offset out of bounds");
  expectError(torchZip({ "data.pkl": statePickle([{ ...tensor, stride: [2] }]), "data/0": storage }), WeightsFormatError, /2 dims but 1 strides/, "stride rank");
  expectError(torchZip({ "data.pkl": statePickle([{ ...tensor, storageType: "ComplexFloatStorage" }]), "data/0": storage }), UnsupportedWeightsError, /complex tensors \(torch\.ComplexFloatStorage\)/, "complex storage");
  expectError(torchZip({ "data.pkl": statePickle([{ ...tensor, storageType: "MysteryStorage" }]), "data/0": storage }), UnsafePickleError, /torch\.MysteryStorage/, "unknown storage class");
  expectError(torchZip({ "data.pkl": statePickle([tensor]), "data/0": storage, byteorder: new TextEncoder().encode("middle") }), WeightsFormatError, /byteorder record says "middle"/, "byteorder");
  // The hand-built archive loads when it is consistent.
  const ok = TorchCheckpoint.fromBytes(torchZip({ "data.pkl": statePickle([tensor, { ...tensor, name: "t", stride: [1, 2] }]), "data/0": storage }), "ok.bin");
  assert.deepEqual([...ok.getFloat32("w")], [1, 2, 3, 4]);
  assert.deepEqual([...ok.getFloat32("t")], [1, 3, 2, 4]);
});

test("legacy checkpoints with pre-1.0 storage views (view_metadata) read the viewed slice", () => {
  const magic = pickleBytes([0x80, 2, 0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19], ".");
  const version = pickleBytes([0x80, 2], "M", [0xe9, 0x03], ".");
  const sysInfo = pickleBytes([0x80, 2], "}.");
  const pid = (viewKey: string, offset: number, size: number) =>
    pickleBytes("(", binunicode("storage"), "ctorch\nFloatStorage\n", binunicode("100"), binunicode("cpu"), binint(6), "(", binunicode(viewKey), binint(offset), binint(size), "tt", "Q");
  const tensor = (name: string, viewKey: string, offset: number, size: number) =>
    pickleBytes(binunicode(name), "ctorch._utils\n_rebuild_tensor_v2\n(", pid(viewKey, offset, size), binint(0), "(", binint(size), "t(", binint(1), "t", [0x89], "ccollections\nOrderedDict\n)R", "tR");
  const main = pickleBytes([0x80, 2], "}(", tensor("middle", "101", 2, 3), tensor("tail", "102", 4, 2), "u.");
  const keys = pickleBytes([0x80, 2], "]", binunicode("100"), "a.");
  const count = new Uint8Array(new BigInt64Array([6n]).buffer);
  const data = new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);
  const checkpoint = TorchCheckpoint.fromBytes(pickleBytes(magic, version, sysInfo, main, keys, count, data), "legacy-views.bin");
  assert.equal(checkpoint.container, "legacy");
  assert.deepEqual([...checkpoint.getFloat32("middle")], [3, 4, 5]);
  assert.deepEqual([...checkpoint.getFloat32("tail")], [5, 6]);
  assert.equal(checkpoint.storageKey("middle"), checkpoint.storageKey("tail"));
  const badCount = new Uint8Array(new BigInt64Array([5n]).buffer);
  assert.throws(() => TorchCheckpoint.fromBytes(pickleBytes(magic, version, sysInfo, main, keys, badCount, data), "bad.bin"), /recorded with 5 elements but the pickle says 6/);
  const badMagic = pickleBytes([0x80, 2, 0x4b, 7], ".");
  assert.throws(() => TorchCheckpoint.fromBytes(pickleBytes(badMagic, version, sysInfo, main, keys, count, data), "bad.bin"), /magic number is wrong/);
  assert.throws(() => TorchCheckpoint.fromBytes(pickleBytes(magic, version, sysInfo, pickleBytes([0x80, 2], "}(", tensor("x", "103", 5, 3), "u."), keys, count, data), "bad.bin"), /reaches past its storage/);
});

test("a data.pkl that inflates past 64 MiB (a decompression bomb) is refused before inflating", async () => {
  const { zipSync } = await import("fflate");
  // a valid pickle padded with a long run of zeros inside a BINBYTES: deflates ~1000:1
  const padding = new Uint8Array(96 * 2 ** 20);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, padding.length, true);
  const pickle = pickleBytes([0x80, 2, 0x42], length, padding, "0}.");
  const bomb = zipSync({ "archive/data.pkl": [pickle, { level: 9 }], "archive/byteorder": [new TextEncoder().encode("little"), { level: 0 }] });
  assert.ok(bomb.length < 1 * 2 ** 20, `${bomb.length} bytes on disk`);
  const rssBefore = process.memoryUsage().rss;
  assert.throws(() => TorchCheckpoint.fromBytes(bomb, "bomb.bin"), (e: unknown) => e instanceof WeightsFormatError && /bomb\.bin: archive\/data\.pkl is 96 MiB uncompressed/.test((e as Error).message));
  assert.ok(process.memoryUsage().rss - rssBefore < 64 * 2 ** 20, "nothing was inflated");
});
