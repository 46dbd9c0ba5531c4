/**
 * Every parameter of a Wav2Vec2BertForSequenceClassification, with its `_init_weights`: Linear
 * N(0, initializer_range²) with zero bias, the feature projection U(±1/√in), LayerNorm 1 / 0, the
 * convolution module's convs kaiming_normal_, relative pos_bias_u / pos_bias_v xavier_uniform_,
 * distance embeddings N(0, 1) (nn.Embedding's own init).
 */
import type { ModelConfig } from "../model-config.js";
import { type ParameterSpec, kaimingNormal, layerNormSpecs, linearSpecs, normalInit, symmetricUniform } from "../parameter-spec.js";
import { maskedSpecEmbedSpecs, normalLinear, sequenceClassificationHeadSpecs } from "../speech-encoder/index.js";
import { W2V_BERT_PREFIX, readW2vBertTrainingSettings } from "./w2v-bert-architecture.js";
import { readW2vBertConfig } from "./w2v-bert-config.js";
import { conformerFeedForwardSpecs, conformerSelfAttentionSpecs } from "../wav2vec2-conformer/conformer-parameters.js";

export function w2vBertParameters(config: ModelConfig): ParameterSpec[] {
  const c = readW2vBertConfig(config);
  const p = W2V_BERT_PREFIX;
  const linear = normalLinear(config);
  const d = c.hiddenSize;
  const heads = c.numHeads;
  const head = d / heads;
  const uniform = symmetricUniform(Math.sqrt(1 / c.inputDim));
  const specs: ParameterSpec[] = [
    ...layerNormSpecs(`${p}.feature_projection.layer_norm`, c.inputDim),
    ...linearSpecs(`${p}.feature_projection.projection`, d, c.inputDim, { weight: uniform, biasInit: uniform }),
  ];
  for (let i = 0; i < c.numLayers; i++) {
    const layer = `${p}.encoder.layers.${i}`;
    const ffn = (name: string): ParameterSpec[] => conformerFeedForwardSpecs(layer, name, d, c.intermediateSize, linear);
    specs.push(...ffn("ffn1"), ...conformerSelfAttentionSpecs(layer, d, heads, c.positionEmbeddings, linear));
    if (c.positionEmbeddings === "relative_key") {
      specs.push({ name: `${layer}.self_attn.distance_embedding.weight`, shape: [c.leftMaxPositions + c.rightMaxPositions + 1, head], role: "embedding", init: normalInit(1) });
    }
    const conv = `${layer}.conv_module`;
    specs.push(
      ...layerNormSpecs(`${conv}.layer_norm`, d),
      { name: `${conv}.pointwise_conv1.weight`, shape: [2 * d, d, 1], role: "conv", init: kaimingNormal(d) },
      { name: `${conv}.depthwise_conv.weight`, shape: [d, 1, c.depthwiseKernel], role: "conv", init: kaimingNormal(c.depthwiseKernel) },
      ...layerNormSpecs(`${conv}.depthwise_layer_norm`, d),
      { name: `${conv}.pointwise_conv2.weight`, shape: [d, d, 1], role: "conv", init: kaimingNormal(d) },
      ...ffn("ffn2"),
      ...layerNormSpecs(`${layer}.final_layer_norm`, d),
    );
  }
  specs.push(...sequenceClassificationHeadSpecs(c, d, c.numLayers + 1, c.numLabels, linear));
  specs.push(...maskedSpecEmbedSpecs(p, d, readW2vBertTrainingSettings(config)));
  return specs;
}
