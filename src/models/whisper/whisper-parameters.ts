/**
 * Every parameter of a WhisperForAudioClassification from its config, with
 * WhisperPreTrainedModel's `_init_weights`: Linear and Conv1d weights N(0, init_std²), biases
 * zero, LayerNorms 1 / 0 (torch's defaults), layer weights 1/(layers + 1), and embed_positions
 * the fixed sinusoids — which transformers excludes from training (requires_grad False), so
 * the spec is marked untrainable.
 */
import type { ModelConfig } from "../model-config.js";
import { type ParameterSpec, layerNormSpecs, linearSpecs, normalInit, zerosInit } from "../parameter-spec.js";
import { readWhisperSettings } from "./whisper-config.js";

export function whisperParameters(config: ModelConfig): ParameterSpec[] {
  const s = readWhisperSettings(config);
  const d = s.dModel;
  const weight = normalInit(config.number("init_std", 0.02));
  const linear = (name: string, out: number, inFeatures: number, bias = true): ParameterSpec[] => linearSpecs(name, out, inFeatures, { bias, weight });
  const specs: ParameterSpec[] = [
    { name: "encoder.conv1.weight", shape: [d, s.numMelBins, 3], role: "conv", init: weight },
    { name: "encoder.conv1.bias", shape: [d], role: "bias", init: zerosInit },
    { name: "encoder.conv2.weight", shape: [d, d, 3], role: "conv", init: weight },
    { name: "encoder.conv2.bias", shape: [d], role: "bias", init: zerosInit },
    { name: "encoder.embed_positions.weight", shape: [s.maxSourcePositions, d], role: "embedding", init: { kind: "sinusoids" }, trainable: false },
  ];
  for (let i = 0; i < s.encoderLayers; i++) {
    const layer = `encoder.layers.${i}`;
    specs.push(
      ...linear(`${layer}.self_attn.q_proj`, d, d),
      ...linear(`${layer}.self_attn.k_proj`, d, d, false),
      ...linear(`${layer}.self_attn.v_proj`, d, d),
      ...linear(`${layer}.self_attn.out_proj`, d, d),
      ...layerNormSpecs(`${layer}.self_attn_layer_norm`, d),
      ...linear(`${layer}.fc1`, s.encoderFfnDim, d),
      ...linear(`${layer}.fc2`, d, s.encoderFfnDim),
      ...layerNormSpecs(`${layer}.final_layer_norm`, d),
    );
  }
  specs.push(...layerNormSpecs("encoder.layer_norm", d), ...whisperHeadParameters(config, s.numLabels));
  return specs;
}

/** layer_weights (use_weighted_layer_sum), projector d_model → classifier_proj_size, classifier → labels. */
export function whisperHeadParameters(config: ModelConfig, numLabels: number): ParameterSpec[] {
  // Only the keys the head needs, so a partial config can still be given a new head.
  const s = { useWeightedLayerSum: config.bool("use_weighted_layer_sum", false), encoderLayers: config.int("encoder_layers", 4), classifierProjSize: config.int("classifier_proj_size", 256), dModel: config.int("d_model", 384) };
  const weight = normalInit(config.number("init_std", 0.02));
  const specs: ParameterSpec[] = [];
  if (s.useWeightedLayerSum) {
    const layers = s.encoderLayers + 1;
    specs.push({ name: "layer_weights", shape: [layers], role: "layer-weights", init: { kind: "fill", value: 1 / layers } });
  }
  specs.push(...linearSpecs("projector", s.classifierProjSize, s.dModel, { weight }));
  specs.push(...linearSpecs("classifier", numLabels, s.classifierProjSize, { weight }).map((spec) => ({ ...spec, labelDependent: true })));
  return specs;
}
