/**
 * Every parameter of a wav2vec2-family *ForSequenceClassification from its config, with the
 * family's `_init_weights`:
 * - Linear: N(0, initializer_range²), bias zero; LayerNorm / GroupNorm: 1 / 0;
 * - feature-encoder Conv1d: kaiming_normal_ (N(0, 2/fan_in)); a conv bias U(±1/√fan_in) (HuBERT: zero);
 * - feature projection: U(±1/√in) for weight and bias (HuBERT: a plain Linear);
 * - positional conv: N(0, (2/√(kernel·hidden))²) (HuBERT: kaiming_normal_), bias zero. The
 *   checkpoint stores it weight-normalised (`weight_g`, `weight_v`, dim 2): v gets that draw and
 *   g = ‖v‖ so the effective weight is the draw. (In PyTorch the in-place init lands on the
 *   derived weight and is overwritten from g and v at the next forward; we give the intended one.)
 *   Data2VecAudio's plain position convs: kaiming_normal_, bias zero;
 * - masked_spec_embed U(0, 1) when SpecAugment is configured (mask_time_prob or mask_feature_prob > 0);
 * - WavLM: gru_rel_pos_const ones, rel_attn_embed N(0, 1) (nn.Embedding's own init);
 * - layer_weights 1/(layers + 1); HuBERT's position batch norm: 1 / 0 and running statistics 0 / 1.
 */
import type { ModelConfig } from "../model-config.js";
import {
  type ParameterInit,
  type ParameterSpec,
  kaimingNormal,
  layerNormSpecs,
  linearSpecs,
  normalInit,
  onesInit,
  symmetricUniform,
  zerosInit,
} from "../parameter-spec.js";
import { readFamilyConfig, type Wav2Vec2Variant } from "./family-config.js";
import { readWav2Vec2TrainingSettings } from "./training-settings.js";

/** base_model_prefix of each *ForSequenceClassification. */
export const WAV2VEC2_FAMILY_PREFIX: Readonly<Record<Wav2Vec2Variant, string>> = { wav2vec2: "wav2vec2", hubert: "hubert", wavlm: "wavlm", "data2vec-audio": "data2vec_audio" };

function featureEncoderSpecs(p: string, config: ReturnType<typeof readFamilyConfig>): ParameterSpec[] {
  const specs: ParameterSpec[] = [];
  config.convDim.forEach((channels, i) => {
    const layer = `${p}.feature_extractor.conv_layers.${i}`;
    const inChannels = i === 0 ? 1 : config.convDim[i - 1]!;
    const fanIn = inChannels * config.convKernel[i]!;
    specs.push({ name: `${layer}.conv.weight`, shape: [channels, inChannels, config.convKernel[i]!], role: "conv", init: kaimingNormal(fanIn) });
    if (config.convBias) {
      const bias: ParameterInit = config.variant === "hubert" ? zerosInit : symmetricUniform(Math.sqrt(1 / fanIn));
      specs.push({ name: `${layer}.conv.bias`, shape: [channels], role: "bias", init: bias });
    }
    if (config.featExtractNorm === "layer" || i === 0) specs.push(...layerNormSpecs(`${layer}.layer_norm`, channels));
  });
  return specs;
}

function positionalConvSpecs(p: string, config: ReturnType<typeof readFamilyConfig>): ParameterSpec[] {
  const d = config.hiddenSize;
  const pos = `${p}.encoder.pos_conv_embed`;
  const spec = config.positionalConv;
  const shape = [d, d / spec.groups, spec.kernel];
  const kaiming = kaimingNormal((d / spec.groups) * spec.kernel);
  if (spec.kind === "layer-stack") {
    const specs: ParameterSpec[] = [];
    for (let i = 0; i < spec.layers; i++) {
      specs.push({ name: `${pos}.layers.${i}.conv.weight`, shape, role: "conv", init: kaiming }, { name: `${pos}.layers.${i}.conv.bias`, shape: [d], role: "bias", init: zerosInit });
    }
    return specs;
  }
  if (spec.kind === "batch-norm") {
    return [
      { name: `${pos}.batch_norm.weight`, shape: [d], role: "norm-weight", init: onesInit },
      { name: `${pos}.batch_norm.bias`, shape: [d], role: "norm-bias", init: zerosInit },
      // Buffers: our graph runs batch norm in inference form, so they are never trained.
      { name: `${pos}.batch_norm.running_mean`, shape: [d], role: "norm-bias", init: zerosInit, trainable: false },
      { name: `${pos}.batch_norm.running_var`, shape: [d], role: "norm-weight", init: onesInit, trainable: false },
      { name: `${pos}.batch_norm.num_batches_tracked`, shape: [], role: "buffer", init: zerosInit, trainable: false, dtype: "int64" },
      { name: `${pos}.conv.weight`, shape, role: "conv", init: kaiming },
      { name: `${pos}.conv.bias`, shape: [d], role: "bias", init: zerosInit },
    ];
  }
  const draw = config.variant === "hubert" ? kaiming : normalInit(2 * Math.sqrt(1 / (spec.kernel * d)));
  return [
    // torch's weight_norm(dim=2): one magnitude per kernel tap
    { name: `${pos}.conv.weight_g`, shape: [1, 1, spec.kernel], role: "norm-weight", init: { kind: "weight-norm-magnitude", of: `${pos}.conv.weight_v`, dim: 2 } },
    { name: `${pos}.conv.weight_v`, shape, role: "conv", init: draw },
    { name: `${pos}.conv.bias`, shape: [d], role: "bias", init: zerosInit },
  ];
}

