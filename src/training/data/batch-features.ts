/**
 * Turning prepared examples into one model input, through the feature extractor's own logic.
 *
 * Two kinds of extractor:
 *  - "per-example": each example's features are fixed in size and independent of the rest of
 *    the batch — AST (pads/truncates to max_length frames), Whisper without dither (pads to
 *    30 s). They are computed (and cached) one example at a time and stacked, which gives
 *    exactly what one call on the whole batch gives.
 *  - "per-batch": the batch's waveforms go through the extractor together with its batch options
 *    (variable-length extractors pad to the longest and return the attention mask)
 *    — Wav2Vec2/HuBERT/WavLM, whose normalisation may even see the padding, and CLAP, whose
 *    crops are random.
 */
import type { FeatureExtractor, FeatureExtractorCallOptions, FeatureExtractorOutput } from "../../features/feature-extractor.js";
export { stackFeatures } from "../../features/stack-features.js";

export type FeatureMode = "per-example" | "per-batch";

export function featureModeOf(extractor: FeatureExtractor): FeatureMode {
  return extractor.perExample ? "per-example" : "per-batch";
}

export interface BatchFeatureOptions {
  /** Attention mask for per-batch extractors (default: the extractor's return_attention_mask). */
  returnAttentionMask?: boolean;
  /** Pad the batch length up to a multiple of this (per-batch extractors). */
  padToMultipleOf?: number;
}

/** Per-batch extraction: pads to the longest waveform through the extractor. */
export function extractBatch(extractor: FeatureExtractor, waveforms: readonly Float32Array[], options: BatchFeatureOptions): FeatureExtractorOutput {
  const call: FeatureExtractorCallOptions = { samplingRate: extractor.samplingRate, ...extractor.batchOptions() };
  if (options.returnAttentionMask !== undefined) call.returnAttentionMask = options.returnAttentionMask;
  if (options.padToMultipleOf !== undefined) call.padToMultipleOf = options.padToMultipleOf;
  return extractor.extract(waveforms, call);
}

/** Per-example extraction (one waveform → batch dimension 1). */
export function extractOne(extractor: FeatureExtractor, waveform: Float32Array, options: BatchFeatureOptions): FeatureExtractorOutput {
  return extractor.extract(waveform, {
    samplingRate: extractor.samplingRate,
    ...(options.returnAttentionMask !== undefined && { returnAttentionMask: options.returnAttentionMask }),
  });
}

/** Label targets: class ids (Int32Array [batch]) or multi-hot rows (Float32Array [batch, numLabels]). */
export function labelTargets(ids: readonly (readonly number[])[], numLabels: number, multiLabel: boolean): Int32Array | Float32Array {
  if (!multiLabel) return Int32Array.from(ids, (row) => row[0]!);
  const out = new Float32Array(ids.length * numLabels);
  ids.forEach((row, b) => {
    for (const id of row) out[b * numLabels + id] = 1;
  });
  return out;
}
