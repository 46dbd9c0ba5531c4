/**
 * Loading tiny wav2vec2-family checkpoints through the real loader and checking them: logits
 * against the float64 reference, and padded batches against single runs.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { type AudioClassificationArchitecture, type AudioClassificationModel, ModelConfig, loadAudioClassificationModel } from "../../../src/models/index.js";
import { data2vecAudioArchitecture, hubertArchitecture, wav2vec2Architecture, wavlmArchitecture } from "../../../src/models/wav2vec2/index.js";
import { uniSpeechArchitecture, uniSpeechSatArchitecture } from "../../../src/models/unispeech/index.js";
import { type Json, type TensorMap, type Wav2Vec2Family, get, tinyWav2Vec2Checkpoint, writeTinyWav2Vec2Model } from "./tiny-wav2vec2-checkpoint.js";
import { assertPaddedBatchMatchesSingles, syntheticWaveforms } from "./wav2vec2-batches.js";
import { wav2vec2FamilyReferenceLogits } from "./wav2vec2-family-reference.js";

export const ARCHITECTURES: Readonly<Record<Wav2Vec2Family, AudioClassificationArchitecture>> = {
  wav2vec2: wav2vec2Architecture,
  hubert: hubertArchitecture,
  wavlm: wavlmArchitecture,
  "data2vec-audio": data2vecAudioArchitecture,
  unispeech: uniSpeechArchitecture,
  "unispeech-sat": uniSpeechSatArchitecture,
};

export interface TinyModel {
  readonly model: AudioClassificationModel;
  readonly dir: string;
  readonly config: Json;
  readonly checkpoint: TensorMap;
  dispose(): Promise<void>;
}

/** Writes the checkpoint to a temp folder and loads it as a user would (one thread, no cache). */
export async function loadTinyModel(config: Json, checkpoint: TensorMap = tinyWav2Vec2Checkpoint(config), options: { fused?: boolean } = {}): Promise<TinyModel> {
  const dir = await writeTinyWav2Vec2Model(config, checkpoint);
  const family = get<Wav2Vec2Family>(config, "model_type");
  try {
    const model = await loadAudioClassificationModel(dir, new ModelConfig(config, `${dir}/config.json`), ARCHITECTURES[family], { threads: 1, cache: false, fused: options.fused });
    return {
      model,
      dir,
      config,
      checkpoint,
      async dispose() {
        await model.dispose();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Loads, and removes the folder again whatever happens (for tests that expect the load to fail). */
export async function tryLoadTinyModel(config: Json, checkpoint: TensorMap): Promise<void> {
  const tiny = await loadTinyModel(config, checkpoint);
  await tiny.dispose();
}

/** Waveform lengths that are not multiples of the conv strides, so every clip ends mid-frame. */
export const CLIP_LENGTHS = [2403, 1717, 3109];

/**
 * The unpadded clip through the model (its single-run path: no mask given, the wrapper feeds
 * ones) against the float64 reference; returns the largest abs difference after asserting it.
 */
export async function assertMatchesReference(tiny: TinyModel, waveform: Float32Array, tolerance = 1e-5): Promise<number> {
  const logits = await tiny.model.forward({ input_values: { type: "float32", dims: [1, waveform.length], data: waveform } });
  const expected = wav2vec2FamilyReferenceLogits(tiny.config, tiny.checkpoint, waveform);
  assert.deepEqual(logits.dims, [1, expected.length]);
  const worst = Math.max(...Array.from(expected, (e, i) => Math.abs(e - logits.data[i]!)));
  assert.ok(worst <= tolerance, `logits differ from the reference by ${worst} (tolerance ${tolerance}): got [${Array.from(logits.data).join(", ")}], expected [${Array.from(expected).join(", ")}]`);
  // Logits that are nearly equal would not show a broken layer; the random weights must separate them.
  const spread = Math.max(...expected) - Math.min(...expected);
  assert.ok(spread > 0.1, `reference logits are too close together (spread ${spread}) to test anything`);
  return worst;
}

/** Reference check on the first clip, then the three clips as a padded batch vs single runs. */
export async function checkTinyConfig(config: Json, checkpoint: TensorMap = tinyWav2Vec2Checkpoint(config)): Promise<void> {
  const tiny = await loadTinyModel(config, checkpoint);
  try {
    assert.deepEqual(tiny.model.report.unusedWeights, []);
    const clips = syntheticWaveforms(CLIP_LENGTHS, 7);
    await assertMatchesReference(tiny, clips[0]!);
    const { batch } = await assertPaddedBatchMatchesSingles(tiny.model, clips);
    // distinct clips give distinct logits (a mask bug that blanks rows would not)
    const labels = tiny.model.numLabels;
    const rows = clips.map((_, i) => Array.from(batch.subarray(i * labels, (i + 1) * labels)));
    assert.ok(Math.max(...rows[0]!.map((v, j) => Math.abs(v - rows[1]![j]!))) > 1e-3, "different clips gave the same logits");
  } finally {
    await tiny.dispose();
  }
}
