/**
 * A family descriptor for the architectures built like Wav2Vec2ForSequenceClassification (raw
 * waveform → conv feature encoder → feature projection → [SpecAugment] → positional conv +
 * transformer layers → head): wav2vec2, HuBERT, WavLM, Data2VecAudio, UniSpeech, UniSpeechSat.
 * A family folder supplies what differs — its config reading, parameter list and, for WavLM,
 * its attention — and gets the graph, training inputs, head and defaults from here.
 *
 * input_values float32 [batch, time] and attention_mask int64 [batch, time] → logits
 * [batch, num_labels]. The mask is always an input (the model wrapper feeds all ones when the
 * feature extractor gives none) and is used everywhere transformers uses it — padded frames
 * zeroed before the position conv, attention to padded frames masked, pooling over valid frames
 * — plus two places where it does not, so that a padded batch gives the same logits as
 * one-by-one runs: the first layer's GroupNorm statistics (masked-group-norm.ts) and the frames
 * between stacked position convs or after HuBERT's position batch norm (positional-conv.ts). A
 * clip shorter than the conv stack's receptive field, which transformers cannot run, is
 * zero-padded to one frame (frame-lengths.ts).
 *
 * Built with `training: true`, the graph also has transformers' training-time regularisation:
 * dropout (feature projection, encoder input, attention probabilities and output, feed-forward
 * activation and output), SpecAugment masks and LayerDrop gates as inputs (training-inputs.ts).
 */
import { GraphBuilder, type GraphModel } from "../../graph/index.js";
import type { Weights } from "../../nn/index.js";
import type { ArchitectureBuildOptions, AudioClassificationArchitecture, TrainingInputContext } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";
import type { ParameterSpec } from "../parameter-spec.js";
import { type LayerAttentionFactory, encoder } from "./encoder.js";
import { featureEncoder, featureProjection } from "./feature-encoder.js";
import { appendReceptiveFieldPadding, convOutputLengths, receptiveField, sampleCounts, validFrames } from "./frame-lengths.js";
import { speechParameterPlace } from "./parameter-place.js";
import { wav2vec2PreprocessorDefaults, WAV2VEC2_RECIPE } from "./recipes.js";
import { sequenceClassificationHead } from "./sequence-classification-head.js";
import { applySpecAugment } from "./spec-augment.js";
import type { SpeechEncoderConfig } from "./speech-encoder-config.js";
import { speechTrainingInputs } from "./training-inputs.js";
import { skipTrainingOnlyWeights } from "./training-only-weights.js";
import { readSpeechTrainingSettings } from "./training-settings.js";

export interface Wav2Vec2StyleFamilySpec<C extends SpeechEncoderConfig> {
  readonly name: string;
  readonly modelType: string;
  readonly architectureClass: string;
  /** base_model_prefix: where the backbone's parameters sit in the checkpoint. */
  readonly prefix: string;
  readConfig(config: ModelConfig): C;
  parameters(config: ModelConfig): ParameterSpec[];
  headParameters(config: ModelConfig, numLabels: number): ParameterSpec[];
  /** A family's own attention (WavLM); default the plain multi-head self-attention. */
  layerAttention?(config: C): LayerAttentionFactory;
  /** Whether SpecAugment's time masks stay within each example's valid frames (all but HuBERT). */
  readonly maskTimeOverValidFrames: boolean;
}

function buildClassifier<C extends SpeechEncoderConfig>(spec: Wav2Vec2StyleFamilySpec<C>, config: ModelConfig, weights: Weights, options: ArchitectureBuildOptions): GraphModel {
  const settings = spec.readConfig(config);
  const g = new GraphBuilder({ name: `${spec.modelType}-for-sequence-classification` });
  const inputValues = g.input("input_values", "float32", ["batch", "time"]);
  const attentionMask = g.input("attention_mask", "int64", ["batch", "time"]);
  skipTrainingOnlyWeights(weights, spec.prefix);
  const base = weights.scope(spec.prefix);
  const lengths = g.scope("frame_lengths", () => convOutputLengths(g, sampleCounts(g, attentionMask), settings.convKernel, settings.convStride));
  const samples = g.scope("short_clip_padding", () => appendReceptiveFieldPadding(g, inputValues, receptiveField(settings.convKernel, settings.convStride)));
  const features = featureEncoder(g, base.scope("feature_extractor"), settings, samples, lengths);
  const training = options.training === true ? readSpeechTrainingSettings(config, spec) : undefined;
  let projected = featureProjection(g, base.scope("feature_projection"), settings, features);
  if (training) projected = applySpecAugment(g, base, training, g.dropout(projected, training.featProjDropout));
  const valid = g.scope("frame_mask", () => validFrames(g, lengths[lengths.length - 1]!, projected, 1));
  const layerAttention = spec.layerAttention?.(settings);
  const states = encoder(g, base.scope("encoder"), settings, projected, valid, { fused: options.fused, training, layerAttention });
  g.output("logits", sequenceClassificationHead(g, weights, settings, states, valid));
  return g.build({ metadata: { model_type: spec.modelType, architecture: spec.architectureClass } });
}

/** The descriptor of one wav2vec2-style family. */
export function wav2vec2StyleFamily<C extends SpeechEncoderConfig>(spec: Wav2Vec2StyleFamilySpec<C>): AudioClassificationArchitecture {
  return Object.freeze({
    name: spec.name,
    modelTypes: Object.freeze([spec.modelType]),
    architectureClass: spec.architectureClass,
    featureExtractorType: "Wav2Vec2FeatureExtractor",
    takesAttentionMask: true,
    trainingDefaults: WAV2VEC2_RECIPE,
    basePrefix: () => spec.prefix,
    build: (config: ModelConfig, weights: Weights, options: ArchitectureBuildOptions = {}) => buildClassifier(spec, config, weights, options),
    parameters: (config: ModelConfig) => spec.parameters(config),
    headParameters: (config: ModelConfig, numLabels: number) => spec.headParameters(config, numLabels),
    numLayers: (config: ModelConfig) => spec.readConfig(config).numLayers,
    parameterPlace: (config: ModelConfig, name: string) => speechParameterPlace(spec.readConfig(config), spec.prefix, name),
    trainingInputs: (config: ModelConfig, context: TrainingInputContext) => speechTrainingInputs(spec.readConfig(config), readSpeechTrainingSettings(config, spec), context),
    hasFeatureEncoder: true,
    defaultPreprocessorConfig: (config: ModelConfig) => wav2vec2PreprocessorDefaults(config),
  });
}
