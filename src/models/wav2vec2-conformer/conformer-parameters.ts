/**
 * Every parameter of a Wav2Vec2ConformerForSequenceClassification, with its `_init_weights`:
 * wav2vec2's for the feature encoder, projection, the (unused) positional conv and Linears;
 * LayerNorm and BatchNorm 1 / 0 (running statistics 0 / 1); the convolution module's convs
 * kaiming_normal_; pos_bias_u / pos_bias_v xavier_uniform_ (U(±√(6 / (heads + head_size)))); the
 * relative projection linear_pos N(0, initializer_range²) without bias; rotary models keep the
 * inv_freq buffer.
 */
import type { ModelConfig } from "../model-config.js";
import { type ParameterSpec, kaimingNormal, layerNormSpecs, onesInit, symmetricUniform, zerosInit } from "../parameter-spec.js";
import {
  featureEncoderSpecs,
  featureProjectionSpecs,
  maskedSpecEmbedSpecs,
  normalLinear,
  positionalConvDraw,
  sequenceClassificationHeadSpecs,
  weightNormConvSpecs,
} from "../speech-encoder/index.js";
import { CONFORMER_PREFIX, readConformerTrainingSettings } from "./conformer-architecture.js";
import { readConformerConfig } from "./conformer-config.js";
import { rotaryInverseFrequencies } from "./conformer-positions.js";

export function conformerParameters(config: ModelConfig): ParameterSpec[] {
  const c = readConformerConfig(config);
  const p = CONFORMER_PREFIX;
  const linear = normalLinear(config);
  const d = c.hiddenSize;
  const heads = c.numHeads;
  const head = d / heads;
  const { kernel, groups } = c.positionalConv;
  const specs: ParameterSpec[] = [
    ...featureEncoderSpecs(p, c),
    ...featureProjectionSpecs(p, c, linear),
    ...weightNormConvSpecs(`${p}.encoder.pos_conv_embed.conv`, d, groups, kernel, positionalConvDraw(kernel, d)),
    ...layerNormSpecs(`${p}.encoder.layer_norm`, d),
  ];
  if (c.positionEmbeddings === "rotary") {
    // A persistent buffer transformers saves: computed, never trained.
    const values = Array.from(rotaryInverseFrequencies(head, c.rotaryBase));
    specs.push({ name: `${p}.encoder.embed_positions.inv_freq`, shape: [head / 2], role: "buffer", init: { kind: "values", values }, trainable: false });
  }
  for (let i = 0; i < c.numLayers; i++) {
    const layer = `${p}.encoder.layers.${i}`;
    const ffn = (name: string): ParameterSpec[] => conformerFeedForwardSpecs(layer, name, d, c.intermediateSize, linear);
    specs.push(...ffn("ffn1"), ...conformerSelfAttentionSpecs(layer, d, heads, c.positionEmbeddings, linear));
    const conv = `${layer}.conv_module`;
    specs.push(
      ...layerNormSpecs(`${conv}.layer_norm`, d),
      { name: `${conv}.pointwise_conv1.weight`, shape: [2 * d, d, 1], role: "conv", init: kaimingNormal(d) },
      { name: `${conv}.depthwise_conv.weight`, shape: [d, 1, c.depthwiseKernel], role: "conv", init: kaimingNormal(c.depthwiseKernel) },
      { name: `${conv}.batch_norm.weight`, shape: [d], role: "norm-weight", init: onesInit },
      { name: `${conv}.batch_norm.bias`, shape: [d], role: "norm-bias", init: zerosInit },
      // Buffers: the graph runs batch norm with its running statistics, which are never trained.
      { name: `${conv}.batch_norm.running_mean`, shape: [d], role: "norm-bias", init: zerosInit, trainable: false },
      { name: `${conv}.batch_norm.running_var`, shape: [d], role: "norm-weight", init: onesInit, trainable: false },
      { name: `${conv}.batch_norm.num_batches_tracked`, shape: [], role: "buffer", init: zerosInit, trainable: false, dtype: "int64" },
      { name: `${conv}.pointwise_conv2.weight`, shape: [d, d, 1], role: "conv", init: kaimingNormal(d) },
      ...ffn("ffn2"),
      ...layerNormSpecs(`${layer}.final_layer_norm`, d),
    );
  }
  specs.push(...sequenceClassificationHeadSpecs(c, d, c.numLayers + 1, c.numLabels, linear));
  specs.push(...maskedSpecEmbedSpecs(p, d, readConformerTrainingSettings(config)));
  return specs;
}

type LinearSpecs = ReturnType<typeof normalLinear>;

/** Feed-forward module `name` (ffn1, ffn2) of a Conformer layer: its LayerNorm, then two Linears. */
export function conformerFeedForwardSpecs(layer: string, name: string, d: number, intermediate: number, linear: LinearSpecs): ParameterSpec[] {
  return [
    ...layerNormSpecs(`${layer}.${name}_layer_norm`, d),
    ...linear(`${layer}.${name}.intermediate_dense`, intermediate, d),
    ...linear(`${layer}.${name}.output_dense`, d, intermediate),
  ];
}

/**
 * Self-attention of a Conformer layer (Wav2Vec2-Conformer, Wav2Vec2-BERT): its LayerNorm, the
 * q/k/v/out projections and, for "relative" positions, linear_pos and pos_bias_u/v
 * (xavier_uniform_). Other position kinds add their own parameters after these.
 */
export function conformerSelfAttentionSpecs(layer: string, d: number, heads: number, positionEmbeddings: string | undefined, linear: LinearSpecs): ParameterSpec[] {
  const specs = layerNormSpecs(`${layer}.self_attn_layer_norm`, d);
  for (const proj of ["linear_q", "linear_k", "linear_v", "linear_out"]) specs.push(...linear(`${layer}.self_attn.${proj}`, d, d));
  if (positionEmbeddings === "relative") {
    const head = d / heads;
    const xavier = symmetricUniform(Math.sqrt(6 / (heads + head)));
    specs.push(
      ...linear(`${layer}.self_attn.linear_pos`, d, d).filter((s) => s.name.endsWith(".weight")),
      { name: `${layer}.self_attn.pos_bias_u`, shape: [heads, head], role: "embedding", init: xavier },
      { name: `${layer}.self_attn.pos_bias_v`, shape: [heads, head], role: "embedding", init: xavier },
    );
  }
  return specs;
}
