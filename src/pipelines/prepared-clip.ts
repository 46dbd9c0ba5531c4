/**
 * A clip made ready for the model before the model runs: decoded at the model's rate and, when
 * the extractor works clip by clip (FeatureExtractor.perExample), turned into features. This is
 * the part of classification that can run in worker threads while the model runs on the main
 * thread; stacking prepared features gives exactly what one call on the batch gives.
 */
import type { FeatureExtractor, FeatureExtractorOutput } from "../features/index.js";
import { type AudioInputOptions, type PipelineAudioInput, loadAudioInput } from "./audio-input.js";

export interface PreparedClip {
  /** Samples of the decoded clip at the model's rate. */
  readonly samples: number;
  /** The clip itself, when its features depend on the batch it runs in. */
  readonly waveform?: Float32Array;
  /** Its features, when they depend on the clip alone. */
  readonly features?: FeatureExtractorOutput;
}

export interface PrepareOptions extends AudioInputOptions {
  /** Ask the extractor for an attention mask (the model takes one). */
  returnAttentionMask?: boolean;
}

/** The extractor call options for one clip or a batch (the same on both paths). */
export function featureCallOptions(extractor: FeatureExtractor, batchSize: number, returnAttentionMask: boolean) {
  return {
    samplingRate: extractor.samplingRate,
    ...(batchSize > 1 ? extractor.batchOptions() : {}),
    ...(returnAttentionMask ? { returnAttentionMask: true } : {}),
  };
}

export async function prepareClip(input: PipelineAudioInput, extractor: FeatureExtractor, options: PrepareOptions = {}): Promise<PreparedClip> {
  const { returnAttentionMask = false, ...audioOptions } = options;
  const waveform = await loadAudioInput(input, extractor.samplingRate, audioOptions);
  if (!extractor.perExample) return { samples: waveform.length, waveform };
  return { samples: waveform.length, features: extractor(waveform, featureCallOptions(extractor, 1, returnAttentionMask)) };
}
