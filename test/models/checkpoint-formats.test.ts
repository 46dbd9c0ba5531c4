/**
 * Models load the same from every checkpoint form, and broken checkpoints give typed errors that
 * name the file and the tensor: a `.bin`-only twin of a fixture model (torch.save's zip layout)
 * gives the same logits as its safetensors original; hostile pickles, missing and misshaped
 * tensors, truncated files, out-of-range offsets and absurd header sizes are refused.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AutoModelForAudioClassification } from "../../src/models/index.js";
import { AudioclassError } from "../../src/errors.js";
import { readSafetensorsSync, saveSafetensors } from "../../src/weights/index.js";
import { statePickle, torchZip, type TensorSpec } from "../weights/pickle-builder.js";
import { loadFloat, modelDir, readJson } from "../helpers/fixtures.js";

function withModelCopy(model: string, fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), `audioclass-ckpt-${model}-`));
    try {
      for (const f of ["config.json", "preprocessor_config.json"]) copyFileSync(join(modelDir(model), f), join(dir, f));
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const STORAGE: Record<string, string> = { float32: "FloatStorage", int64: "LongStorage", int32: "IntStorage" };

/** Writes the fixture's tensors as torch.save would: data.pkl + one storage record per tensor. */
function torchBinOf(model: string): Uint8Array {
  const source = readSafetensorsSync(join(modelDir(model), "model.safetensors"));
  const specs: TensorSpec[] = [];
  const records: Record<string, Uint8Array> = {};
  source.names().forEach((name, i) => {
    const t = source.getTensor(name);
    const strides = t.dims.map((_, d) => t.dims.slice(d + 1).reduce((a, b) => a * b, 1));
    specs.push({ name, storageType: STORAGE[t.type], key: String(i), numel: t.data.length, size: [...t.dims], stride: strides });
    records[`data/${i}`] = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
  });
  records["data.pkl"] = statePickle(specs);
  records["byteorder"] = new TextEncoder().encode("little");
  records["version"] = new TextEncoder().encode("3\n");
  source.close();
  return torchZip(records);
}

async function logitsOf(dir: string, model: string): Promise<Float32Array> {
  const c = readJson(`cases/${model}/speech_16k.json`);
  const m = await AutoModelForAudioClassification.fromPretrained(dir, { cache: false, threads: 1 });
  try {
    const features = Object.fromEntries(
      Object.entries(c.features as Record<string, { shape: number[]; dtype: string }>).map(([k, ref]) => {
        const data = loadFloat(ref as never);
        return [k, { type: ref.dtype as "float32", dims: ref.shape, data }];
      }),
    );
    return (await m.forward(features)).data;
  } finally {
    await m.dispose();
  }
}

for (const model of ["ast", "wav2vec2", "whisper"]) {
  test(
    `${model}: a pytorch_model.bin-only twin gives the same logits as the safetensors original`,
    withModelCopy(model, async (dir) => {
      writeFileSync(join(dir, "pytorch_model.bin"), torchBinOf(model));
      const fromBin = await logitsOf(dir, model);
      const fromSafetensors = await logitsOf(modelDir(model), model);
      assert.deepEqual(Array.from(fromBin), Array.from(fromSafetensors));
    }),
  );
}

test(
  "a pickle naming any other global is refused, and nothing runs",
  withModelCopy("ast", async (dir) => {
    copyFileSync(new URL("../fixtures/weights/malicious-os-system.bin", import.meta.url), join(dir, "pytorch_model.bin"));
    await assert.rejects(AutoModelForAudioClassification.fromPretrained(dir, { cache: false }), (e: unknown) => e instanceof AudioclassError && /system/.test((e as Error).message));
  }),
);

test(
  "missing and misshaped tensors name the parameter",
  withModelCopy("ast", async (dir) => {
    const source = readSafetensorsSync(join(modelDir("ast"), "model.safetensors"));
    const all = Object.fromEntries(source.names().map((n) => [n, source.getTensor(n)]));
    source.close();
    const missing = { ...all };
    delete missing["classifier.dense.weight"];
    await saveSafetensors(join(dir, "model.safetensors"), missing);
    await assert.rejects(AutoModelForAudioClassification.fromPretrained(dir, { cache: false }), (e: unknown) => e instanceof AudioclassError && /classifier\.dense\.weight/.test((e as Error).message));
    const wrong = { ...all, "classifier.dense.weight": { type: "float32" as const, dims: [3, 64], data: new Float32Array(192) } };
    await saveSafetensors(join(dir, "model.safetensors"), wrong);
    await assert.rejects(AutoModelForAudioClassification.fromPretrained(dir, { cache: false }), (e: unknown) => e instanceof AudioclassError && /classifier\.dense\.weight/.test((e as Error).message) && /\[3, 64\]/.test((e as Error).message));
  }),
);

test(
  "truncated files, out-of-range offsets, a 100 GB header and a corrupt config are typed errors naming the file",
  withModelCopy("ast", async (dir) => {
    const original = readFileSync(join(modelDir("ast"), "model.safetensors"));
    const file = join(dir, "model.safetensors");
    const expectError = async (pattern: RegExp) =>
      assert.rejects(AutoModelForAudioClassification.fromPretrained(dir, { cache: false }), (e: unknown) => e instanceof AudioclassError && pattern.test((e as Error).message) && (e as Error).message.includes("model.safetensors"));

    writeFileSync(file, original.subarray(0, original.length - 1000));
    await expectError(/./);

    const headerLength = Number(original.readBigUInt64LE(0));
    const header = JSON.parse(original.subarray(8, 8 + headerLength).toString("utf8"));
    const first = Object.keys(header).find((k) => k !== "__metadata__")!;
    header[first].data_offsets = [0, original.length * 10];
    const json = Buffer.from(JSON.stringify(header).padEnd(headerLength, " "));
    writeFileSync(file, Buffer.concat([original.subarray(0, 8), json.subarray(0, headerLength), original.subarray(8 + headerLength)]));
    await expectError(new RegExp(first.replace(/\./g, "\\.")));

    const huge = Buffer.from(original);
    huge.writeBigUInt64LE(BigInt(100) * BigInt(1024) ** BigInt(3), 0);
    writeFileSync(file, huge);
    await expectError(/./);

    writeFileSync(file, original);
    writeFileSync(join(dir, "config.json"), "{ not json");
    await assert.rejects(AutoModelForAudioClassification.fromPretrained(dir, { cache: false }), (e: unknown) => e instanceof AudioclassError && /config\.json/.test((e as Error).message));
  }),
);
