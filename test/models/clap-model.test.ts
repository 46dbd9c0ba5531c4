import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelInputError } from "../../src/models/errors.js";
import { ModelConfig } from "../../src/models/model-config.js";
import { ClapModel, clapParameterShapes } from "../../src/models/clap/index.js";
import type { Tensor } from "../../src/tensor.js";
import { loadWeights } from "../../src/weights/index.js";
import { caseFiles, loadArray, loadFloat, maxAbsDiff, modelDir, readJson } from "../helpers/fixtures.js";
import { statePickle, torchZip, type TensorSpec } from "../weights/pickle-builder.js";

const DIR = modelDir("clap");
const int64 = (ref: Parameters<typeof loadArray>[0]): Tensor<"int64"> => ({ type: "int64", dims: ref.shape, data: BigInt64Array.from(loadArray(ref), (v) => BigInt(v)) });
const float = (ref: Parameters<typeof loadArray>[0]): Tensor<"float32"> => ({ type: "float32", dims: ref.shape, data: loadFloat(ref) });

test("fixture: audio_embeds, text_embeds and logits_per_audio within 1e-4 for every clip and label set", async () => {
  const model = await ClapModel.fromPretrained(DIR, { threads: 1, cache: false });
  try {
    assert.deepEqual(model.report.unusedWeights, []);
    assert.deepEqual(model.audioInput, { channels: 1, frames: 1001, bins: 64 }, "from preprocessor_config.json (rand_trunc, 10 s, hop 480)");
    assert.equal(model.maxTextLength, 64);
    assert.equal(model.projectionDim, 16);
    let checked = 0;
    for (const file of caseFiles("clap")) {
      const c = readJson(file);
      const audio = await model.audioEmbeddings({ input_features: float(c.features.input_features) });
      assert.deepEqual(audio.dims, [1, 16]);
      for (const z of c.zero_shot) {
        assert.equal(Math.fround(model.logitScaleAudio), Math.fround(z.logit_scale_audio));
        assert.equal(Math.fround(model.logitScaleText), Math.fround(z.logit_scale_text));
        const text = await model.textEmbeddings({ input_ids: int64(z.text_inputs.input_ids), attention_mask: int64(z.text_inputs.attention_mask) });
        const logits = model.logitsPerAudio(audio, text);
        assert.deepEqual(logits.dims, z.logits_per_audio.shape);
        for (const [got, want] of [[audio.data, loadArray(z.audio_embeds)], [text.data, loadArray(z.text_embeds)], [logits.data, loadArray(z.logits_per_audio)]] as const) {
          const d = maxAbsDiff(got, want);
          assert.ok(d <= 1e-4, `${file} ${z.sequences[0]}: ${d}`);
        }
        checked++;
      }
    }
    assert.equal(checked, 32);
  } finally {
    await model.dispose();
  }
});

test("forward() gives both logit matrices, transposes of each other up to the scales", async () => {
  const model = await ClapModel.fromPretrained(DIR, { threads: 1, cache: false });
  try {
    const c = readJson("cases/clap/speech_16k.json");
    const z = c.zero_shot[0];
    const out = await model.forward({
      input_features: float(c.features.input_features),
      input_ids: int64(z.text_inputs.input_ids),
      attention_mask: { type: "int32", dims: z.text_inputs.attention_mask.shape, data: loadArray(z.text_inputs.attention_mask) as Int32Array },
    });
    assert.ok(maxAbsDiff(out.logits_per_audio.data, loadArray(z.logits_per_audio)) < 1e-4);
    assert.deepEqual(out.logits_per_text.dims, [3, 1]);
    assert.ok(maxAbsDiff(out.logits_per_text.data, out.logits_per_audio.data) < 1e-6, "equal scales: logits_per_text = logits_per_audioᵀ");
  } finally {
    await model.dispose();
  }
});

