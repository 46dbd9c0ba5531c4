/**
 * The regularisation a speech-encoder model (wav2vec2 and the families that copy it) applies only while training, read from config.json
 * with the defaults of transformers' config classes (Wav2Vec2Config and its copies): dropout
 * rates, LayerDrop and SpecAugment. `final_dropout` is not here: transformers uses it in the CTC
 * head only, never in *ForSequenceClassification.
 */
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";

export interface SpeechTrainingSettings {
  /** After the attention output, the feed-forward output and the encoder's input (`hidden_dropout`). */
  readonly hiddenDropout: number;
  /** On the attention probabilities (`attention_dropout`). */
  readonly attentionDropout: number;
  /** After the feed-forward activation (`activation_dropout`). */
  readonly activationDropout: number;
  /** After the feature projection (`feat_proj_dropout`). */
  readonly featProjDropout: number;
  /** Probability of skipping a whole transformer layer in a training step (`layerdrop`). */
  readonly layerDrop: number;
  /** `apply_spec_augment`: masking happens at all. */
  readonly applySpecAugment: boolean;
  readonly maskTimeProb: number;
  readonly maskTimeLength: number;
  readonly maskTimeMinMasks: number;
  readonly maskFeatureProb: number;
  readonly maskFeatureLength: number;
  readonly maskFeatureMinMasks: number;
  /**
   * Whether time masks are drawn over each example's valid frames (wav2vec2, WavLM,
   * Data2VecAudio pass the attention mask) or over the padded length (HuBERT does not).
   */
  readonly maskTimeOverValidFrames: boolean;
}

function nonNegativeInt(config: ModelConfig, key: string, fallback: number, min = 0): number {
  const v = config.int(key, fallback);
  if (v < min) throw new ModelConfigError(`${config.source}: "${key}" must be an integer ≥ ${min}, got ${v}`);
  return v;
}

/** `maskTimeOverValidFrames`: whether the family passes the attention mask to `_compute_mask_indices`. */
export function readSpeechTrainingSettings(config: ModelConfig, options: { maskTimeOverValidFrames: boolean }): SpeechTrainingSettings {
  return {
    hiddenDropout: config.probability("hidden_dropout", 0.1),
    attentionDropout: config.probability("attention_dropout", 0.1),
    activationDropout: config.probability("activation_dropout", 0.1),
    featProjDropout: config.probability("feat_proj_dropout", 0.0),
    layerDrop: config.probability("layerdrop", 0.1, { inclusive: true }),
    applySpecAugment: config.bool("apply_spec_augment", true),
    maskTimeProb: config.probability("mask_time_prob", 0.05, { inclusive: true }),
    maskTimeLength: nonNegativeInt(config, "mask_time_length", 10, 1),
    maskTimeMinMasks: nonNegativeInt(config, "mask_time_min_masks", 2),
    maskFeatureProb: config.probability("mask_feature_prob", 0.0, { inclusive: true }),
    maskFeatureLength: nonNegativeInt(config, "mask_feature_length", 10, 1),
    maskFeatureMinMasks: nonNegativeInt(config, "mask_feature_min_masks", 0),
    maskTimeOverValidFrames: options.maskTimeOverValidFrames,
  };
}
