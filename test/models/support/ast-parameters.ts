/**
 * Every parameter of an ASTForAudioClassification with its Hugging Face name and shape, from a
 * config.json object (transformers' ASTConfig defaults apply to missing keys).
 */
import { ModelConfig } from "../../../src/models/index.js";
import { readAstSettings } from "../../../src/models/ast/index.js";
import { type ParameterSpec, layerNormSpecs, linearSpecs } from "./random-checkpoint.js";

export function astParameters(config: Readonly<Record<string, unknown>>): ParameterSpec[] {
  const s = readAstSettings(new ModelConfig(config));
  const h = s.hiddenSize;
  const base = "audio_spectrogram_transformer";
  const specs: ParameterSpec[] = [
    { name: `${base}.embeddings.cls_token`, shape: [1, 1, h], role: "embedding" },
    { name: `${base}.embeddings.distillation_token`, shape: [1, 1, h], role: "embedding" },
    { name: `${base}.embeddings.position_embeddings`, shape: [1, s.frequencyPatches * s.timePatches + 2, h], role: "embedding" },
    { name: `${base}.embeddings.patch_embeddings.projection.weight`, shape: [h, 1, s.patchSize, s.patchSize], role: "conv" },
    { name: `${base}.embeddings.patch_embeddings.projection.bias`, shape: [h], role: "bias" },
  ];
  for (let i = 0; i < s.numLayers; i++) {
    const layer = `${base}.encoder.layer.${i}`;
    for (const p of ["query", "key", "value"]) specs.push(...linearSpecs(`${layer}.attention.attention.${p}`, h, h, s.qkvBias));
    specs.push(
      ...linearSpecs(`${layer}.attention.output.dense`, h, h),
      ...linearSpecs(`${layer}.intermediate.dense`, s.intermediateSize, h),
      ...linearSpecs(`${layer}.output.dense`, h, s.intermediateSize),
      ...layerNormSpecs(`${layer}.layernorm_before`, h),
      ...layerNormSpecs(`${layer}.layernorm_after`, h),
    );
  }
  specs.push(...layerNormSpecs(`${base}.layernorm`, h), ...layerNormSpecs("classifier.layernorm", h), ...linearSpecs("classifier.dense", s.numLabels, h));
  return specs;
}
