/**
 * What the raw-waveform speech families share outside the graph: the fine-tuning recipe of
 * run_audio_classification.py (wav2vec2, HuBERT, WavLM, … — the feature encoder frozen, clips
 * cut at 20 s) and Wav2Vec2FeatureExtractor's defaults for a model trained from scratch.
 */
import type { FamilyTrainingDefaults } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";

export const WAV2VEC2_RECIPE: FamilyTrainingDefaults = Object.freeze({
  learningRate: 3e-5,
  batchSize: 32,
  gradientAccumulationSteps: 4,
  epochs: 5,
  freeze: "feature-encoder",
  maxDurationSeconds: 20,
});

/**
 * Raw 16 kHz audio, normalised per clip. Layer-norm feature encoders (the "large" layout) were
 * trained with attention masks, group-norm ones without.
 */
export function wav2vec2PreprocessorDefaults(config: ModelConfig): Record<string, unknown> {
  return {
    do_normalize: true,
    feature_extractor_type: "Wav2Vec2FeatureExtractor",
    feature_size: 1,
    padding_side: "right",
    padding_value: 0.0,
    return_attention_mask: config.has("feat_extract_norm") && config.string("feat_extract_norm") === "layer",
    sampling_rate: 16000,
  };
}
