import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  downloadModel,
  ModelFilesNotFoundError,
  modelFileSelector,
  selectAllFiles,
  selectModelFiles,
  UnsafeFileNameError,
} from "../../src/hub/index.js";
import { unsafeFileNameProblem } from "../../src/hub/safe-file-name.js";
import { shardsOfIndex } from "../../src/hub/file-selection.js";
import { startFakeHub, type FakeHub } from "./fake-hub.js";
import { hubOptions, useSandbox } from "./hub-test-env.js";

const config = JSON.stringify({ model_type: "ast" });
const shard = (n: number) => Buffer.alloc(4096 + n, n);
let hub: FakeHub;

before(async () => {
  hub = await startFakeHub([
    {
      id: "acme/sharded",
      files: {
        "config.json": config,
        "model.safetensors.index.json": JSON.stringify({
          metadata: { total_size: 8193 },
          weight_map: { "a.weight": "model-00001-of-00002.safetensors", "b.weight": "model-00002-of-00002.safetensors", "c.weight": "model-00001-of-00002.safetensors" },
        }),
        "model-00001-of-00002.safetensors": shard(1),
        "model-00002-of-00002.safetensors": shard(2),
        "pytorch_model.bin": shard(3),
      },
    },
    { id: "acme/bin-only", files: { "config.json": config, "pytorch_model.bin": shard(4), "preprocessor_config.json": "{}" } },
    {
      id: "acme/onnx-only",
      files: { "config.json": config, "onnx/model.onnx": shard(5), "onnx/model_quantized.onnx": shard(6), "preprocessor_config.json": "{}" },
    },
    {
      id: "acme/hostile",
      files: { "config.json": config, "model.safetensors": shard(7) },
      extraSiblings: ["../escape.json", "/etc/passwd", "..\\win.json", "C:/evil.json", "a/../../b.json", "sub\\file.json"],
    },
    {
      id: "acme/hostile-index",
      files: {
        "config.json": config,
        "model.safetensors.index.json": JSON.stringify({ weight_map: { w: "../../../outside.safetensors" } }),
      },
      extraSiblings: ["../../../outside.safetensors"],
    },
  ]);
});
after(() => hub.close());

test("the default selection prefers safetensors, then an index, then .bin, then ONNX", () => {
  const base = ["config.json", "preprocessor_config.json", "README.md", ".gitattributes"];
  assert.deepEqual(selectModelFiles([...base, "model.safetensors", "pytorch_model.bin", "onnx/model.onnx"]), ["config.json", "preprocessor_config.json", "model.safetensors"]);
  assert.deepEqual(selectModelFiles([...base, "model.safetensors.index.json", "pytorch_model.bin"]), ["config.json", "preprocessor_config.json", "model.safetensors.index.json"]);
  assert.deepEqual(selectModelFiles([...base, "pytorch_model.bin", "tf_model.h5"]), ["config.json", "preprocessor_config.json", "pytorch_model.bin"]);
  assert.deepEqual(selectModelFiles([...base, "onnx/model.onnx", "onnx/model.onnx_data", "onnx/model_fp16.onnx"]), [
    "config.json",
    "preprocessor_config.json",
    "onnx/model.onnx",
    "onnx/model.onnx_data",
  ]);
  assert.throws(() => selectModelFiles(["model.safetensors"]), ModelFilesNotFoundError);
  assert.throws(() => selectModelFiles(["config.json", "tf_model.h5"]), /no weights/);
});

test("shards are read from weight_map, once each, next to their index", () => {
  const index = { weight_map: { a: "model-1.safetensors", b: "model-2.safetensors", c: "model-1.safetensors" } };
  assert.deepEqual(shardsOfIndex(index, "model.safetensors.index.json"), ["model-1.safetensors", "model-2.safetensors"]);
  assert.deepEqual(shardsOfIndex(index, "sub/model.safetensors.index.json"), ["sub/model-1.safetensors", "sub/model-2.safetensors"]);
  assert.deepEqual(shardsOfIndex({ other: 1 }, "x.index.json"), []);
  assert.throws(() => shardsOfIndex({ weight_map: { a: 3 } }, "bad.index.json"), ModelFilesNotFoundError);
});

