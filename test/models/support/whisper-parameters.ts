/**
 * Every parameter of a WhisperForAudioClassification with its Hugging Face name and shape, from a
 * config.json object (transformers' WhisperConfig defaults apply to missing keys).
 */
import { ModelConfig } from "../../../src/models/index.js";
import { readWhisperSettings } from "../../../src/models/whisper/index.js";
import { type ParameterSpec, layerNormSpecs, linearSpecs } from "./random-checkpoint.js";

export function whisperParameters(config: Readonly<Record<string, unknown>>): ParameterSpec[] {
  const s = readWhisperSettings(new ModelConfig(config));
  const d = s.dModel;
  const specs: ParameterSpec[] = [
    { name: "encoder.conv1.weight", shape: [d, s.numMelBins, 3], role: "conv" },
    { name: "encoder.conv1.bias", shape: [d], role: "bias" },
    { name: "encoder.conv2.weight", shape: [d, d, 3], role: "conv" },
    { name: "encoder.conv2.bias", shape: [d], role: "bias" },
    // transformers initialises these as sinusoids; any values exercise the graph the same way
    { name: "encoder.embed_positions.weight", shape: [s.maxSourcePositions, d], role: "embedding" },
  ];
  for (let i = 0; i < s.encoderLayers; i++) {
    const layer = `encoder.layers.${i}`;
    specs.push(
      ...linearSpecs(`${layer}.self_attn.q_proj`, d, d),
      ...linearSpecs(`${layer}.self_attn.k_proj`, d, d, false),
      ...linearSpecs(`${layer}.self_attn.v_proj`, d, d),
      ...linearSpecs(`${layer}.self_attn.out_proj`, d, d),
      ...layerNormSpecs(`${layer}.self_attn_layer_norm`, d),
      ...linearSpecs(`${layer}.fc1`, s.encoderFfnDim, d),
      ...linearSpecs(`${layer}.fc2`, d, s.encoderFfnDim),
      ...layerNormSpecs(`${layer}.final_layer_norm`, d),
    );
  }
  specs.push(...layerNormSpecs("encoder.layer_norm", d));
  if (s.useWeightedLayerSum) specs.push({ name: "layer_weights", shape: [s.encoderLayers + 1], role: "layer-weights" });
  specs.push(...linearSpecs("projector", s.classifierProjSize, d), ...linearSpecs("classifier", s.numLabels, s.classifierProjSize));
  return specs;
}
