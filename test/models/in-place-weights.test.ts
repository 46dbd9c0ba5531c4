/**
 * ONNX Runtime reading weights straight from model.safetensors gives exactly the logits of the
 * in-memory paths, leaves no mapping of the checkpoint behind, and turns a checkpoint that
 * disappears or changes during loading into a typed error.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, symlinkSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AudioClassificationModel, AutoModelForAudioClassification, ModelConfig, architectureFor, buildGraph } from "../../src/models/index.js";
import { serializeModel } from "../../src/graph/index.js";
import { ModelFileChangedError, createSession, getCachedSession, type SessionOptions } from "../../src/runtime/index.js";
import { prepackedWeights } from "../../src/runtime/in-place-weights.js";
import { WeightsChangedError } from "../../src/weights/index.js";
import type { Tensor } from "../../src/tensor.js";
import { type ArrayRef, caseFiles, loadArray, modelDir, readJson } from "../helpers/fixtures.js";
import { astParameters } from "./support/ast-parameters.js";
import { randomCheckpoint, randomFeatures, writeModelFolder } from "./support/random-checkpoint.js";

const folders: string[] = [];
after(async () => {
  await Promise.all(folders.map((d) => rm(d, { recursive: true, force: true })));
});

/** Forces the external-data paths on fixture-sized models. */
const EXTERNAL: SessionOptions["write"] = { maxInlineBytes: 0 };

function caseFeatures(model: string): Record<string, Tensor> {
  const c = readJson(caseFiles(model)[0]!);
  const out: Record<string, Tensor> = {};
  for (const [name, ref] of Object.entries(c.features as Record<string, { shape: number[]; dtype: string }>)) {
    const data = loadArray(ref as ArrayRef);
    out[name] = data instanceof Int32Array ? { type: "int32", dims: ref.shape, data } : { type: "float32", dims: ref.shape, data };
  }
  return out;
}

/** Checkpoint mappings of this process (Linux): ORT maps in-place weights copy-on-write. */
function mappingsOf(path: string): number {
  try {
    return readFileSync("/proc/self/maps", "utf8").split("\n").filter((line) => line.endsWith(path)).length;
  } catch {
    return 0;
  }
}

for (const name of ["ast", "hubert", "wav2vec2", "wavlm", "whisper"]) {
  test(`${name}: logits from in-place weights equal the in-memory and inline paths bit for bit`, async () => {
    const dir = modelDir(name);
    const config = await ModelConfig.fromFile(join(dir, "config.json"));
    const architecture = architectureFor(config)!;
    const { graph } = await buildGraph(dir, config, architecture);
    const variants: [string, SessionOptions][] = [
      ["in place", { threads: 1, write: EXTERNAL }],
      ["in memory", { threads: 1, write: EXTERNAL, weightsInPlace: false }],
      ["inline", { threads: 1 }],
    ];
    const features = caseFeatures(name);
    const logits: Float32Array[] = [];
    for (const [what, options] of variants) {
      const session = await createSession(graph, options);
      try {
        if (what === "in place") {
          assert.ok(session.inPlaceWeightBytes > 0, "weights were read from model.safetensors");
          if (process.platform === "linux") assert.equal(mappingsOf(join(dir, "model.safetensors")), 0, "no mapping outlives session creation");
        } else {
          assert.equal(session.inPlaceWeightBytes, 0);
        }
        const model = new AudioClassificationModel(config, session, config.labels(), dir, { unusedWeights: [], timings: { weightsMs: 0, buildMs: 0, sessionMs: 0 }, source: "checkpoint" }, architecture);
        logits.push((await model.forward(features)).data);
      } finally {
        await session.dispose();
      }
    }
    assert.deepEqual(logits[0], logits[1]);
    assert.deepEqual(logits[0], logits[2]);
  });
}

test("a Hugging Face cache layout (snapshot symlink into blobs/) loads in place from the blob", async () => {
  const root = mkdtempSync(join(tmpdir(), "audioclass-in-place-"));
  folders.push(root);
  const snapshot = join(root, "snapshots", "abc");
  mkdirSync(join(root, "blobs"));
  mkdirSync(snapshot, { recursive: true });
  const source = modelDir("ast");
  copyFileSync(join(source, "model.safetensors"), join(root, "blobs", "0123abcd"));
  symlinkSync("../../blobs/0123abcd", join(snapshot, "model.safetensors"));
  copyFileSync(join(source, "config.json"), join(snapshot, "config.json"));
  const config = await ModelConfig.fromFile(join(snapshot, "config.json"));
  const { graph } = await buildGraph(snapshot, config, architectureFor(config)!);
  const features = caseFeatures("ast");
  const logits: Float32Array[] = [];
  for (const options of [{ threads: 1, write: EXTERNAL }, { threads: 1, weightsInPlace: false }]) {
    const session = await createSession(graph, options);
    if (options.weightsInPlace !== false) assert.ok(session.inPlaceWeightBytes > 0);
    logits.push((await session.run(features)).logits!.data as Float32Array);
    await session.dispose();
  }
  assert.deepEqual(logits[0], logits[1]);
});