test("a sharded index brings its shards, and only the safetensors", async (t) => {
  const box = useSandbox(t);
  const result = await downloadModel("acme/sharded", hubOptions(hub, box));
  assert.deepEqual(result.files.map((f) => f.name), ["config.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]);
  assert.deepEqual(readFileSync(join(result.dir, "model-00002-of-00002.safetensors")), shard(2));
  assert.equal(existsSync(join(result.dir, "pytorch_model.bin")), false);
  // Offline, the same selection is complete.
  const offline = await downloadModel("acme/sharded", hubOptions(hub, box, { localFilesOnly: true }));
  assert.equal(offline.files.length, 4);
});

test(".bin is the fallback, ONNX only when there are no weights", async (t) => {
  const box = useSandbox(t);
  const bin = await downloadModel("acme/bin-only", hubOptions(hub, box));
  assert.deepEqual(bin.files.map((f) => f.name), ["config.json", "preprocessor_config.json", "pytorch_model.bin"]);
  const onnx = await downloadModel("acme/onnx-only", hubOptions(hub, box));
  assert.deepEqual(onnx.files.map((f) => f.name), ["config.json", "preprocessor_config.json", "onnx/model.onnx"]);
  // A nested file links two levels up: snapshots/<sha>/onnx/model.onnx → ../../../blobs/<etag>.
  assert.deepEqual(readFileSync(join(onnx.dir, "onnx", "model.onnx")), shard(5));
});

test("the selection is a parameter: a list or a function", async (t) => {
  const box = useSandbox(t);
  const listed = await downloadModel("acme/onnx-only", hubOptions(hub, box, { files: ["onnx/model_quantized.onnx"] }));
  assert.deepEqual(listed.files.map((f) => f.name), ["onnx/model_quantized.onnx"]);
  const picked = await downloadModel("acme/onnx-only", hubOptions(hub, box, { files: (names) => names.filter((n) => n.endsWith(".json")) }));
  assert.deepEqual(picked.files.map((f) => f.name).sort(), ["config.json", "preprocessor_config.json"]);
  const all = await downloadModel("acme/onnx-only", hubOptions(hub, box, { files: selectAllFiles }));
  assert.equal(all.files.length, 4);
});

test("file names that would escape the cache are refused", () => {
  for (const name of ["../x", "/etc/passwd", "a\\b", "..\\x", "C:/x", "c:x", "a/../../b", "a//b", "./a", "a/.", "", "x\u0000y", "a/\nb"]) {
    assert.ok(unsafeFileNameProblem(name) !== undefined, JSON.stringify(name));
  }
  for (const name of ["config.json", "onnx/model.onnx", "a/b/c.bin", "..hidden", "file..json", ".gitattributes"]) {
    assert.equal(unsafeFileNameProblem(name), undefined, name);
  }
});

test("hostile names in the server's file list are refused before anything is written", async (t) => {
  const box = useSandbox(t);
  // Unselected hostile siblings are harmless: the default selection never touches them.
  const ok = await downloadModel("acme/hostile", hubOptions(hub, box));
  assert.equal(ok.files.length, 2);
  for (const evil of ["../escape.json", "/etc/passwd", "..\\win.json", "C:/evil.json", "a/../../b.json", "sub\\file.json"]) {
    const other = useSandbox(t);
    await assert.rejects(downloadModel("acme/hostile", hubOptions(hub, other, { files: ["config.json", evil] })), (error: unknown) => {
      assert.ok(error instanceof UnsafeFileNameError, String(error));
      assert.equal(error.fileName, evil);
      assert.match(error.message, /Refusing file name/);
      assert.match(error.message, /acme\/hostile/);
      return true;
    });
    assert.equal(existsSync(other.cacheDir) ? readdirSync(other.cacheDir).filter((n) => n.startsWith("models--")).length : 0, 0, `nothing written for ${evil}`);
  }
  await assert.rejects(downloadModel("acme/hostile", hubOptions(hub, useSandbox(t), { files: selectAllFiles })), UnsafeFileNameError);
  assert.equal(existsSync(join(box.root, "escape.json")), false);
});

test("a shard index pointing outside the snapshot is refused", async (t) => {
  const box = useSandbox(t);
  await assert.rejects(downloadModel("acme/hostile-index", hubOptions(hub, box)), (error: unknown) => {
    assert.ok(error instanceof UnsafeFileNameError);
    assert.equal(error.fileName, "../../../outside.safetensors");
    assert.match(error.message, /model\.safetensors\.index\.json/);
    return true;
  });
  assert.equal(existsSync(join(box.cacheDir, "outside.safetensors")), false);
  assert.equal(existsSync(join(box.root, "outside.safetensors")), false);
});

test("modelFileSelector: an export is fetched in the dtype's file when the repo has it, else as onnx/model.onnx", () => {
  const repo = ["config.json", "onnx/model.onnx", "onnx/model_quantized.onnx", "onnx/model_fp16.onnx", "onnx/model_fp16.onnx_data"];
  assert.deepEqual(modelFileSelector("model_quantized.onnx")(repo), ["config.json", "onnx/model_quantized.onnx"]);
  assert.deepEqual(modelFileSelector("model_fp16.onnx")(repo), ["config.json", "onnx/model_fp16.onnx", "onnx/model_fp16.onnx_data"]);
  assert.deepEqual(modelFileSelector("model_int8.onnx")(repo), ["config.json", "onnx/model.onnx"], "missing variant: the load names it");
  assert.deepEqual(modelFileSelector("model_quantized.onnx")(["config.json", "model.safetensors", "onnx/model_quantized.onnx"]), ["config.json", "model.safetensors"], "checkpoints win");
});