/** Every parameter (and buffer) of the *ForSequenceClassification model `config` describes. */
export function wav2vec2FamilyParameters(config: ModelConfig, variant: Wav2Vec2Variant): ParameterSpec[] {
  const c = readFamilyConfig(config, variant);
  const p = WAV2VEC2_FAMILY_PREFIX[variant];
  const d = c.hiddenSize;
  const linear = (name: string, out: number, inFeatures: number): ParameterSpec[] =>
    linearSpecs(name, out, inFeatures, { weight: normalInit(config.number("initializer_range", 0.02)) });
  const specs: ParameterSpec[] = featureEncoderSpecs(p, c);
  const last = c.convDim[c.convDim.length - 1]!;
  if (c.featProjLayerNorm) specs.push(...layerNormSpecs(`${p}.feature_projection.layer_norm`, last));
  if (variant === "hubert") {
    specs.push(...linear(`${p}.feature_projection.projection`, d, last));
  } else {
    const uniform = symmetricUniform(Math.sqrt(1 / last));
    specs.push(...linearSpecs(`${p}.feature_projection.projection`, d, last, { weight: uniform, biasInit: uniform }));
  }
  specs.push(...positionalConvSpecs(p, c), ...layerNormSpecs(`${p}.encoder.layer_norm`, d));

  for (let i = 0; i < c.numLayers; i++) {
    const layer = `${p}.encoder.layers.${i}`;
    for (const proj of ["q_proj", "k_proj", "v_proj", "out_proj"]) specs.push(...linear(`${layer}.attention.${proj}`, d, d));
    if (variant === "wavlm") {
      specs.push({ name: `${layer}.attention.gru_rel_pos_const`, shape: [1, c.numHeads, 1, 1], role: "norm-weight", init: onesInit }, ...linear(`${layer}.attention.gru_rel_pos_linear`, 8, d / c.numHeads));
      if (i === 0) specs.push({ name: `${layer}.attention.rel_attn_embed.weight`, shape: [c.numBuckets, c.numHeads], role: "embedding", init: normalInit(1) });
    }
    specs.push(
      ...layerNormSpecs(`${layer}.layer_norm`, d),
      ...linear(`${layer}.feed_forward.intermediate_dense`, c.intermediateSize, d),
      ...linear(`${layer}.feed_forward.output_dense`, d, c.intermediateSize),
      ...layerNormSpecs(`${layer}.final_layer_norm`, d),
    );
    if (c.adapterAttnDim !== undefined) {
      specs.push(...layerNormSpecs(`${layer}.adapter_layer.norm`, d), ...linear(`${layer}.adapter_layer.linear_1`, c.adapterAttnDim, d), ...linear(`${layer}.adapter_layer.linear_2`, d, c.adapterAttnDim));
    }
  }
  if (c.useWeightedLayerSum) {
    const layers = c.numLayers + 1;
    specs.push({ name: "layer_weights", shape: [layers], role: "layer-weights", init: { kind: "fill", value: 1 / layers } });
  }
  specs.push(...linear("projector", c.classifierProjSize, d), ...linear("classifier", c.numLabels, c.classifierProjSize));
  // Last, so adding it kept the draws of every other parameter (the order within a file does not matter).
  const training = readWav2Vec2TrainingSettings(config, variant);
  if (training.maskTimeProb > 0 || training.maskFeatureProb > 0) {
    specs.push({ name: `${p}.masked_spec_embed`, shape: [d], role: "embedding", init: { kind: "uniform", low: 0, high: 1 } });
  }
  return specs;
}
