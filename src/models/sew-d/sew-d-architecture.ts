/**
 * SEWDForSequenceClassification (model_type "sew-d"): SEW's front end and squeeze (see
 * sew/sew-architecture.ts and speech-encoder/squeeze.ts) around a DeBERTa-v2 encoder with
 * disentangled attention (sew-d-encoder.ts), then projector → mean over the valid frames →
 * classifier. With use_weighted_layer_sum the head mixes the squeezed hidden states and pools
 * over the valid squeezed frames (transformers 4.49 fails there when given a mask; without one
 * this is its computation).
 */
import type { GraphModel } from "../../graph/index.js";
import type { Weights } from "../../nn/index.js";
import type { ArchitectureBuildOptions } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";
import { type SpeechTrainingSettings, readSpeechTrainingSettings } from "../speech-encoder/index.js";
import { buildSqueezedClassifier } from "../sew/sew-architecture.js";
import { readSewDConfig } from "./sew-d-config.js";
import { sewDTransformer } from "./sew-d-encoder.js";

/** Where SEWDForSequenceClassification keeps its backbone (the `sew_d` attribute). */
export const SEW_D_PREFIX = "sew_d";

/** SEWDModel passes no attention mask to SpecAugment, and its encoder has no LayerDrop. */
export function readSewDTrainingSettings(config: ModelConfig): SpeechTrainingSettings {
  return { ...readSpeechTrainingSettings(config, { maskTimeOverValidFrames: false }), layerDrop: 0 };
}

export function buildSewD(config: ModelConfig, weights: Weights, options: ArchitectureBuildOptions = {}): GraphModel {
  const c = readSewDConfig(config);
  const training = options.training === true ? readSewDTrainingSettings(config) : undefined;
  const dropout = { attention: training?.attentionDropout ?? 0, activation: training?.activationDropout ?? 0 };
  return buildSqueezedClassifier(weights, {
    architecture: "SEWDForSequenceClassification",
    modelType: "sew-d",
    prefix: SEW_D_PREFIX,
    config: c,
    training,
    encode: (g, encoderWeights, squeezed, validSqueezed) => g.scope("encoder", () => sewDTransformer(g, encoderWeights.scope("encoder"), c, squeezed, validSqueezed, dropout)),
  });
}
