/**
 * Every parameter of a wav2vec2-family *ForSequenceClassification from its config, with the
 * family's `_init_weights` (the shared pieces in speech-encoder/parameter-specs.ts), plus what
 * only some variants have:
 * - HuBERT: feature-encoder conv biases zero, a plain Linear feature projection, kaiming_normal_
 *   positional conv, or `conv_pos_batch_norm` (1 / 0 and running statistics 0 / 1);
 * - Data2VecAudio's plain position convs: kaiming_normal_, bias zero;
 * - WavLM: gru_rel_pos_const ones, rel_attn_embed N(0, 1) (nn.Embedding's own init);
 * - masked_spec_embed U(0, 1) when SpecAugment is configured (mask_time_prob or mask_feature_prob > 0).
 */
import type { ModelConfig } from "../model-config.js";
import { type ParameterSpec, kaimingNormal, layerNormSpecs, normalInit, onesInit, zerosInit } from "../parameter-spec.js";
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
import { type Wav2Vec2FamilyConfig, readFamilyConfig, type Wav2Vec2Variant } from "./family-config.js";

/** The head alone, for numLabels labels. */
export const wav2vec2FamilyHeadParameters = speechHeadParameters;

/** base_model_prefix of each *ForSequenceClassification. */
export const WAV2VEC2_FAMILY_PREFIX: Readonly<Record<Wav2Vec2Variant, string>> = { wav2vec2: "wav2vec2", hubert: "hubert", wavlm: "wavlm", "data2vec-audio": "data2vec_audio" };

function positionalConvSpecs(p: string, config: Wav2Vec2FamilyConfig): ParameterSpec[] {
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
  const draw = config.variant === "hubert" ? kaiming : positionalConvDraw(spec.kernel, d);
  return weightNormConvSpecs(`${pos}.conv`, d, spec.groups, spec.kernel, draw);
}

/** Every parameter (and buffer) of the *ForSequenceClassification model `config` describes. */
export function wav2vec2FamilyParameters(config: ModelConfig, variant: Wav2Vec2Variant): ParameterSpec[] {
  const c = readFamilyConfig(config, variant);
  const p = WAV2VEC2_FAMILY_PREFIX[variant];
  const linear = normalLinear(config);
  const specs: ParameterSpec[] = [
    ...featureEncoderSpecs(p, c, { zeroConvBias: variant === "hubert" }),
    ...featureProjectionSpecs(p, c, linear, { plainLinear: variant === "hubert" }),
    ...positionalConvSpecs(p, c),
    ...layerNormSpecs(`${p}.encoder.layer_norm`, c.hiddenSize),
  ];
  for (let i = 0; i < c.numLayers; i++) {
    const layer = `${p}.encoder.layers.${i}`;
    const wavlm: ParameterSpec[] = [];
    if (variant === "wavlm") {
      wavlm.push({ name: `${layer}.attention.gru_rel_pos_const`, shape: [1, c.numHeads, 1, 1], role: "norm-weight", init: onesInit }, ...linear(`${layer}.attention.gru_rel_pos_linear`, 8, c.hiddenSize / c.numHeads));
      if (i === 0) wavlm.push({ name: `${layer}.attention.rel_attn_embed.weight`, shape: [c.numBuckets, c.numHeads], role: "embedding", init: normalInit(1) });
    }
    specs.push(...transformerLayerSpecs(layer, c, linear, wavlm));
  }
  specs.push(...sequenceClassificationHeadSpecs(c, c.hiddenSize, c.numLayers + 1, c.numLabels, linear));
  // Last, so adding it kept the draws of every other parameter (the order within a file does not matter).
  specs.push(...maskedSpecEmbedSpecs(p, c.hiddenSize, readSpeechTrainingSettings(config, { maskTimeOverValidFrames: true })));
  return specs;
}
