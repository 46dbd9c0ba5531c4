/**
 * Every parameter of a SEWDForSequenceClassification, with SEWDPreTrainedModel's
 * `_init_weights` (as SEW's: Conv1d kaiming_normal_ with zero bias, Linear N(0,
 * initializer_range²) with zero bias, LayerNorm 1 / 0, the positional conv drawn as wav2vec2's)
 * and rel_embeddings N(0, initializer_range²) (nn.Embedding under the same `_init_weights`).
 */
import type { ModelConfig } from "../model-config.js";
import { type ParameterSpec, layerNormSpecs, normalInit } from "../parameter-spec.js";
import {
  featureEncoderSpecs,
  maskedSpecEmbedSpecs,
  normalLinear,
  positionalConvDraw,
  sequenceClassificationHeadSpecs,
  weightNormConvSpecs,
} from "../speech-encoder/index.js";
import { SEW_D_PREFIX, readSewDTrainingSettings } from "./sew-d-architecture.js";
import { readSewDConfig } from "./sew-d-config.js";

export function sewDParameters(config: ModelConfig): ParameterSpec[] {
  const c = readSewDConfig(config);
  const p = SEW_D_PREFIX;
  const linear = normalLinear(config);
  const d = c.hiddenSize;
  const last = c.convDim[c.convDim.length - 1]!;
  const { kernel, groups } = c.positionalConv;
  const specs: ParameterSpec[] = [...featureEncoderSpecs(p, c, { zeroConvBias: true }), ...layerNormSpecs(`${p}.layer_norm`, last)];
  if (c.projectFeatures) specs.push(...linear(`${p}.feature_projection`, d, last));
  specs.push(...weightNormConvSpecs(`${p}.encoder.pos_conv_embed.conv`, d, groups, kernel, positionalConvDraw(kernel, d)));
  const t = `${p}.encoder.encoder`;
  for (let i = 0; i < c.numLayers; i++) {
    const layer = `${t}.layer.${i}`;
    const self = `${layer}.attention.self`;
    specs.push(...linear(`${self}.query_proj`, d, d), ...linear(`${self}.key_proj`, d, d), ...linear(`${self}.value_proj`, d, d));
    if (c.relativeAttention && !c.shareAttKey) {
      if (c.positionAttention.includes("c2p")) specs.push(...linear(`${self}.pos_key_proj`, d, d));
      if (c.positionAttention.includes("p2c")) specs.push(...linear(`${self}.pos_query_proj`, d, d));
    }
    specs.push(
      ...linear(`${layer}.attention.output.dense`, d, d),
      ...layerNormSpecs(`${layer}.attention.output.LayerNorm`, d),
      ...linear(`${layer}.intermediate.dense`, c.intermediateSize, d),
      ...linear(`${layer}.output.dense`, d, c.intermediateSize),
      ...layerNormSpecs(`${layer}.output.LayerNorm`, d),
    );
  }
  if (c.relativeAttention) specs.push({ name: `${t}.rel_embeddings.weight`, shape: [2 * c.attentionSpan, d], role: "embedding", init: normalInit(config.number("initializer_range", 0.02)) });
  if (c.normRelativeEmbeddings) specs.push(...layerNormSpecs(`${t}.LayerNorm`, d));
  specs.push(...linear(`${p}.encoder.upsample.projection`, d * c.squeezeFactor, d));
  specs.push(...sequenceClassificationHeadSpecs(c, d, c.numLayers + 1, c.numLabels, linear));
  specs.push(...maskedSpecEmbedSpecs(p, d, readSewDTrainingSettings(config)));
  return specs;
}
