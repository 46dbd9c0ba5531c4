/**
 * Every parameter of a SEWForSequenceClassification, with SEWPreTrainedModel's `_init_weights`:
 * Conv1d kaiming_normal_ with zero bias (the feature encoder's too), Linear N(0,
 * initializer_range²) with zero bias, LayerNorm / GroupNorm 1 / 0, the weight-normalised
 * positional conv drawn as wav2vec2's (speech-encoder/parameter-specs.ts), masked_spec_embed
 * U(0, 1) when SpecAugment is configured.
 */
import type { ModelConfig } from "../model-config.js";
import { type ParameterSpec, layerNormSpecs } from "../parameter-spec.js";
import {
  featureEncoderSpecs,
  maskedSpecEmbedSpecs,
  normalLinear,
  positionalConvDraw,
  sequenceClassificationHeadSpecs,
  transformerLayerSpecs,
  weightNormConvSpecs,
} from "../speech-encoder/index.js";
import { SEW_PREFIX, readSewTrainingSettings } from "./sew-architecture.js";
import { readSewConfig } from "./sew-config.js";

export function sewParameters(config: ModelConfig): ParameterSpec[] {
  const c = readSewConfig(config);
  const p = SEW_PREFIX;
  const linear = normalLinear(config);
  const d = c.hiddenSize;
  const last = c.convDim[c.convDim.length - 1]!;
  const { kernel, groups } = c.positionalConv;
  const specs: ParameterSpec[] = [...featureEncoderSpecs(p, c, { zeroConvBias: true }), ...layerNormSpecs(`${p}.layer_norm`, last)];
  if (c.projectFeatures) specs.push(...linear(`${p}.feature_projection`, d, last));
  specs.push(...weightNormConvSpecs(`${p}.encoder.pos_conv_embed.conv`, d, groups, kernel, positionalConvDraw(kernel, d)), ...layerNormSpecs(`${p}.encoder.layer_norm`, d));
  for (let i = 0; i < c.numLayers; i++) specs.push(...transformerLayerSpecs(`${p}.encoder.layers.${i}`, c, linear));
  specs.push(...linear(`${p}.encoder.upsample.projection`, d * c.squeezeFactor, d));
  specs.push(...sequenceClassificationHeadSpecs(c, d, c.numLayers + 1, c.numLabels, linear));
  specs.push(...maskedSpecEmbedSpecs(p, d, readSewTrainingSettings(config)));
  return specs;
}
