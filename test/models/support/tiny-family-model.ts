/**
 * Tiny random checkpoints of any registered family, built from its descriptor's parameter list,
 * written to a temp folder and loaded as a user would; then checked: a clean load report, the
 * three clips as one padded batch equal to their single runs, distinct clips giving distinct
 * logits.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { ModelConfig, architectureFor, loadAudioClassificationModel } from "../../../src/models/index.js";
import { randomCheckpoint, writeModelFolder } from "./random-checkpoint.js";
import { assertPaddedBatchMatchesSingles, syntheticWaveforms } from "./wav2vec2-batches.js";

/** Waveform lengths that are not multiples of the conv strides (and one shorter than the others by far). */
export const FAMILY_CLIP_LENGTHS = [4403, 1717, 3109];

export async function checkTinyFamilyConfig(config: Record<string, unknown>, options: { seed?: number; fused?: boolean } = {}): Promise<void> {
  const model = new ModelConfig(config);
  const checkpoint = randomCheckpoint(architectureFor(model).parameters(model), options.seed ?? 3);
  const dir = await writeModelFolder(config, checkpoint, "audioclass-family-");
  try {
    const loaded = await loadAudioClassificationModel(dir, new ModelConfig(config, `${dir}/config.json`), architectureFor(model), { threads: 1, cache: false, fused: options.fused });
    try {
      assert.deepEqual(loaded.report.unusedWeights, []);
      const clips = syntheticWaveforms(FAMILY_CLIP_LENGTHS, 7);
      const { batch } = await assertPaddedBatchMatchesSingles(loaded, clips);
      assert.ok(batch.every(Number.isFinite), "logits must be finite");
      const labels = loaded.numLabels;
      const rows = clips.map((_, i) => Array.from(batch.subarray(i * labels, (i + 1) * labels)));
      assert.ok(Math.max(...rows[0]!.map((v, j) => Math.abs(v - rows[1]![j]!))) > 1e-3, "different clips gave the same logits");
    } finally {
      await loaded.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
