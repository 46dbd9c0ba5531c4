/**
 * preprocessor_config.json for a model that has none (a config.json alone, trained from
 * scratch): the feature extractor transformers' AutoFeatureExtractor would pair with the model
 * type, with its constructor defaults and the sizes the model config fixes (AST's mel bins and
 * frames, Whisper's mel bins and window).
 */
import { readAstSettings } from "../models/ast/index.js";
import type { ModelConfig } from "../models/index.js";
import { readWhisperSettings } from "../models/whisper/index.js";
import { TrainerOptionsError } from "./errors.js";

/** Whisper's fixed STFT hop and rate: the window holds 2·max_source_positions hops. */
const WHISPER_HOP = 160;
const SAMPLING_RATE = 16000;

export function defaultPreprocessorConfig(config: ModelConfig): Record<string, unknown> {
  const type = config.modelType;
  if (type === "audio-spectrogram-transformer") {
    const s = readAstSettings(config);
    // ASTFeatureExtractor's defaults: AudioSet's mean and std.
    return {
      do_normalize: true,
      feature_extractor_type: "ASTFeatureExtractor",
      feature_size: 1,
      max_length: s.maxLength,
      mean: -4.2677393,
      num_mel_bins: s.numMelBins,
      padding_side: "right",
      padding_value: 0.0,
      return_attention_mask: false,
      sampling_rate: SAMPLING_RATE,
      std: 4.5689974,
    };
  }
  if (type === "whisper") {
    const s = readWhisperSettings(config);
    const samples = 2 * s.maxSourcePositions * WHISPER_HOP;
    if (samples % SAMPLING_RATE !== 0) {
      throw new TrainerOptionsError(
        `${config.source}: max_source_positions ${s.maxSourcePositions} makes a ${samples / SAMPLING_RATE} s window, but WhisperFeatureExtractor's chunk_length is whole seconds; ` +
          `put a preprocessor_config.json next to config.json, or use max_source_positions a multiple of 50`,
        "model",
      );
    }
    return {
      chunk_length: samples / SAMPLING_RATE,
      feature_extractor_type: "WhisperFeatureExtractor",
      feature_size: s.numMelBins,
      hop_length: WHISPER_HOP,
      n_fft: 400,
      padding_side: "right",
      padding_value: 0.0,
      return_attention_mask: false,
      sampling_rate: SAMPLING_RATE,
    };
  }
  // The wav2vec2 family: raw 16 kHz audio, normalised per clip. Layer-norm feature encoders
  // (the "large" layout) were trained with attention masks, group-norm ones without.
  return {
    do_normalize: true,
    feature_extractor_type: "Wav2Vec2FeatureExtractor",
    feature_size: 1,
    padding_side: "right",
    padding_value: 0.0,
    return_attention_mask: config.has("feat_extract_norm") && config.string("feat_extract_norm") === "layer",
    sampling_rate: SAMPLING_RATE,
  };
}
