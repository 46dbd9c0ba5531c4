/**
 * Parameter specs (Hugging Face names, shapes, `_init_weights` draws) of the shared
 * speech-encoder pieces, which each family composes into its full list:
 * - feature-encoder Conv1d: kaiming_normal_ (N(0, 2/fan_in)); a conv bias U(±1/√fan_in) unless
 *   the family zeroes it; LayerNorm / GroupNorm 1 / 0;
 * - feature projection: U(±1/√in) for weight and bias (or a plain Linear);
 * - positional conv, stored weight-normalised (`weight_g`, `weight_v`, dim 2): v gets the draw and
 *   g = ‖v‖ so the effective weight is the draw (in PyTorch the in-place init lands on the derived
 *   weight and is overwritten from g and v at the next forward; we give the intended one);
 * - transformer layers: Linear N(0, initializer_range²), bias zero; LayerNorm 1 / 0;
 * - head: layer_weights 1/(layers + 1), projector and classifier N(0, initializer_range²).
 */
import { type ParameterInit, type ParameterSpec, kaimingNormal, layerNormSpecs, linearSpecs, normalInit, symmetricUniform, zerosInit } from "../parameter-spec.js";
import type { ModelConfig } from "../model-config.js";
import { type ConvFeatureEncoderConfig, type SpeechEncoderConfig, positiveInt } from "./speech-encoder-config.js";

/** Linear specs with transformers' N(0, initializer_range²) weights and zero bias. */
export function normalLinear(config: ModelConfig): (name: string, out: number, inFeatures: number) => ParameterSpec[] {
  const std = config.number("initializer_range", 0.02);
  return (name, out, inFeatures) => linearSpecs(name, out, inFeatures, { weight: normalInit(std) });
}

/** `${p}.feature_extractor.conv_layers.N`; `zeroConvBias`: HuBERT initialises conv biases to zero. */
export function featureEncoderSpecs(p: string, config: ConvFeatureEncoderConfig, options: { zeroConvBias?: boolean } = {}): ParameterSpec[] {
  const specs: ParameterSpec[] = [];
  config.convDim.forEach((channels, i) => {
    const layer = `${p}.feature_extractor.conv_layers.${i}`;
    const inChannels = i === 0 ? 1 : config.convDim[i - 1]!;
    const fanIn = inChannels * config.convKernel[i]!;
    specs.push({ name: `${layer}.conv.weight`, shape: [channels, inChannels, config.convKernel[i]!], role: "conv", init: kaimingNormal(fanIn) });
    if (config.convBias) {
      const bias: ParameterInit = options.zeroConvBias ? zerosInit : symmetricUniform(Math.sqrt(1 / fanIn));
      specs.push({ name: `${layer}.conv.bias`, shape: [channels], role: "bias", init: bias });
    }
    if (config.featExtractNorm === "layer" || i === 0) specs.push(...layerNormSpecs(`${layer}.layer_norm`, channels));
  });
  return specs;
}

/** `${p}.feature_projection`: [LayerNorm →] Linear(conv_dim[-1] → hidden); U(±1/√in) unless `plainLinear`. */
export function featureProjectionSpecs(p: string, config: SpeechEncoderConfig, linear: ReturnType<typeof normalLinear>, options: { plainLinear?: boolean } = {}): ParameterSpec[] {
  const last = config.convDim[config.convDim.length - 1]!;
  const specs: ParameterSpec[] = config.featProjLayerNorm ? layerNormSpecs(`${p}.feature_projection.layer_norm`, last) : [];
  if (options.plainLinear) return [...specs, ...linear(`${p}.feature_projection.projection`, config.hiddenSize, last)];
  const uniform = symmetricUniform(Math.sqrt(1 / last));
  return [...specs, ...linearSpecs(`${p}.feature_projection.projection`, config.hiddenSize, last, { weight: uniform, biasInit: uniform })];
}

