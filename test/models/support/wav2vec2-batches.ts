/**
 * Padded-batch checks for wav2vec2-family models: waveforms of different lengths run as one
 * batch (feature extractor padding + attention mask) must give each clip's single-run logits.
 */
import assert from "node:assert/strict";
import { Wav2Vec2FeatureExtractor } from "../../../src/features/index.js";
import type { AudioClassificationModel } from "../../../src/models/index.js";
import { rng } from "../../graph/support/random.js";

/** Speech-like test signals: a few sines with random frequencies and a little noise. */
export function syntheticWaveforms(lengths: readonly number[], seed: number): Float32Array[] {
  const next = rng(seed);
  return lengths.map((length) => {
    const tones = Array.from({ length: 3 }, () => ({ f: 80 + next() * 3000, a: 0.1 + next() * 0.4, phase: next() * 6.28 }));
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      let v = (next() * 2 - 1) * 0.05;
      for (const t of tones) v += t.a * Math.sin((2 * Math.PI * t.f * i) / 16000 + t.phase);
      out[i] = v;
    }
    return out;
  });
}

export interface BatchCheck {
  /** Logits of the padded batch, [batch, num_labels] row-major. */
  readonly batch: Float32Array;
  /** Each clip run alone. */
  readonly singles: Float32Array[];
  /** Largest |batch − single| over all clips and labels. */
  readonly worst: number;
}

/**
 * Runs the clips as one right-padded batch with an attention mask (asked for even when the
 * extractor's config does not return one, as wav2vec2-base's does not) and one by one with the
 * extractor's own settings, and asserts they agree within `tolerance`.
 */
export async function assertPaddedBatchMatchesSingles(
  model: AudioClassificationModel,
  waveforms: readonly Float32Array[],
  extractor: Wav2Vec2FeatureExtractor = new Wav2Vec2FeatureExtractor({ do_normalize: true }),
  tolerance = 1e-5,
): Promise<BatchCheck> {
  const rate = extractor.samplingRate;
  const features = extractor([...waveforms], { samplingRate: rate, padding: true, returnAttentionMask: true });
  assert.ok(features["attention_mask"] !== undefined, "the padded batch must carry an attention mask");
  const logits = await model.forward(features);
  const labels = model.numLabels;
  assert.deepEqual(logits.dims, [waveforms.length, labels]);
  assert.ok(logits.data.every(Number.isFinite), "batch logits must be finite");
  const singles: Float32Array[] = [];
  let worst = 0;
  for (const [i, waveform] of waveforms.entries()) {
    const single = await model.forward(extractor(waveform, { samplingRate: rate }));
    assert.deepEqual(single.dims, [1, labels]);
    singles.push(single.data);
    for (let j = 0; j < labels; j++) worst = Math.max(worst, Math.abs(logits.data[i * labels + j]! - single.data[j]!));
  }
  assert.ok(worst <= tolerance, `padded batch differs from single runs by ${worst} (tolerance ${tolerance})`);
  return { batch: logits.data, singles, worst };
}
