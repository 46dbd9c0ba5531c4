/**
 * The four *ForSequenceClassification families of wav2vec2 (wav2vec2, HuBERT, WavLM,
 * Data2VecAudio), each a wav2vec2-style descriptor (speech-encoder/wav2vec2-style-family.ts) with
 * its own config reading and parameter list; WavLM brings its gated relative-position attention.
 */
import type { AudioClassificationArchitecture } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";
import { wav2vec2StyleFamily } from "../speech-encoder/index.js";
import { readFamilyConfig, type Wav2Vec2Variant } from "./family-config.js";
import { WAV2VEC2_FAMILY_PREFIX, wav2vec2FamilyHeadParameters, wav2vec2FamilyParameters } from "./wav2vec2-parameters.js";
import { wavlmLayerAttention } from "./wavlm-attention.js";

function architecture(name: string, variant: Wav2Vec2Variant, architectureClass: string): AudioClassificationArchitecture {
  return wav2vec2StyleFamily({
    name,
    modelType: variant,
    architectureClass,
    prefix: WAV2VEC2_FAMILY_PREFIX[variant],
    readConfig: (config: ModelConfig) => readFamilyConfig(config, variant),
    parameters: (config: ModelConfig) => wav2vec2FamilyParameters(config, variant),
    headParameters: wav2vec2FamilyHeadParameters,
    ...(variant === "wavlm" && { layerAttention: wavlmLayerAttention }),
    // HuBERT draws SpecAugment's time masks over the padded length (it passes no attention mask).
    maskTimeOverValidFrames: variant !== "hubert",
  });
}

/** Wav2Vec2ForSequenceClassification (model_type "wav2vec2"). */
export const wav2vec2Architecture = architecture("Wav2Vec2", "wav2vec2", "Wav2Vec2ForSequenceClassification");
/** HubertForSequenceClassification (model_type "hubert"). */
export const hubertArchitecture = architecture("HuBERT", "hubert", "HubertForSequenceClassification");
/** WavLMForSequenceClassification (model_type "wavlm"). */
export const wavlmArchitecture = architecture("WavLM", "wavlm", "WavLMForSequenceClassification");
/** Data2VecAudioForSequenceClassification (model_type "data2vec-audio"). */
export const data2vecAudioArchitecture = architecture("Data2VecAudio", "data2vec-audio", "Data2VecAudioForSequenceClassification");
