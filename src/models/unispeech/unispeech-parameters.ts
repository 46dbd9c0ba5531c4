/**
 * Every parameter of a UniSpeech / UniSpeechSat *ForSequenceClassification, with their
 * `_init_weights` (the same as wav2vec2's: see speech-encoder/parameter-specs.ts), under the
 * family's base_model_prefix.
 */
import type { ModelConfig } from "../model-config.js";
import { type ParameterSpec, layerNormSpecs } from "../parameter-spec.js";
import {
  featureEncoderSpecs,
  featureProjectionSpecs,
  maskedSpecEmbedSpecs,
  normalLinear,
  positionalConvDraw,
  readSpeechTrainingSettings,
  sequenceClassificationHeadSpecs,
  speechHeadParameters,
  transformerLayerSpecs,
  weightNormConvSpecs,
} from "../speech-encoder/index.js";
import { readUniSpeechConfig } from "./unispeech-config.js";

export const uniSpeechHeadParameters = speechHeadParameters;

export function uniSpeechParameters(config: ModelConfig, prefix: string): ParameterSpec[] {
  const c = readUniSpeechConfig(config);
  const linear = normalLinear(config);
  const { kernel, groups } = c.positionalConv;
  const specs: ParameterSpec[] = [
    ...featureEncoderSpecs(prefix, c),
    ...featureProjectionSpecs(prefix, c, linear),
    ...weightNormConvSpecs(`${prefix}.encoder.pos_conv_embed.conv`, c.hiddenSize, groups, kernel, positionalConvDraw(kernel, c.hiddenSize)),
    ...layerNormSpecs(`${prefix}.encoder.layer_norm`, c.hiddenSize),
  ];
  for (let i = 0; i < c.numLayers; i++) specs.push(...transformerLayerSpecs(`${prefix}.encoder.layers.${i}`, c, linear));
  specs.push(...sequenceClassificationHeadSpecs(c, c.hiddenSize, c.numLayers + 1, c.numLabels, linear));
  specs.push(...maskedSpecEmbedSpecs(prefix, c.hiddenSize, readSpeechTrainingSettings(config, { maskTimeOverValidFrames: true })));
  return specs;
}
