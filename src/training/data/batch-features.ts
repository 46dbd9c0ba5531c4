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
import type { FeatureExtractor, FeatureExtractorCallOptions, FeatureExtractorOutput, FeatureTensor } from "../../features/feature-extractor.js";
import { tensor } from "../../tensor.js";
import { TrainingDataError } from "../errors.js";

export type FeatureMode = "per-example" | "per-batch";

export function featureModeOf(extractor: FeatureExtractor): FeatureMode {
  if (extractor.featureExtractorType === "ASTFeatureExtractor") return "per-example";
  if (extractor.featureExtractorType === "WhisperFeatureExtractor" && (extractor as unknown as { dither?: number }).dither === 0) return "per-example";
  return "per-batch";
}

/** Concatenates single-example outputs along the batch dimension. */
export function stackFeatures(outputs: readonly FeatureExtractorOutput[]): FeatureExtractorOutput {
  const first = outputs[0];
  if (first === undefined) throw new TrainingDataError("cannot stack an empty batch");
  const result: FeatureExtractorOutput = {};
  for (const [name, t0] of Object.entries(first)) {
    const rowDims = t0.dims.slice(1);
    let batch = 0;
    for (const [i, out] of outputs.entries()) {
      const t = out[name];
      if (t === undefined || t.type !== t0.type || t.dims.length !== t0.dims.length || t.dims.slice(1).some((d, k) => d !== rowDims[k])) {
        throw new TrainingDataError(
          `example ${i} of the batch has ${name} ${t === undefined ? "missing" : `[${t.dims.join(", ")}]`} but example 0 has [${t0.dims.join(", ")}]; ` +
            `per-example features must all have the same shape`,
        );
      }
      batch += t.dims[0]!;
    }
    const data = new (t0.data.constructor as new (n: number) => FeatureTensor["data"])(outputs.reduce((n, o) => n + o[name]!.data.length, 0));
    let offset = 0;
    for (const out of outputs) {
      (data as Float32Array).set(out[name]!.data as Float32Array, offset);
      offset += out[name]!.data.length;
    }
    result[name] = tensor(t0.type, [batch, ...rowDims], data as never) as FeatureTensor;
  }
  return result;
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
