import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ASTFeatureExtractor,
  ClapFeatureExtractor,
  FeatureExtractor,
  FeatureExtractorConfigError,
  SUPPORTED_FEATURE_EXTRACTORS,
  UnsupportedFeatureExtractorError,
  Wav2Vec2FeatureExtractor,
  WhisperFeatureExtractor,
} from "../../src/features/index.js";
import { ConfigError } from "../../src/errors.js";
import { AutoFeatureExtractor } from "../../src/models/index.js";
import { modelDir } from "../helpers/fixtures.js";

function withTempDir(files: Record<string, string>, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-fe-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test("fromPretrained picks the class from feature_extractor_type for every fixture model", async () => {
  const expected = {
    ast: ASTFeatureExtractor,
    wav2vec2: Wav2Vec2FeatureExtractor,
    hubert: Wav2Vec2FeatureExtractor,
    wavlm: Wav2Vec2FeatureExtractor,
    whisper: WhisperFeatureExtractor,
    clap: ClapFeatureExtractor,
  };
  for (const [model, Class] of Object.entries(expected)) {
    const fe = await AutoFeatureExtractor.fromPretrained(modelDir(model));
    assert.ok(fe instanceof Class, model);
    assert.ok(fe instanceof FeatureExtractor);
    assert.equal(typeof fe, "function", "extractors are callable");
  }
  const hubert = await AutoFeatureExtractor.fromPretrained(modelDir("hubert"));
  assert.equal(hubert.returnAttentionMask, true);
  assert.equal(hubert.samplingRate, 16000);
  const fromFile = await AutoFeatureExtractor.fromPretrained(join(modelDir("clap"), "preprocessor_config.json"));
  assert.equal(fromFile.samplingRate, 48000);
});

test("fromConfig builds from a plain object; unknown types list what is supported", () => {
  const fe = AutoFeatureExtractor.fromConfig({ feature_extractor_type: "WhisperFeatureExtractor", feature_size: 128 });
  assert.ok(fe instanceof WhisperFeatureExtractor);
  assert.equal(fe.featureSize, 128);
  assert.deepEqual([...SUPPORTED_FEATURE_EXTRACTORS].sort(), ["ASTFeatureExtractor", "ClapFeatureExtractor", "SeamlessM4TFeatureExtractor", "Wav2Vec2FeatureExtractor", "WhisperFeatureExtractor"]);
  assert.throws(
    () => AutoFeatureExtractor.fromConfig({ feature_extractor_type: "SpeechT5FeatureExtractor" }, { source: "x/preprocessor_config.json" }),
    (e: unknown) => {
      assert.ok(e instanceof UnsupportedFeatureExtractorError);
      assert.ok(e instanceof ConfigError);
      assert.equal(e.featureExtractorType, "SpeechT5FeatureExtractor");
      assert.match(e.message, /x\/preprocessor_config\.json: feature_extractor_type "SpeechT5FeatureExtractor" is not supported; audioclass implements ASTFeatureExtractor, Wav2Vec2FeatureExtractor, WhisperFeatureExtractor, ClapFeatureExtractor/);
      return true;
    },
  );
  assert.throws(() => AutoFeatureExtractor.fromConfig({ sampling_rate: 16000 }), /no "feature_extractor_type" and no model_type to infer it from/);
  assert.ok(AutoFeatureExtractor.fromConfig({}, { modelType: "wavlm" }) instanceof Wav2Vec2FeatureExtractor);
  assert.throws(() => AutoFeatureExtractor.fromConfig({}, { modelType: "bert" }), /model_type "bert" has no known feature extractor/);
  assert.throws(() => AutoFeatureExtractor.fromConfig({ feature_extractor_type: 3 }), /must be a string, got number 3/);
  assert.throws(() => AutoFeatureExtractor.fromConfig([] as never), FeatureExtractorConfigError);
});

test("fromPretrained falls back to config.json's model_type, and explains missing or broken files", async () => {
  await withTempDir(
    { "preprocessor_config.json": JSON.stringify({ sampling_rate: 16000, num_mel_bins: 64 }), "config.json": JSON.stringify({ model_type: "audio-spectrogram-transformer" }) },
    async (dir) => {
      const fe = await AutoFeatureExtractor.fromPretrained(dir);
      assert.ok(fe instanceof ASTFeatureExtractor);
      assert.equal(fe.numMelBins, 64);
    },
  );
  await withTempDir({ "config.json": "{}" }, async (dir) => {
    await assert.rejects(AutoFeatureExtractor.fromPretrained(dir), /no preprocessor_config\.json in .*is it a Hugging Face audio checkpoint folder\?/);
  });
  await withTempDir({ "preprocessor_config.json": "{ not json" }, async (dir) => {
    await assert.rejects(AutoFeatureExtractor.fromPretrained(dir), (e: unknown) => e instanceof FeatureExtractorConfigError && /is not valid JSON/.test((e as Error).message));
  });
  await withTempDir({ "preprocessor_config.json": JSON.stringify({ feature_extractor_type: "ASTFeatureExtractor", num_mel_bins: "many" }) }, async (dir) => {
    await assert.rejects(AutoFeatureExtractor.fromPretrained(dir), /preprocessor_config\.json: "num_mel_bins" must be an integer from 4 to 1024, got "many"/);
  });
  await assert.rejects(AutoFeatureExtractor.fromPretrained(join(tmpdir(), "no-such-audioclass-checkpoint")), /No folder at/);
  await assert.rejects(AutoFeatureExtractor.fromPretrained(""), FeatureExtractorConfigError);
});

test("invalid config values are typed errors naming the key", () => {
  assert.throws(() => new WhisperFeatureExtractor({ hop_length: 0 }), /"hop_length" must be an integer from 1 to 65536, got number 0/);
  assert.throws(() => new ASTFeatureExtractor({ std: -1 }), /"std" must be a positive number/);
  assert.throws(() => new Wav2Vec2FeatureExtractor({ do_normalize: "yes" }), /"do_normalize" must be true or false/);
  assert.throws(() => new Wav2Vec2FeatureExtractor({ padding_side: "center" }), /"padding_side" must be one of "right", "left"/);
  assert.throws(() => new ClapFeatureExtractor({ fft_window_size: 1023 }), /"fft_window_size" must be even/);
  assert.throws(() => new ASTFeatureExtractor("config" as never), FeatureExtractorConfigError);
});