test("the mapping check is not vacuous: referencing weights ORT does not prepack leaves mappings", { skip: process.platform !== "linux" }, async () => {
  const dir = modelDir("ast");
  const config = await ModelConfig.fromFile(join(dir, "config.json"));
  const { graph } = await buildGraph(dir, config, architectureFor(config)!);
  const session = await createSession(serializeModel(graph, { maxInlineBytes: 0, referenceFile: () => true }), { threads: 1 });
  try {
    assert.ok(mappingsOf(join(dir, "model.safetensors")) > 0);
  } finally {
    await session.dispose();
  }
});

test("a checkpoint replaced or removed during loading is a typed error naming it; no temp files appear", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-in-place-"));
  folders.push(dir);
  cpSync(modelDir("ast"), dir, { recursive: true });
  const path = join(dir, "model.safetensors");
  const config = await ModelConfig.fromFile(join(dir, "config.json"));
  const build = async () => {
    const { graph } = await buildGraph(dir, config, architectureFor(config)!);
    return { graph, serialized: serializeModel(graph, { maxInlineBytes: 0, referenceFile: prepackedWeights(graph) }) };
  };
  const replace = () => {
    copyFileSync(path, join(dir, "copy"));
    renameSync(join(dir, "copy"), path);
  };

  // After serialising, only ORT would read the file: the runtime checks it first (and after).
  const serializedFirst = await build();
  assert.ok(serializedFirst.serialized.fileReferences !== undefined);
  replace();
  await assert.rejects(createSession(serializedFirst.serialized, { threads: 1 }), (e: unknown) =>
    e instanceof ModelFileChangedError && e.code === "MODEL_FILE_CHANGED" && e.file === realpathSync(path) && /replaced or rewritten/.test(e.message));
  // Before serialising, reading the weights that go inline notices it.
  const builtFirst = (await buildGraph(dir, config, architectureFor(config)!)).graph;
  replace();
  await assert.rejects(createSession(builtFirst, { threads: 1, write: EXTERNAL }), (e: unknown) => e instanceof WeightsChangedError && e.file === path);

  const removed = await build();
  rmSync(path);
  await assert.rejects(createSession(removed.serialized, { threads: 1 }), (e: unknown) => e instanceof ModelFileChangedError && /was removed/.test(e.message));
  assert.deepEqual(readdirSync(dir).sort(), ["config.json", "preprocessor_config.json"], "no temp files next to the checkpoint");
});

/** A random AST above the 16 MB external-data threshold, so the default loader goes in place. */
async function mediumAst(): Promise<{ dir: string; features: Tensor<"float32"> }> {
  const config = {
    architectures: ["ASTForAudioClassification"], model_type: "audio-spectrogram-transformer",
    hidden_size: 384, num_hidden_layers: 4, num_attention_heads: 6, intermediate_size: 1536, hidden_act: "gelu",
    layer_norm_eps: 1e-12, patch_size: 16, qkv_bias: true, frequency_stride: 10, time_stride: 10, max_length: 100, num_mel_bins: 128,
    id2label: { "0": "a", "1": "b", "2": "c" },
  };
  const dir = await writeModelFolder(config, randomCheckpoint(astParameters(config), 7), "audioclass-in-place-");
  folders.push(dir);
  return { dir, features: randomFeatures([2, 100, 128], 3) };
}

test("the default loader reads a large checkpoint in place: same logits, cache and dispose work, and rewriting the file afterwards cannot touch the session", async () => {
  const { dir, features } = await mediumAst();
  const inMemory = await AutoModelForAudioClassification.fromPretrained(dir, { threads: 1, cache: false, weightsInPlace: false });
  const expected = (await inMemory.forward({ input_values: features })).data;
  assert.equal(inMemory.session.inPlaceWeightBytes, 0);
  await inMemory.dispose();

  const model = await AutoModelForAudioClassification.fromPretrained(dir, { threads: 1 });
  assert.ok(model.session.inPlaceWeightBytes > 16 * 1024 * 1024, `${model.session.inPlaceWeightBytes} bytes in place`);
  assert.deepEqual((await model.forward({ input_values: features })).data, expected);
  const again = await AutoModelForAudioClassification.fromPretrained(dir, { threads: 1 });
  assert.equal(again.session, model.session, "the cached session is shared");

  // What Python's save_pretrained does: truncate and rewrite model.safetensors where it is.
  const path = join(dir, "model.safetensors");
  const bytes = readFileSync(path);
  writeFileSync(path, Buffer.alloc(1024));
  assert.deepEqual((await model.forward({ input_values: features })).data, expected, "the session holds its own weights");
  writeFileSync(path, bytes);

  await model.dispose();
  assert.equal(model.session.disposed, true);
  assert.ok(getCachedSession(model.session.cacheKey!) === undefined, "dispose evicts the cache entry");
  const reloaded = await AutoModelForAudioClassification.fromPretrained(dir, { threads: 1 });
  assert.notEqual(reloaded.session, model.session);
  assert.deepEqual((await reloaded.forward({ input_values: features })).data, expected);
  await reloaded.dispose();
});