test("pytorch_model.bin (read by the safe unpickler) gives the same model as model.safetensors", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-clap-bin-"));
  try {
    for (const f of ["config.json", "preprocessor_config.json"]) copyFileSync(join(DIR, f), join(dir, f));
    const map = await loadWeights(DIR);
    const records: Record<string, Uint8Array> = {};
    const specs: TensorSpec[] = map.names().map((name, i) => {
      const t = map.getTensor(name);
      const data = t.data as Float32Array | BigInt64Array;
      records[`data/${i}`] = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
      const stride = t.dims.map((_, k) => t.dims.slice(k + 1).reduce((a, b) => a * b, 1));
      return { name, key: String(i), numel: data.length, size: [...t.dims], stride, storageType: t.type === "int64" ? "LongStorage" : "FloatStorage" };
    });
    map.source.close();
    records["data.pkl"] = statePickle(specs);
    writeFileSync(join(dir, "pytorch_model.bin"), torchZip(records));

    const fromBin = await ClapModel.fromPretrained(dir, { threads: 1, cache: false });
    const fromSafetensors = await ClapModel.fromPretrained(DIR, { threads: 1, cache: false });
    try {
      const c = readJson("cases/clap/tone_44k.json");
      const z = c.zero_shot[1];
      const features = { input_features: float(c.features.input_features) };
      const text = { input_ids: int64(z.text_inputs.input_ids), attention_mask: int64(z.text_inputs.attention_mask) };
      assert.equal(maxAbsDiff((await fromBin.audioEmbeddings(features)).data, (await fromSafetensors.audioEmbeddings(features)).data), 0);
      assert.equal(maxAbsDiff((await fromBin.textEmbeddings(text)).data, (await fromSafetensors.textEmbeddings(text)).data), 0);
      assert.equal(fromBin.logitScaleAudio, fromSafetensors.logitScaleAudio);
    } finally {
      await fromBin.dispose();
      await fromSafetensors.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("clapParameterShapes lists exactly the checkpoint's parameters", async () => {
  const shapes = clapParameterShapes(await ModelConfig.fromFile(join(DIR, "config.json")));
  const map = await loadWeights(DIR);
  try {
    const buffers = /(num_batches_tracked|position_ids|token_type_ids|relative_position_index)$/;
    const names = map.names().filter((n) => !buffers.test(n));
    assert.deepEqual([...shapes.keys()].sort(), names.sort());
    for (const name of names) assert.deepEqual(shapes.get(name), [...map.info(name).shape], name);
  } finally {
    map.source.close();
  }
});

test("bad features and token ids are ModelInputErrors that say what the model takes", async () => {
  const model = await ClapModel.fromPretrained(DIR, { threads: 1, cache: false });
  try {
    const short = { type: "float32" as const, dims: [1, 1, 500, 64], data: new Float32Array(500 * 64) };
    await assert.rejects(model.audioEmbeddings({ input_features: short }), (e: unknown) => e instanceof ModelInputError && /\[batch, 1, 1001, 64\]/.test(e.message));
    const fusion = { type: "float32" as const, dims: [1, 4, 1001, 64], data: new Float32Array(4 * 1001 * 64) };
    await assert.rejects(model.audioEmbeddings({ input_features: fusion }), /rand_trunc/);
    await assert.rejects(model.audioEmbeddings({}), /needs "input_features"/);
    const long = { type: "int64" as const, dims: [1, 70], data: new BigInt64Array(70).fill(5n) };
    await assert.rejects(model.textEmbeddings({ input_ids: long }), /70 tokens long.*at most 64/);
    const ids = { type: "int64" as const, dims: [1, 3], data: BigInt64Array.of(0n, 5n, 2n) };
    await assert.rejects(model.textEmbeddings({ input_ids: ids, attention_mask: { type: "int64", dims: [1, 2], data: new BigInt64Array(2) } }), /shape of input_ids/);
    // without an attention mask every token counts, as Python's default
    const withMask = await model.textEmbeddings({ input_ids: ids, attention_mask: { type: "int64", dims: [1, 3], data: new BigInt64Array(3).fill(1n) } });
    assert.equal(maxAbsDiff((await model.textEmbeddings({ input_ids: ids })).data, withMask.data), 0);
  } finally {
    await model.dispose();
  }
});
