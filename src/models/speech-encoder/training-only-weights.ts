/**
 * Checkpoint parameters the classification graph leaves out on purpose, so the load report does
 * not flag them as unused: SpecAugment's `masked_spec_embed` (only used when masking in
 * training), the pre-training heads (`quantizer`, `project_q`, `project_hid`, UniSpeech's
 * `ctc_proj`, UniSpeechSat's `speaker_proj`, `label_embeddings_concat`, `layer_norm_for_extract`) a
 * fine-tuned checkpoint may still carry, and BatchNorm's step counter.
 */
import type { Weights } from "../../nn/index.js";

const TRAINING_ONLY = [
  /^quantizer\./,
  /^project_q\./,
  /^project_hid\./,
  /\.num_batches_tracked$/,
  // UniSpeech / UniSpeechSat pre-training heads
  /^ctc_proj\./,
  /^speaker_proj\./,
  /^label_embeddings_concat$/,
  /^layer_norm_for_extract\./,
];

/** Skips (see Weights.skip) every training-only parameter of a checkpoint whose backbone sits under `prefix`. */
export function skipTrainingOnlyWeights(weights: Weights, prefix: string): void {
  weights.skip(`${prefix}.masked_spec_embed`);
  for (const name of weights.allNames()) {
    if (TRAINING_ONLY.some((pattern) => pattern.test(name))) weights.skip(name);
  }
}
