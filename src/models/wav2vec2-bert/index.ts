// Wav2Vec2-BERT for sequence classification (Wav2Vec2BertForSequenceClassification), fed by
// SeamlessM4TFeatureExtractor's stacked fbank frames.
import type { AudioClassificationArchitecture, ParameterPlace, TrainingInputContext } from "../architecture.js";
import { LAYER_DROP_INPUT, layerDropFeed } from "../layer-drop.js";
import type { ModelConfig } from "../model-config.js";
import { specAugmentFeeds, speechHeadParameters } from "../speech-encoder/index.js";
import type { Tensor } from "../../tensor.js";
import { W2V_BERT_PREFIX, buildW2vBert, readW2vBertTrainingSettings } from "./w2v-bert-architecture.js";
import { readW2vBertConfig } from "./w2v-bert-config.js";
import { w2vBertParameters } from "./w2v-bert-parameters.js";

const LAYER = new RegExp(`^${W2V_BERT_PREFIX}\\.encoder\\.layers\\.(\\d+)\\.`);

function w2vBertParameterPlace(_config: ModelConfig, name: string): ParameterPlace {
  if (!name.startsWith(`${W2V_BERT_PREFIX}.`)) return { part: "head" };
  const layer = LAYER.exec(name);
  return layer ? { part: "layer", layer: Number(layer[1]) } : { part: "embeddings" };
}

/** SpecAugment masks over the stacked frames (valid lengths from the attention mask) and LayerDrop gates. */
function w2vBertTrainingInputs(config: ModelConfig, context: TrainingInputContext): Record<string, Tensor> {
  const c = readW2vBertConfig(config);
  const settings = readW2vBertTrainingSettings(config);
  const feeds: Record<string, Tensor> = {};
  const features = context.feeds["input_features"];
  if (settings.applySpecAugment && (settings.maskTimeProb > 0 || settings.maskFeatureProb > 0) && features !== undefined) {
    const [batch, frames] = features.dims as [number, number];
    const mask = context.feeds["attention_mask"];
    const validFrames = Array.from({ length: batch }, (_, b) => {
      if (mask === undefined) return frames;
      let n = 0;
      for (let t = 0; t < frames; t++) n += Number(mask.data[b * frames + t]);
      return n;
    });
    Object.assign(feeds, specAugmentFeeds(settings, { batch, frames, hfFrames: frames, hidden: c.hiddenSize, validFrames }, context.random));
  }
  if (settings.layerDrop > 0) feeds[LAYER_DROP_INPUT] = layerDropFeed(c.numLayers, settings.layerDrop, context.random);
  return feeds;
}

export const wav2vec2BertArchitecture: AudioClassificationArchitecture = Object.freeze<AudioClassificationArchitecture>({
  name: "Wav2Vec2-BERT",
  modelTypes: Object.freeze(["wav2vec2-bert"]),
  architectureClass: "Wav2Vec2BertForSequenceClassification",
  featureExtractorType: "SeamlessM4TFeatureExtractor",
  takesAttentionMask: true,
  // run_audio_classification's recipe; there is no convolutional feature encoder to freeze.
  trainingDefaults: { learningRate: 3e-5, batchSize: 32, gradientAccumulationSteps: 4, epochs: 5, freeze: "none", maxDurationSeconds: 20 },
  basePrefix: () => W2V_BERT_PREFIX,
  build: buildW2vBert,
  parameters: w2vBertParameters,
  headParameters: speechHeadParameters,
  numLayers: (config: ModelConfig) => readW2vBertConfig(config).numLayers,
  parameterPlace: w2vBertParameterPlace,
  trainingInputs: w2vBertTrainingInputs,
  hasFeatureEncoder: false,
  defaultPreprocessorConfig: (config: ModelConfig) => {
    // SeamlessM4TFeatureExtractor's defaults; pairs of 80-bin frames make the 160 inputs.
    const c = readW2vBertConfig(config);
    return {
      feature_extractor_type: "SeamlessM4TFeatureExtractor",
      feature_size: c.inputDim / 2,
      num_mel_bins: c.inputDim / 2,
      padding_side: "right",
      padding_value: 0.0,
      return_attention_mask: true,
      sampling_rate: 16000,
      stride: 2,
    };
  },
});

export { W2V_BERT_PREFIX, buildW2vBert, readW2vBertTrainingSettings } from "./w2v-bert-architecture.js";
export { readW2vBertConfig, type W2vBertConfig } from "./w2v-bert-config.js";
export { w2vBertParameters } from "./w2v-bert-parameters.js";
