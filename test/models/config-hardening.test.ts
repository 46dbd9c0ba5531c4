/**
 * Configs and checkpoints that once crashed or exhausted a run: sizes beyond documented bounds
 * are typed config errors before anything is allocated; parameters stored as float64 or
 * integers are cast to float32 as torch's load_state_dict does.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FeatureExtractorConfigError } from "../../src/features/index.js";
import { AutoFeatureExtractor } from "../../src/models/index.js";
import { AutoModelForAudioClassification, ModelConfig, ModelConfigError, architectureFor, initializeParameters } from "../../src/models/index.js";
import { readSafetensors, saveSafetensors } from "../../src/weights/index.js";
import { Rng } from "../../src/training/index.js";
import { loadFloat, modelDir, readJson, caseFiles } from "../helpers/fixtures.js";

function copyModel(model: string): string {
  const dir = mkdtempSync(join(tmpdir(), `audioclass-${model}-`));
  cpSync(modelDir(model), dir, { recursive: true });
  return dir;
}

function editJson(path: string, change: Record<string, unknown>): void {
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, "utf8")), ...change }));
}

test("preprocessor sizes beyond their bounds are FeatureExtractorConfigErrors naming the key, at once", async () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ["ast", { max_length: 1e8 }, /"max_length" must be an integer from 1 to 65536/],
    ["ast", { num_mel_bins: 1e6 }, /"num_mel_bins"/],
    ["whisper", { chunk_length: 1e7 }, /"chunk_length" must be an integer from 1 to 3600/],
    ["whisper", { n_fft: 2 ** 30 }, /"n_fft" must be an integer from 2 to 65536/],
    ["whisper", { chunk_length: 3600, sampling_rate: 768000 }, /input windows of 2764800000 samples/],
    ["wav2vec2", { sampling_rate: 1e12 }, /"sampling_rate" must be an integer from 1000 to 768000/],
    ["clap", { max_length_s: 1e9 }, /"max_length_s" must be a number ≤ 3600/],
    ["clap", { fft_window_size: 2 ** 30 }, /"fft_window_size"/],
    ["clap", { hop_length: 1 }, /"hop_length" 1 makes 480001 frames per input window/],
    ["whisper", { hop_length: 1, chunk_length: 30 }, /480001 frames/],
    ["ast", { mean: -1e308 }, /"mean" must be a number ≥ -1000000/],
    ["ast", { std: 1e-30 }, /"std" must be a number ≥ 0\.000001/],
    // Found by fuzzing: in-bound windows whose features took over 5 s of CPU for a 0.2 s clip.
    ["clap", { hop_length: 2 }, /"fft_window_size" 1024 over 240001 frames per input window makes 245761024 FFT points, more than the 16777216/],
    ["clap", { max_length_s: 999 }, /"fft_window_size" 1024 over 99901 frames .* FFT points/],
    ["whisper", { chunk_length: 2000 }, /"n_fft" 400 over 200001 frames .* FFT points/],
    ["whisper", { chunk_length: 420 }, /FFT points/],
    ["whisper", { chunk_length: 30, n_fft: 16, hop_length: 4, feature_size: 1024 }, /"feature_size" 1024 over 120001 frames .* feature values, more than the 8388608/],
    ["ast", { max_length: 65536, num_mel_bins: 1024 }, /"num_mel_bins" 1024 over 65536 frames per input window makes 67108864 feature values/],
    // Found by fuzzing: equal bounds made zero-width mel triangles and NaN features.
    ["clap", { frequency_min: 1, frequency_max: 1 }, /"frequency_max" \(1\) must be above "frequency_min" \(1\)/],
    ["clap", { frequency_min: 20000, frequency_max: 100 }, /"frequency_max" \(100\) must be above "frequency_min" \(20000\)/],
    ["clap", { frequency_min: 1000, frequency_max: 1000 + 1e-12 }, /"frequency_min", "frequency_max" and "feature_size" make no mel filter bank: .* too narrow for 64 mel filters/],
  ];
  for (const [model, change, pattern] of cases) {
    const dir = copyModel(model);
    try {
      editJson(join(dir, "preprocessor_config.json"), change);
      const started = Date.now();
      await assert.rejects(AutoFeatureExtractor.fromPretrained(dir), (e: unknown) => {
        assert.ok(e instanceof FeatureExtractorConfigError, `${model} ${JSON.stringify(change)}: ${String(e)}`);
        assert.match(e.message, pattern);
        assert.match(e.message, /preprocessor_config\.json/);
        return true;
      });
      assert.ok(Date.now() - started < 2000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test("padding_value and dither beyond ±10^6 are FeatureExtractorConfigErrors; at the bound features stay finite", async () => {
  // padding_value 1e20 made Whisper's features Infinity, 1e39 made wav2vec2's NaN.
  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ["wav2vec2", { padding_value: 1e39 }, /"padding_value" must be a number ≤ 1000000/],
    ["whisper", { padding_value: 1e20 }, /"padding_value" must be a number ≤ 1000000/],
    ["whisper", { padding_value: -1e20 }, /"padding_value" must be a number ≥ -1000000/],
    ["whisper", { dither: 1e20 }, /"dither" must be a number ≤ 1000000/],
    ["ast", { padding_value: 1e7 }, /"padding_value"/],
    ["clap", { padding_value: -1e7 }, /"padding_value"/],
    // found by the fuzzer once W2V-BERT landed: -1e308 is -Infinity as float32 padding
    ["wav2vec2-bert", { padding_value: -1e308 }, /"padding_value" must be a number ≥ -1000000/],
  ];
  for (const [model, change, pattern] of refused) {
    const dir = copyModel(model);
    try {
      editJson(join(dir, "preprocessor_config.json"), change);
      await assert.rejects(AutoFeatureExtractor.fromPretrained(dir), (e: unknown) => e instanceof FeatureExtractorConfigError && pattern.test(e.message) && /preprocessor_config\.json/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const clip = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i / 7));
  for (const [model, change] of [["wav2vec2", { padding_value: -1e6 }], ["wav2vec2-bert", { padding_value: -1e6 }], ["whisper", { padding_value: 1e6, dither: 1e6, n_fft: 65536, hop_length: 4096, chunk_length: 3 }]] as const) {
    const dir = copyModel(model);
    try {
      editJson(join(dir, "preprocessor_config.json"), change);
      const extractor = await AutoFeatureExtractor.fromPretrained(dir);
      const rate = extractor.samplingRate;
      const output = extractor([clip(rate / 10), clip(rate)], { samplingRate: rate, ...extractor.batchOptions() });
      for (const [name, tensor] of Object.entries(output)) {
        if (tensor.type === "float32") assert.ok((tensor.data as Float32Array).every(Number.isFinite), `${model} ${JSON.stringify(change)}: ${name} holds non-finite values`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test("config.json integers beyond ±2^24 and label counts beyond 100 000 are ModelConfigErrors", async () => {
  for (const change of [{ hidden_size: 1e9 }, { num_hidden_layers: 2 ** 30 }, { intermediate_size: -1e12 }]) {
    const dir = copyModel("wav2vec2");
    try {
      editJson(join(dir, "config.json"), change);
      await assert.rejects(AutoModelForAudioClassification.fromPretrained(dir, { threads: 1, cache: false }), (e: unknown) => e instanceof ModelConfigError && /within ±(16777216|1024)/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  assert.throws(() => new ModelConfig({ num_labels: 10_000_000 }).labels(), (e: unknown) => e instanceof ModelConfigError && /num_labels/.test(e.message));
  // repetitions (layers, heads) get a tighter bound: each is work for all code walking the model
  for (const [key, value] of [["num_hidden_layers", 999_999], ["encoder_layers", 2000], ["depths", [2, 2, 5000]]] as const) {
    const started = Date.now();
    assert.throws(() => (Array.isArray(value) ? new ModelConfig({ [key]: value }).ints(key) : new ModelConfig({ [key]: value }).int(key)), (e: unknown) => e instanceof ModelConfigError && /within ±1024/.test(e.message));
    assert.ok(Date.now() - started < 100);
  }
});

test("a fresh model from a config with huge (in-bound) sizes is refused before allocating", () => {
  const config = new ModelConfig({ ...readJson("models/ast/config.json"), hidden_size: 2 ** 16, intermediate_size: 2 ** 18, num_attention_heads: 1 });
  const specs = architectureFor(config).parameters(config);
  assert.throws(() => initializeParameters(specs, new Rng(1)), (e: unknown) => e instanceof ModelConfigError && /parameters \(\d+\.\d GiB/.test(e.message) && /hidden_size/.test(e.message));
});

test("parameters stored as float64 or int32 are cast to float32 (as torch's load_state_dict)", async () => {
  const [reference, cast] = [copyModel("ast"), copyModel("ast")];
  try {
    const file = await readSafetensors(join(reference, "model.safetensors"));
    const asFloat: Record<string, unknown> = {};
    const stored: Record<string, unknown> = {};
    let k = 0;
    for (const name of file.names()) {
      const t = file.getTensor(name);
      const data = Float32Array.from(t.data as Float32Array);
      if (name === "classifier.dense.bias") {
        // integer values: int32 in one checkpoint, the same values as float32 in the other
        const ints = Int32Array.from(data, (v) => Math.round(v * 10));
        asFloat[name] = { type: "float32", dims: t.dims, data: Float32Array.from(ints) };
        stored[name] = { type: "int32", dims: t.dims, data: ints };
      } else {
        asFloat[name] = { type: "float32", dims: t.dims, data };
        stored[name] = k++ % 2 === 0 ? { type: "float64", dims: t.dims, data: Float64Array.from(data) } : { type: "float32", dims: t.dims, data };
      }
    }
    await saveSafetensors(join(reference, "model.safetensors"), asFloat as never);
    await saveSafetensors(join(cast, "model.safetensors"), stored as never);
    const a = await AutoModelForAudioClassification.fromPretrained(reference, { threads: 1, cache: false });
    const b = await AutoModelForAudioClassification.fromPretrained(cast, { threads: 1, cache: false });
    const c = readJson(caseFiles("ast")[0]!);
    const features = (await AutoFeatureExtractor.fromPretrained(reference))(loadFloat(c.waveform), { samplingRate: 16000 });
    assert.deepEqual((await b.forward(features)).data, (await a.forward(features)).data);
    await a.dispose();
    await b.dispose();
  } finally {
    rmSync(reference, { recursive: true, force: true });
    rmSync(cast, { recursive: true, force: true });
  }
});
