/**
 * preprocessor_config.json for a Whisper classifier config with none (trained from scratch):
 * WhisperFeatureExtractor's defaults with the mel bins and window the encoder fixes (the window
 * holds 2·max_source_positions hops of 160 samples at 16 kHz).
 */
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";
import { readWhisperSettings } from "./whisper-config.js";

const WHISPER_HOP = 160;
const SAMPLING_RATE = 16000;

export function whisperDefaultPreprocessorConfig(config: ModelConfig): Record<string, unknown> {
  const s = readWhisperSettings(config);
  const samples = 2 * s.maxSourcePositions * WHISPER_HOP;
  if (samples % SAMPLING_RATE !== 0) {
    throw new ModelConfigError(
      `${config.source}: max_source_positions ${s.maxSourcePositions} makes a ${samples / SAMPLING_RATE} s window, but WhisperFeatureExtractor's chunk_length is whole seconds; ` +
        `put a preprocessor_config.json next to config.json, or use max_source_positions a multiple of 50`,
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
