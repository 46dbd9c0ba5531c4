import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  openCheckpoint,
  parseShardIndex,
  parseShardSize,
  planShards,
  readSafetensorsSync,
  type RawTensor,
  SafetensorsFile,
  saveShardedSafetensors,
  shardFileName,
  ShardedCheckpoint,
  InvalidTensorError,
  WeightsFormatError,
  WeightsNotFoundError,
} from "../../src/weights/index.js";
import { bytesOf, weightsFixture, withTempDir } from "./weights-fixtures.js";

const SHARDED_ST = weightsFixture("sharded-safetensors");
const SHARDED_BIN = weightsFixture("sharded-bin");

/** The fixture's state dict, read from its shards, in name order (the order it was saved in). */
function fixtureStateDict(): Map<string, RawTensor> {
  const out = new Map<string, RawTensor>();
  for (const file of readdirSync(SHARDED_ST).filter((f) => f.endsWith(".safetensors"))) {
    const shard = readSafetensorsSync(join(SHARDED_ST, file));
    for (const name of shard.names()) out.set(name, shard.getRaw(name));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

test("a 3-shard safetensors checkpoint loads through one interface", async () => {
  const checkpoint = await openCheckpoint(SHARDED_ST);
  assert.ok(checkpoint instanceof ShardedCheckpoint);
  assert.equal(checkpoint.format, "sharded-safetensors");
  assert.equal(checkpoint.names().length, 13);
  const index = JSON.parse(readFileSync(join(SHARDED_ST, "model.safetensors.index.json"), "utf8"));
  for (const [name, file] of Object.entries(index.weight_map as Record<string, string>)) {
    assert.equal(checkpoint.shardOf(name), file);
    const direct = readSafetensorsSync(join(SHARDED_ST, file));
    assert.ok(bytesOf(checkpoint.getFloat32(name)).equals(bytesOf(direct.getFloat32(name))), name);
  }
  assert.equal(new Set(checkpoint.names().map((n) => checkpoint.shardOf(n))).size, 3);
  assert.deepEqual(checkpoint.metadata(), { total_size: String(index.metadata.total_size) });
  assert.deepEqual(checkpoint.info("encoder.position_ids"), { name: "encoder.position_ids", dtype: "I64", shape: [1, 10] });
  checkpoint.close();
});

test("shards already in memory (e.g. fetched in a browser) combine through the index", () => {
  const indexText = readFileSync(join(SHARDED_ST, "model.safetensors.index.json"), "utf8");
  const index = parseShardIndex(indexText, "model.safetensors.index.json");
  const shards = new Map(index.shardFiles.map((f) => [f, SafetensorsFile.fromBytes(readFileSync(join(SHARDED_ST, f)), f)]));
  const checkpoint = new ShardedCheckpoint("model.safetensors.index.json", "sharded-safetensors", index, shards);
  assert.deepEqual(checkpoint.names(), [...fixtureStateDict().keys()]);
  assert.equal(checkpoint.getFloat32("encoder.layers.5.bias").length, 8);
  const swapped = new Map(shards);
  swapped.set(index.shardFiles[0], shards.get(index.shardFiles[1]) as SafetensorsFile);
  assert.throws(() => new ShardedCheckpoint("i.json", "sharded-safetensors", index, swapped), /out of sync/);
  assert.throws(() => new ShardedCheckpoint("i.json", "sharded-safetensors", index, new Map()), /was not provided/);
});

test("a sharded pytorch_model.bin checkpoint holds the same tensors", async () => {
  const bin = await openCheckpoint(SHARDED_BIN);
  assert.equal(bin.format, "sharded-pytorch");
  const reference = fixtureStateDict();
  assert.deepEqual(bin.names(), [...reference.keys()]);
  for (const [name, raw] of reference) assert.ok(bytesOf(bin.getRaw(name).data).equals(bytesOf(raw.data)), name);
});

test("a missing shard is a WeightsNotFoundError naming it", async () => {
  await withTempDir(async (dir) => {
    cpSync(SHARDED_ST, dir, { recursive: true });
    rmSync(join(dir, "model-00002-of-00003.safetensors"));
    await assert.rejects(openCheckpoint(dir), (e: unknown) => {
      assert.ok(e instanceof WeightsNotFoundError);
      assert.match((e as Error).message, /model-00002-of-00003\.safetensors/);
      assert.deepEqual((e as WeightsNotFoundError).searched, [join(dir, "model-00002-of-00003.safetensors")]);
      return true;
    });
  });
});

test("shards are opened on first use only", async () => {
  await withTempDir(async (dir) => {
    cpSync(SHARDED_ST, dir, { recursive: true });
    const checkpoint = (await openCheckpoint(dir)) as ShardedCheckpoint;
    // Removed after opening: tensors of other shards still load; its own tensors fail clearly.
    rmSync(join(dir, "model-00003-of-00003.safetensors"));
    assert.equal(checkpoint.getFloat32("encoder.layers.0.weight").length, 64);
    assert.equal(checkpoint.shardOf("encoder.position_ids"), "model-00003-of-00003.safetensors");
    assert.throws(() => checkpoint.getFloat32("encoder.position_ids"), (e: unknown) => e instanceof WeightsNotFoundError && /model-00003-of-00003/.test((e as Error).message));
    checkpoint.close();
  });
});

test("an index out of sync with its shards, or pointing outside the folder, is refused", async () => {
  await withTempDir(async (dir) => {
    cpSync(SHARDED_ST, dir, { recursive: true });
    const indexPath = join(dir, "model.safetensors.index.json");
    const index = JSON.parse(readFileSync(indexPath, "utf8"));
    index.weight_map["encoder.layers.0.bias"] = "model-00003-of-00003.safetensors";
    writeFileSync(indexPath, JSON.stringify(index));
    const checkpoint = await openCheckpoint(dir);
    assert.throws(() => checkpoint.getFloat32("encoder.layers.0.bias"), (e: unknown) => e instanceof WeightsFormatError && /"encoder\.layers\.0\.bias" in model-00003/.test((e as Error).message));
    checkpoint.close();
  });
  assert.throws(() => parseShardIndex('{"weight_map": {"a": "../../etc/passwd"}}', "i.json"), /outside the checkpoint folder/);
  assert.throws(() => parseShardIndex('{"weight_map": {"a": "/abs.safetensors"}}', "i.json"), WeightsFormatError);
  assert.throws(() => parseShardIndex('{"metadata": {}}', "i.json"), /weight_map/);
  assert.throws(() => parseShardIndex("{", "i.json"), /not valid JSON/);
  assert.throws(() => parseShardIndex('{"weight_map": {"a": 3}}', "i.json"), /shard file name/);
});

test("saveShardedSafetensors reproduces the Python-written shards and index byte for byte", async () => {
  await withTempDir(async (dir) => {
    const saved = await saveShardedSafetensors(dir, fixtureStateDict(), { maxShardSize: 700 });
    assert.deepEqual(saved.files.map((f) => f.slice(dir.length + 1)), ["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors"]);
    for (const file of [...saved.files, saved.indexFile as string]) {
      const name = file.slice(dir.length + 1);
      assert.ok(readFileSync(file).equals(readFileSync(join(SHARDED_ST, name))), `${name} differs from the Python-written file`);
    }
    assert.equal(saved.totalSize, JSON.parse(readFileSync(saved.indexFile as string, "utf8")).metadata.total_size);
  });
});

test("one shard is a plain model.safetensors; re-saving removes stale shards like save_pretrained", async () => {
  await withTempDir(async (dir) => {
    const state = fixtureStateDict();
    await saveShardedSafetensors(dir, state, { maxShardSize: "700" });
    const unrelated = join(dir, "model-notes.txt");
    writeFileSync(unrelated, "keep me");
    const single = await saveShardedSafetensors(dir, state);
    assert.equal(single.indexFile, undefined);
    assert.equal(single.removed.length, 4, "three old shards and the stale index");
    assert.deepEqual(readdirSync(dir).sort(), ["model-notes.txt", "model.safetensors"]);
    const reopened = await openCheckpoint(dir);
    assert.equal(reopened.format, "safetensors");
    assert.deepEqual(reopened.names(), [...state.keys()]);
    const resharded = await saveShardedSafetensors(dir, state, { maxShardSize: "1KB" });
    assert.deepEqual(resharded.removed, [join(dir, "model.safetensors")]);
    assert.equal((await openCheckpoint(dir)).format, "sharded-safetensors");
  });
});

test("shard sizes and names follow huggingface_hub / transformers", () => {
  assert.equal(parseShardSize("5GB"), 5e9);
  assert.equal(parseShardSize("500MB"), 5e8);
  assert.equal(parseShardSize("1.5kb"), 1500);
  assert.equal(parseShardSize("2GiB"), 2 ** 31);
  assert.equal(parseShardSize(1234), 1234);
  assert.throws(() => parseShardSize("5 parsecs"), InvalidTensorError);
  assert.throws(() => parseShardSize(0), InvalidTensorError);
  assert.equal(shardFileName("model.safetensors", 0, 3), "model-00001-of-00003.safetensors");
  assert.equal(shardFileName("pytorch_model.bin", 11, 12), "pytorch_model-00012-of-00012.bin");
  const t = (n: number) => ({ type: "float32" as const, dims: [n], data: new Float32Array(n) });
  // A tensor larger than the limit gets a shard of its own; the running shard continues after it.
  assert.deepEqual(planShards([["a", t(10)], ["big", t(100)], ["b", t(10)], ["c", t(20)]], 100), { shards: [["big"], ["a", "b"], ["c"]], totalSize: 560 });
});
