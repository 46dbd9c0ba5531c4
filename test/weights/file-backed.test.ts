/**
 * File-backed loading: safetensors tensors that stay in their file until `data` is read, carry
 * their byte range for ONNX Runtime, and refuse to read a file that changed since it was opened.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileRangeOf } from "../../src/graph/index.js";
import { FileBackedTensor, loadWeights, openCheckpoint, readSafetensorsSync, WeightsChangedError } from "../../src/weights/index.js";
import { bytesOf, handParsedHeader, weightsFixture, withTempDir } from "./weights-fixtures.js";

const TENSORS = weightsFixture("tensors.safetensors");

test("fileBacked: stored-as-is dtypes come back unread, with their exact byte range; others are converted", async () => {
  const eager = readSafetensorsSync(TENSORS);
  const lazy = await openCheckpoint(TENSORS, { fileBacked: true });
  try {
    const { dataStart, header } = handParsedHeader(new Uint8Array(readFileSync(TENSORS)));
    for (const name of lazy.names()) {
      const tensor = lazy.getTensor(name);
      const expected = eager.getTensor(name);
      const stored = header[name].dtype as string;
      if (["F16", "BF16", "I16"].includes(stored)) {
        assert.ok(!(tensor instanceof FileBackedTensor), `${name} (${stored}) is converted, not file-backed`);
        assert.equal(fileRangeOf(tensor), undefined);
      } else {
        assert.ok(tensor instanceof FileBackedTensor, `${name} (${stored}) is file-backed`);
        assert.equal(tensor.loaded, false);
        const range = fileRangeOf(tensor)!;
        assert.deepEqual([range.path, range.offset, range.length], [realpathSync(TENSORS), dataStart + header[name].data_offsets[0], header[name].data_offsets[1] - header[name].data_offsets[0]]);
      }
      assert.equal(tensor.type, expected.type);
      assert.deepEqual(tensor.dims, expected.dims);
      assert.deepEqual(bytesOf(tensor.data), bytesOf(expected.data), `${name}: same elements`);
    }
  } finally {
    lazy.close();
  }
});

test("a file-backed tensor reads once, keeps its data, and spreads into a plain tensor without the range", async () => {
  const source = await openCheckpoint(TENSORS, { fileBacked: true });
  const tensor = source.getTensor("f32.matrix") as FileBackedTensor<"float32">;
  source.close();
  assert.deepEqual(Object.keys(tensor).sort(), ["data", "dims", "type"], "fileRange is not enumerable");
  const data = tensor.data;
  assert.equal(tensor.loaded, true);
  assert.equal(tensor.data, data, "read once, after the source was closed");
  const copy = { ...tensor, dims: [4, 3] };
  assert.equal(copy.data, data);
  assert.equal(fileRangeOf(copy), undefined, "a spread copy is an ordinary tensor");
  assert.equal(tensor.unload(), data);
  assert.equal(tensor.loaded, false);
  assert.deepEqual(bytesOf(tensor.data), bytesOf(data), "read again after unload");
});

test("reading a file-backed tensor after its file was replaced, rewritten or removed is a WeightsChangedError", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "model.safetensors");
    const open = async () => {
      copyFileSync(TENSORS, path);
      const source = await openCheckpoint(path, { fileBacked: true });
      const tensor = source.getTensor("f32.block");
      source.close();
      return tensor;
    };
    const bytes = readFileSync(TENSORS);
    const replaced = await open();
    writeFileSync(join(dir, "new"), bytes);
    renameSync(join(dir, "new"), path);
    assert.throws(() => replaced.data, (e: unknown) => e instanceof WeightsChangedError && e.code === "WEIGHTS_CHANGED" && e.file === path && /replaced or rewritten/.test(e.message));

    const rewritten = await open();
    const longer = Buffer.concat([bytes, Buffer.alloc(8)]);
    writeFileSync(path, longer);
    assert.throws(() => rewritten.data, WeightsChangedError);

    const removed = await open();
    rmSync(path);
    assert.throws(() => removed.data, (e: unknown) => e instanceof WeightsChangedError && /was removed/.test(e.message));
  });
});

test("ranges point at the real file behind a symlink (as in the Hugging Face cache)", async () => {
  await withTempDir(async (dir) => {
    copyFileSync(TENSORS, join(dir, "blob"));
    symlinkSync(join(dir, "blob"), join(dir, "model.safetensors"));
    const map = await loadWeights(dir, { fileBacked: true });
    try {
      assert.equal(fileRangeOf(map.getTensor("f32.block"))!.path, realpathSync(join(dir, "blob")));
    } finally {
      map.source.close();
    }
  });
});

test("sharded safetensors hand out file-backed tensors from their shards; weight-norm pairs are folded in memory", async () => {
  const sharded = await openCheckpoint(weightsFixture("sharded-safetensors"), { fileBacked: true });
  const eager = await openCheckpoint(weightsFixture("sharded-safetensors"));
  try {
    for (const name of sharded.names()) {
      const tensor = sharded.getTensor(name);
      if (tensor.type === "float32") assert.ok(tensor instanceof FileBackedTensor, name);
      assert.deepEqual(bytesOf(tensor.data), bytesOf(eager.getTensor(name).data), name);
    }
  } finally {
    sharded.close();
    eager.close();
  }
  const map = await loadWeights(weightsFixture("weight-norm.safetensors"), { fileBacked: true });
  try {
    const folded = map.getTensor("wav2vec2.encoder.pos_conv_embed.conv.weight");
    assert.equal(fileRangeOf(folded), undefined);
    assert.ok(map.getTensor("wav2vec2.encoder.pos_conv_embed.conv.bias") instanceof FileBackedTensor);
  } finally {
    map.source.close();
  }
});

test("a pickled checkpoint asked for fileBacked loads as usual", async () => {
  const checkpoint = await openCheckpoint(weightsFixture("tensors.bin"), { fileBacked: true });
  try {
    assert.equal(checkpoint.format, "pytorch");
    assert.ok(!(checkpoint.getTensor("f32.matrix") instanceof FileBackedTensor));
  } finally {
    checkpoint.close();
  }
});
