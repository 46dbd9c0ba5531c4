// SEW (Squeezed and Efficient Wav2vec) for sequence classification: SEWForSequenceClassification.
import type { AudioClassificationArchitecture, ParameterPlace } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";
import { WAV2VEC2_RECIPE, speechHeadParameters, squeezePaddingSamples, speechParameterPlace, speechTrainingInputs, wav2vec2PreprocessorDefaults } from "../speech-encoder/index.js";
import { SEW_PREFIX, buildSew, readSewTrainingSettings } from "./sew-architecture.js";
import { readSewConfig } from "./sew-config.js";
import { sewParameters } from "./sew-parameters.js";

function sewParameterPlace(config: ModelConfig, name: string): ParameterPlace {
  // The upsampling runs after the last layer; everything else is placed as in wav2vec2.
  if (name.startsWith(`${SEW_PREFIX}.encoder.upsample.`)) return { part: "post-layers" };
  return speechParameterPlace(readSewConfig(config), SEW_PREFIX, name);
}

export const sewArchitecture: AudioClassificationArchitecture = Object.freeze<AudioClassificationArchitecture>({
  name: "SEW",
  modelTypes: Object.freeze(["sew"]),
  architectureClass: "SEWForSequenceClassification",
  featureExtractorType: "Wav2Vec2FeatureExtractor",
  takesAttentionMask: true,
  trainingDefaults: WAV2VEC2_RECIPE,
  basePrefix: () => SEW_PREFIX,
  build: buildSew,
  parameters: sewParameters,
  headParameters: speechHeadParameters,
  numLayers: (config: ModelConfig) => readSewConfig(config).numLayers,
  parameterPlace: sewParameterPlace,
  trainingInputs: (config, context) => {
    const c = readSewConfig(config);
    return speechTrainingInputs(c, readSewTrainingSettings(config), context, { extraSamples: squeezePaddingSamples(c.squeezeFactor, c.convStride) });
  },
  hasFeatureEncoder: true,
  defaultPreprocessorConfig: wav2vec2PreprocessorDefaults,
});

export { SEW_PREFIX, buildSew, readSewTrainingSettings } from "./sew-architecture.js";
export { readSewConfig, readSewEncoderParts, type SewConfig, SEW_CONV_DIM, SEW_CONV_KERNEL, SEW_CONV_STRIDE } from "./sew-config.js";
export { sewParameters } from "./sew-parameters.js";