/** A weight-normalised grouped conv `${name}` (weight_g one magnitude per kernel tap, torch's dim=2). */
export function weightNormConvSpecs(name: string, channels: number, groups: number, kernel: number, draw: ParameterInit): ParameterSpec[] {
  return [
    { name: `${name}.weight_g`, shape: [1, 1, kernel], role: "norm-weight", init: { kind: "weight-norm-magnitude", of: `${name}.weight_v`, dim: 2 } },
    { name: `${name}.weight_v`, shape: [channels, channels / groups, kernel], role: "conv", init: draw },
    { name: `${name}.bias`, shape: [channels], role: "bias", init: zerosInit },
  ];
}

/** wav2vec2's positional-conv draw: N(0, (2/√(kernel·hidden))²). */
export function positionalConvDraw(kernel: number, hidden: number): ParameterInit {
  return normalInit(2 * Math.sqrt(1 / (kernel * hidden)));
}

/** One wav2vec2-style transformer layer `${layer}` (attention, LayerNorms, feed-forward, MMS adapter). */
export function transformerLayerSpecs(layer: string, config: SpeechEncoderConfig, linear: ReturnType<typeof normalLinear>, attentionExtras: ParameterSpec[] = []): ParameterSpec[] {
  const d = config.hiddenSize;
  const specs: ParameterSpec[] = [];
  for (const proj of ["q_proj", "k_proj", "v_proj", "out_proj"]) specs.push(...linear(`${layer}.attention.${proj}`, d, d));
  specs.push(
    ...attentionExtras,
    ...layerNormSpecs(`${layer}.layer_norm`, d),
    ...linear(`${layer}.feed_forward.intermediate_dense`, config.intermediateSize, d),
    ...linear(`${layer}.feed_forward.output_dense`, d, config.intermediateSize),
    ...layerNormSpecs(`${layer}.final_layer_norm`, d),
  );
  if (config.adapterAttnDim !== undefined) {
    specs.push(...layerNormSpecs(`${layer}.adapter_layer.norm`, d), ...linear(`${layer}.adapter_layer.linear_1`, config.adapterAttnDim, d), ...linear(`${layer}.adapter_layer.linear_2`, d, config.adapterAttnDim));
  }
  return specs;
}

/**
 * The *ForSequenceClassification head: layer_weights (with use_weighted_layer_sum; one per hidden
 * state, `hiddenStates` of them), projector, classifier (label-dependent).
 */
export function sequenceClassificationHeadSpecs(
  head: { useWeightedLayerSum: boolean; classifierProjSize: number },
  hiddenSize: number,
  hiddenStates: number,
  numLabels: number,
  linear: ReturnType<typeof normalLinear>,
): ParameterSpec[] {
  const specs: ParameterSpec[] = [];
  if (head.useWeightedLayerSum) specs.push({ name: "layer_weights", shape: [hiddenStates], role: "layer-weights", init: { kind: "fill", value: 1 / hiddenStates } });
  specs.push(...linear("projector", head.classifierProjSize, hiddenSize));
  specs.push(...linear("classifier", numLabels, head.classifierProjSize).map((s) => ({ ...s, labelDependent: true })));
  return specs;
}

/** SpecAugment's learned mask embedding, present when masking is configured. */
export function maskedSpecEmbedSpecs(p: string, hiddenSize: number, settings: { maskTimeProb: number; maskFeatureProb: number }): ParameterSpec[] {
  if (settings.maskTimeProb <= 0 && settings.maskFeatureProb <= 0) return [];
  return [{ name: `${p}.masked_spec_embed`, shape: [hiddenSize], role: "embedding", init: { kind: "uniform", low: 0, high: 1 } }];
}

/**
 * The head from the few keys it needs (hidden_size, num_hidden_layers, use_weighted_layer_sum,
 * classifier_proj_size, initializer_range), so a partial config can still be given a new head.
 */
export function speechHeadParameters(config: ModelConfig, numLabels: number): ParameterSpec[] {
  const head = { useWeightedLayerSum: config.bool("use_weighted_layer_sum", false), classifierProjSize: positiveInt(config, "classifier_proj_size", 256) };
  const hiddenStates = positiveInt(config, "num_hidden_layers", 12) + 1;
  return sequenceClassificationHeadSpecs(head, positiveInt(config, "hidden_size", 768), hiddenStates, numLabels, normalLinear(config));
}
