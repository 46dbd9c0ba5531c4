/**
 * Every parameter of an ASTForAudioClassification from its config, with ASTPreTrainedModel's
 * `_init_weights`: Linear and Conv2d weights trunc_normal_(std = initializer_range, bounds ±2),
 * biases zero, LayerNorms 1 / 0, CLS and distillation tokens and position embeddings zero.
 */
import type { ModelConfig } from "../model-config.js";
import { type ParameterSpec, layerNormSpecs, linearSpecs, normalInit, zerosInit } from "../parameter-spec.js";
import { AST_BASE_PREFIX } from "./ast-architecture.js";
import { readAstSettings } from "./ast-config.js";

export function astParameters(config: ModelConfig): ParameterSpec[] {
  const s = readAstSettings(config);
  const h = s.hiddenSize;
  const weight = normalInit(config.number("initializer_range", 0.02), [-2, 2]);
  const linear = (name: string, out: number, inFeatures: number, bias = true): ParameterSpec[] => linearSpecs(name, out, inFeatures, { bias, weight });
  const base = AST_BASE_PREFIX;
  const specs: ParameterSpec[] = [
    { name: `${base}.embeddings.cls_token`, shape: [1, 1, h], role: "embedding", init: zerosInit },
    { name: `${base}.embeddings.distillation_token`, shape: [1, 1, h], role: "embedding", init: zerosInit },
    { name: `${base}.embeddings.position_embeddings`, shape: [1, s.frequencyPatches * s.timePatches + 2, h], role: "embedding", init: zerosInit },
    { name: `${base}.embeddings.patch_embeddings.projection.weight`, shape: [h, 1, s.patchSize, s.patchSize], role: "conv", init: weight },
    { name: `${base}.embeddings.patch_embeddings.projection.bias`, shape: [h], role: "bias", init: zerosInit },
  ];
  for (let i = 0; i < s.numLayers; i++) {
    const layer = `${base}.encoder.layer.${i}`;
    for (const p of ["query", "key", "value"]) specs.push(...linear(`${layer}.attention.attention.${p}`, h, h, s.qkvBias));
    specs.push(
      ...linear(`${layer}.attention.output.dense`, h, h),
      ...linear(`${layer}.intermediate.dense`, s.intermediateSize, h),
      ...linear(`${layer}.output.dense`, h, s.intermediateSize),
      ...layerNormSpecs(`${layer}.layernorm_before`, h),
      ...layerNormSpecs(`${layer}.layernorm_after`, h),
    );
  }
  specs.push(...layerNormSpecs(`${base}.layernorm`, h), ...astHeadParameters(config, s.numLabels));
  return specs;
}

/** ASTMLPHead: LayerNorm + Linear to the labels (the label-dependent part). */
export function astHeadParameters(config: ModelConfig, numLabels: number): ParameterSpec[] {
  // Only the keys the head needs, so a partial config can still be given a new head.
  const h = config.int("hidden_size", 768);
  const weight = normalInit(config.number("initializer_range", 0.02), [-2, 2]);
  return [...layerNormSpecs("classifier.layernorm", h), ...linearSpecs("classifier.dense", numLabels, h, { weight }).map((spec) => ({ ...spec, labelDependent: true }))];
}
