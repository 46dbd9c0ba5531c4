/**
 * preprocessor_config.json for an AST config with none (trained from scratch): ASTFeatureExtractor's
 * constructor defaults (AudioSet's mean and std) with the mel bins and frames the model fixes.
 */
import type { ModelConfig } from "../model-config.js";
import { readAstSettings } from "./ast-config.js";

export function astDefaultPreprocessorConfig(config: ModelConfig): Record<string, unknown> {
  const s = readAstSettings(config);
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
    sampling_rate: 16000,
    std: 4.5689974,
  };
}
