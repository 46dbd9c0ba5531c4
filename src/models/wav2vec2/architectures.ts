/**
 * The four *ForSequenceClassification architectures of the wav2vec2 family, built from one graph:
 * input_values float32 [batch, time] and attention_mask int64 [batch, time] → logits
 * [batch, num_labels].
 *
 * The mask is always an input (the model wrapper feeds all ones when the feature extractor gives
 * none) and is used everywhere transformers uses it — padded frames zeroed before the position
 * conv, attention to padded frames masked, pooling over valid frames — plus two places where it
 * does not, so that a padded batch gives the same logits as one-by-one runs: the first layer's
 * GroupNorm statistics (masked-group-norm.ts) and the frames between stacked position convs or
 * after HuBERT's position batch norm (positional-conv.ts). A clip shorter than the conv stack's
 * receptive field, which transformers cannot run, is zero-padded to one frame (frame-lengths.ts).
 *
 * Built with `training: true`, the graph also has transformers' training-time regularisation:
 * dropout (feature projection, encoder input, attention probabilities and output, feed-forward
 * activation and output), SpecAugment masks and LayerDrop gates as inputs (training-inputs.ts).
 */
import { GraphBuilder, type GraphModel } from "../../graph/index.js";
import type { Weights } from "../../nn/index.js";
import type { ArchitectureBuildOptions, AudioClassificationArchitecture, TrainingInputContext } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";
import { encoder } from "./encoder.js";
import { featureEncoder, featureProjection } from "./feature-encoder.js";
import { readFamilyConfig, type Wav2Vec2Variant } from "./family-config.js";
import { convOutputLengths, appendReceptiveFieldPadding, receptiveField, sampleCounts, validFrames } from "./frame-lengths.js";
import { wav2vec2ParameterPlace } from "./parameter-place.js";
import { sequenceClassificationHead } from "./sequence-classification-head.js";
import { wav2vec2TrainingInputs } from "./training-inputs.js";
import { wav2vec2FamilyParameters } from "./wav2vec2-parameters.js";
import { applySpecAugment } from "./spec-augment.js";
import { readWav2Vec2TrainingSettings } from "./training-settings.js";
import { skipTrainingOnlyWeights } from "./training-only-weights.js";

function buildSequenceClassifier(variant: Wav2Vec2Variant, prefix: string, config: ModelConfig, weights: Weights, options: ArchitectureBuildOptions): GraphModel {
  const settings = readFamilyConfig(config, variant);
  const g = new GraphBuilder({ name: `${variant}-for-sequence-classification` });
  const inputValues = g.input("input_values", "float32", ["batch", "time"]);
  const attentionMask = g.input("attention_mask", "int64", ["batch", "time"]);
  skipTrainingOnlyWeights(weights, prefix);
  const base = weights.scope(prefix);
  const lengths = g.scope("frame_lengths", () => convOutputLengths(g, sampleCounts(g, attentionMask), settings.convKernel, settings.convStride));
  const samples = g.scope("short_clip_padding", () => appendReceptiveFieldPadding(g, inputValues, receptiveField(settings.convKernel, settings.convStride)));
  const features = featureEncoder(g, base.scope("feature_extractor"), settings, samples, lengths);
  const training = options.training === true ? readWav2Vec2TrainingSettings(config, variant) : undefined;
  let projected = featureProjection(g, base.scope("feature_projection"), settings, features);
  if (training) projected = applySpecAugment(g, base, training, g.dropout(projected, training.featProjDropout));
  const valid = g.scope("frame_mask", () => validFrames(g, lengths[lengths.length - 1]!, projected, 1));
  const states = encoder(g, base.scope("encoder"), settings, projected, valid, { fused: options.fused, training });
  g.output("logits", sequenceClassificationHead(g, weights, settings, states, valid));
  return g.build();
}

function architecture(name: string, variant: Wav2Vec2Variant, prefix: string): AudioClassificationArchitecture {
  return Object.freeze({
    name,
    modelTypes: Object.freeze([variant]),
    basePrefix: () => prefix,
    build: (config: ModelConfig, weights: Weights, options: ArchitectureBuildOptions = {}) => buildSequenceClassifier(variant, prefix, config, weights, options),
    parameters: (config: ModelConfig) => wav2vec2FamilyParameters(config, variant),
    numLayers: (config: ModelConfig) => readFamilyConfig(config, variant).numLayers,
    parameterPlace: (config: ModelConfig, name: string) => wav2vec2ParameterPlace(readFamilyConfig(config, variant), prefix, name),
    trainingInputs: (config: ModelConfig, context: TrainingInputContext) =>
      wav2vec2TrainingInputs(readFamilyConfig(config, variant), readWav2Vec2TrainingSettings(config, variant), context),
    hasFeatureEncoder: true,
  });
}

/** Wav2Vec2ForSequenceClassification (model_type "wav2vec2"). */
export const wav2vec2Architecture = architecture("Wav2Vec2", "wav2vec2", "wav2vec2");
/** HubertForSequenceClassification (model_type "hubert"). */
export const hubertArchitecture = architecture("HuBERT", "hubert", "hubert");
/** WavLMForSequenceClassification (model_type "wavlm"). */
export const wavlmArchitecture = architecture("WavLM", "wavlm", "wavlm");
/** Data2VecAudioForSequenceClassification (model_type "data2vec-audio"). */
export const data2vecAudioArchitecture = architecture("Data2VecAudio", "data2vec-audio", "data2vec_audio");
