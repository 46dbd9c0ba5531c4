/**
 * SEWForSequenceClassification (model_type "sew"): conv feature encoder → LayerNorm → [Linear to
 * hidden_size] → [SpecAugment] → squeezed encoder (average pool by squeeze_factor plus a strided
 * positional conv, LayerNorm, post-LN layers) → upsampling back to the frame rate → projector →
 * mean over the valid frames → classifier. With use_weighted_layer_sum the head mixes the
 * squeezed hidden states (transformers' hidden_states are taken before upsampling) and pools over
 * the valid squeezed frames.
 *
 * input_values float32 [batch, time] and attention_mask int64 [batch, time] → logits. As for
 * wav2vec2 (speech-encoder/wav2vec2-style-family.ts), padded frames are zeroed, masked and left
 * out of the means, so a padded batch gives each clip's one-by-one logits; see squeeze.ts for the
 * squeeze's share of that.
 */
import { GraphBuilder, type GraphModel, type Value } from "../../graph/index.js";
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
  transformerLayers,
  upsample,
  validFrames,
  weightedLayerSum,
  zeroInvalid,
} from "../speech-encoder/index.js";
import { type SewConfig, readSewConfig } from "./sew-config.js";

/** transformers' SEWPreTrainedModel.base_model_prefix. */
export const SEW_PREFIX = "sew";

/** SEWModel passes no attention mask to SpecAugment: time masks span the padded length. */
export function readSewTrainingSettings(config: ModelConfig): SpeechTrainingSettings {
  return readSpeechTrainingSettings(config, { maskTimeOverValidFrames: false });
}

export function buildSew(config: ModelConfig, weights: Weights, options: ArchitectureBuildOptions = {}): GraphModel {
  const c: SewConfig = readSewConfig(config);
  const training = options.training === true ? readSewTrainingSettings(config) : undefined;
  return buildSqueezedClassifier(weights, {
    architecture: "SEWForSequenceClassification",
    modelType: "sew",
    prefix: SEW_PREFIX,
    config: c,
    training,
    encode(g, encoderWeights, squeezed, validSqueezed) {
      const x = g.dropout(layerNorm(g, encoderWeights, "layer_norm", squeezed, { epsilon: c.layerNormEps }), training?.hiddenDropout ?? 0);
      return transformerLayers(g, encoderWeights, c, x, validSqueezed, { fused: options.fused, training });
    },
  });
}

/** What SEW and SEW-D differ in: names, their config, and the encoder over the squeezed frames. */
export interface SqueezedClassifierSpec<C extends SewConfig> {
  architecture: string;
  modelType: string;
  /** Where the backbone's weights live (base_model_prefix). */
  prefix: string;
  config: C;
  training: SpeechTrainingSettings | undefined;
  /** The encoder's hidden states over the squeezed frames, its input first (transformers' hidden_states). */
  encode(g: GraphBuilder, encoderWeights: Weights, squeezed: Value, validSqueezed: Value): Value[];
}

/**
 * The SEW-style classifier around any squeezed encoder: feature encoder, projection and
 * SpecAugment, squeeze, the family's encoder, upsampling, then projector → masked mean →
 * classifier (SEW-D builds on this with its DeBERTa-v2 encoder).
 */
export function buildSqueezedClassifier<C extends SewConfig>(weights: Weights, spec: SqueezedClassifierSpec<C>): GraphModel {
  const { config: c, training } = spec;
  const g = new GraphBuilder({ name: spec.architecture });
  const inputValues = g.input("input_values", "float32", ["batch", "time"]);
  const attentionMask = g.input("attention_mask", "int64", ["batch", "time"]);
  skipTrainingOnlyWeights(weights, spec.prefix);
  const base = weights.scope(spec.prefix);
  const lengths = g.scope("frame_lengths", () => convOutputLengths(g, sampleCounts(g, attentionMask), c.convKernel, c.convStride));
  const frameCount = lengths[lengths.length - 1]!;
  const padding = receptiveField(c.convKernel, c.convStride) + squeezePaddingSamples(c.squeezeFactor, c.convStride);
  const samples = g.scope("short_clip_padding", () => appendReceptiveFieldPadding(g, inputValues, padding));
  let h = layerNorm(g, base, "layer_norm", featureEncoder(g, base.scope("feature_extractor"), c, samples, lengths), { epsilon: c.featureLayerNormEps });
  if (c.projectFeatures) h = checkedLinear(g, base, "feature_projection", h, c.hiddenSize);
  if (training) h = applySpecAugment(g, base, training, g.dropout(h, training.featProjDropout));
  const valid = g.scope("frame_mask", () => validFrames(g, frameCount, h, 1));

  const encoderWeights = base.scope("encoder");
  const { states, upsampled, validSqueezed } = g.scope("encoder", () => {
    const squeezed = squeezeWithPositions(g, encoderWeights.scope("pos_conv_embed"), c, zeroInvalid(g, h, valid, "time-major"));
    const squeezedCount = squeezedLengths(g, frameCount, c.squeezeFactor);
    const validSqueezed = validFrames(g, squeezedCount, squeezed, 1);
    const states = spec.encode(g, encoderWeights, squeezed, validSqueezed);
    const upsampled = upsample(g, encoderWeights.scope("upsample"), c, states[states.length - 1]!, squeezedCount);
    return { states, upsampled, validSqueezed };
  });

  const [hidden, pooledOver] = c.useWeightedLayerSum ? [weightedLayerSum(g, weights, states), validSqueezed] : [upsampled, validFrames(g, frameCount, upsampled, 1)];
  const projected = checkedLinear(g, weights, "projector", hidden, c.classifierProjSize);
  g.output("logits", checkedLinear(g, weights, "classifier", maskedMean(g, projected, pooledOver), c.numLabels));
  return g.build({ metadata: { model_type: spec.modelType, architecture: spec.architecture } });
}
