/**
 * SEWDForSequenceClassification (model_type "sew-d"): SEW's front end and squeeze (see
 * sew/sew-architecture.ts and speech-encoder/squeeze.ts) around a DeBERTa-v2 encoder with
 * disentangled attention (sew-d-encoder.ts), then projector → mean over the valid frames →
 * classifier. With use_weighted_layer_sum the head mixes the squeezed hidden states and pools
 * over the valid squeezed frames (transformers 4.49 fails there when given a mask; without one
 * this is its computation).
 */
import { GraphBuilder, type GraphModel } from "../../graph/index.js";
import { layerNorm, type Weights } from "../../nn/index.js";
import type { ArchitectureBuildOptions } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";
import {
  type SpeechTrainingSettings,
  appendReceptiveFieldPadding,
  applySpecAugment,
  checkedLinear,
  convOutputLengths,
  featureEncoder,
  maskedMean,
  readSpeechTrainingSettings,
  receptiveField,
  sampleCounts,
  skipTrainingOnlyWeights,
  squeezePaddingSamples,
  squeezeWithPositions,
  squeezedLengths,
  upsample,
  validFrames,
  weightedLayerSum,
  zeroInvalid,
} from "../speech-encoder/index.js";
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
  const g = new GraphBuilder({ name: "SEWDForSequenceClassification" });
  const inputValues = g.input("input_values", "float32", ["batch", "time"]);
  const attentionMask = g.input("attention_mask", "int64", ["batch", "time"]);
  skipTrainingOnlyWeights(weights, SEW_D_PREFIX);
  const base = weights.scope(SEW_D_PREFIX);
  const lengths = g.scope("frame_lengths", () => convOutputLengths(g, sampleCounts(g, attentionMask), c.convKernel, c.convStride));
  const frameCount = lengths[lengths.length - 1]!;
  const padding = receptiveField(c.convKernel, c.convStride) + squeezePaddingSamples(c.squeezeFactor, c.convStride);
  const samples = g.scope("short_clip_padding", () => appendReceptiveFieldPadding(g, inputValues, padding));
  let h = layerNorm(g, base, "layer_norm", featureEncoder(g, base.scope("feature_extractor"), c, samples, lengths), { epsilon: c.featureLayerNormEps });
  if (c.projectFeatures) h = checkedLinear(g, base, "feature_projection", h, c.hiddenSize);
  const training = options.training === true ? readSewDTrainingSettings(config) : undefined;
  if (training) h = applySpecAugment(g, base, training, g.dropout(h, training.featProjDropout));
  const valid = g.scope("frame_mask", () => validFrames(g, frameCount, h, 1));

  const encoderWeights = base.scope("encoder");
  const { states, upsampled, validSqueezed } = g.scope("encoder", () => {
    const squeezed = squeezeWithPositions(g, encoderWeights.scope("pos_conv_embed"), c, zeroInvalid(g, h, valid, "time-major"));
    const squeezedCount = squeezedLengths(g, frameCount, c.squeezeFactor);
    const validSqueezed = validFrames(g, squeezedCount, squeezed, 1);
    const dropout = { attention: training?.attentionDropout ?? 0, activation: training?.activationDropout ?? 0 };
    const states = g.scope("encoder", () => sewDTransformer(g, encoderWeights.scope("encoder"), c, squeezed, validSqueezed, dropout));
    const upsampled = upsample(g, encoderWeights.scope("upsample"), c, states[states.length - 1]!, squeezedCount);
    return { states, upsampled, validSqueezed };
  });

  const [hidden, pooledOver] = c.useWeightedLayerSum ? [weightedLayerSum(g, weights, states), validSqueezed] : [upsampled, validFrames(g, frameCount, upsampled, 1)];
  const projected = checkedLinear(g, weights, "projector", hidden, c.classifierProjSize);
  g.output("logits", checkedLinear(g, weights, "classifier", maskedMean(g, projected, pooledOver), c.numLabels));
  return g.build({ metadata: { model_type: "sew-d", architecture: "SEWDForSequenceClassification" } });
}
