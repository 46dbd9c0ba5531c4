import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  findCheckpointFile,
  loadWeights,
  openCheckpoint,
  SafetensorsFile,
  TorchCheckpoint,
  WeightsNotFoundError,
  WeightsReadError,
  withVariant,
} from "../../src/weights/index.js";
import { bytesOf, HF_MODELS_DIR, weightsFixture, withTempDir } from "./weights-fixtures.js";

test("a model folder is resolved in transformers' order: safetensors, its index, .bin, its index", async () => {
  await withTempDir(async (dir) => {
    copyFileSync(weightsFixture("sharded-bin/pytorch_model.bin.index.json"), join(dir, "pytorch_model.bin.index.json"));
    assert.equal(await findCheckpointFile(dir), join(dir, "pytorch_model.bin.index.json"));
    copyFileSync(weightsFixture("tensors.bin"), join(dir, "pytorch_model.bin"));
    assert.equal(await findCheckpointFile(dir), join(dir, "pytorch_model.bin"));
    copyFileSync(weightsFixture("sharded-safetensors/model.safetensors.index.json"), join(dir, "model.safetensors.index.json"));
    assert.equal(await findCheckpointFile(dir), join(dir, "model.safetensors.index.json"));
    copyFileSync(weightsFixture("tensors.safetensors"), join(dir, "model.safetensors"));
    assert.equal(await findCheckpointFile(dir), join(dir, "model.safetensors"));
    assert.equal(await findCheckpointFile(dir, { useSafetensors: false }), join(dir, "pytorch_model.bin"));
    const safe = await openCheckpoint(dir);
    const torch = await openCheckpoint(dir, { useSafetensors: false });
    assert.ok(safe instanceof SafetensorsFile && torch instanceof TorchCheckpoint);
    for (const name of safe.names()) assert.ok(bytesOf(safe.getRaw(name).data).equals(bytesOf(torch.getRaw(name).data)), name);
  });
});

test("variants are looked up as transformers names them", async () => {
  assert.equal(withVariant("model.safetensors", "fp16"), "model.fp16.safetensors");
  assert.equal(withVariant("model.safetensors.index.json", "fp16"), "model.safetensors.index.fp16.json");
  assert.equal(withVariant("pytorch_model.bin", undefined), "pytorch_model.bin");
  await withTempDir(async (dir) => {
    copyFileSync(weightsFixture("tensors.safetensors"), join(dir, "model.fp16.safetensors"));
    assert.equal(await findCheckpointFile(dir, { variant: "fp16" }), join(dir, "model.fp16.safetensors"));
    await assert.rejects(findCheckpointFile(dir), WeightsNotFoundError);
  });
});

test("a folder without weights is a WeightsNotFoundError listing what was looked for", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(openCheckpoint(dir), (e: unknown) => {
      assert.ok(e instanceof WeightsNotFoundError);
      assert.deepEqual((e as WeightsNotFoundError).searched.map((p) => p.slice(dir.length + 1)), ["model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"]);
      assert.match((e as Error).message, /model\.safetensors, model\.safetensors\.index\.json, pytorch_model\.bin, pytorch_model\.bin\.index\.json/);
      return true;
    });
    writeFileSync(join(dir, "tf_model.h5"), "");
    await assert.rejects(openCheckpoint(dir), /tf_model\.h5: TensorFlow\/Flax weights/);
    await assert.rejects(openCheckpoint(dir, { useSafetensors: true }), (e: unknown) => (e as WeightsNotFoundError).searched.length === 2);
  });
  await assert.rejects(openCheckpoint(join(HF_MODELS_DIR, "no-such-model")), WeightsNotFoundError);
  await assert.rejects(openCheckpoint(join(HF_MODELS_DIR, "ast", "config.json", "x")), WeightsNotFoundError);
});

test("a weights file can be opened directly; safetensors content is recognised whatever its name", async () => {
  const direct = await openCheckpoint(weightsFixture("tensors-legacy.bin"));
  assert.equal(direct.format, "pytorch");
  await withTempDir(async (dir) => {
    const odd = join(dir, "weights.pt");
    copyFileSync(weightsFixture("tensors.safetensors"), odd);
    assert.equal((await openCheckpoint(odd)).format, "safetensors");
    await assert.rejects(openCheckpoint(dir.slice(0, -1) + "-missing"), WeightsNotFoundError);
    await assert.rejects(openCheckpoint(join(dir, "nothing.bin")), WeightsNotFoundError);
  });
});

test("files over the in-memory limit are read tensor by tensor, with identical results", async () => {
  const eager = await openCheckpoint(join(HF_MODELS_DIR, "whisper"));
  const lazy = await openCheckpoint(join(HF_MODELS_DIR, "whisper"), { maxInMemoryBytes: 0 });
  for (const name of eager.names()) assert.ok(bytesOf(lazy.getFloat32(name)).equals(bytesOf(eager.getFloat32(name))), name);
  const lazyTorch = await openCheckpoint(weightsFixture("tensors.bin"), { maxInMemoryBytes: 0 });
  const eagerTorch = await openCheckpoint(weightsFixture("tensors.bin"));
  for (const name of eagerTorch.names()) assert.ok(bytesOf(lazyTorch.getRaw(name).data).equals(bytesOf(eagerTorch.getRaw(name).data)), name);
  lazy.close();
  assert.throws(() => lazy.getFloat32(eager.names()[0]), WeightsReadError, "reads after close fail clearly");
  lazy.close();
});

test("loadWeights applies Hugging Face naming on top of the chosen file", async () => {
  const weights = await loadWeights(join(HF_MODELS_DIR, "hubert"), { basePrefix: "hubert", modelHasBasePrefix: false });
  assert.ok(weights.has("encoder.pos_conv_embed.conv.weight"));
  assert.deepEqual(weights.take("encoder.pos_conv_embed.conv.weight").dims, [48, 12, 16]);
  assert.deepEqual(weights.report().outsideBaseModel, ["classifier.bias", "classifier.weight", "projector.bias", "projector.weight"]);
  assert.equal(weights.source.format, "safetensors");
});
