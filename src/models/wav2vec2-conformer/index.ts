// Wav2Vec2-Conformer (relative or rotary position embeddings) for sequence classification.
import type { AudioClassificationArchitecture, ParameterPlace } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";
import { WAV2VEC2_RECIPE, speechHeadParameters, speechParameterPlace, speechTrainingInputs, wav2vec2PreprocessorDefaults } from "../speech-encoder/index.js";
import { CONFORMER_PREFIX, buildConformer, readConformerTrainingSettings } from "./conformer-architecture.js";
import { readConformerConfig } from "./conformer-config.js";
import { conformerParameters } from "./conformer-parameters.js";

function conformerParameterPlace(config: ModelConfig, name: string): ParameterPlace {
  // encoder.layer_norm runs after the blocks (the "stable" layout).
  return speechParameterPlace(readConformerConfig(config), CONFORMER_PREFIX, name);
}

export const wav2vec2ConformerArchitecture: AudioClassificationArchitecture = Object.freeze<AudioClassificationArchitecture>({
  name: "Wav2Vec2-Conformer",
  modelTypes: Object.freeze(["wav2vec2-conformer"]),
  architectureClass: "Wav2Vec2ConformerForSequenceClassification",
  featureExtractorType: "Wav2Vec2FeatureExtractor",
  takesAttentionMask: true,
  trainingDefaults: WAV2VEC2_RECIPE,
  basePrefix: () => CONFORMER_PREFIX,
  build: buildConformer,
  parameters: conformerParameters,
  headParameters: speechHeadParameters,
  numLayers: (config: ModelConfig) => readConformerConfig(config).numLayers,
  parameterPlace: conformerParameterPlace,
  trainingInputs: (config, context) => speechTrainingInputs(readConformerConfig(config), readConformerTrainingSettings(config), context),
  hasFeatureEncoder: true,
  defaultPreprocessorConfig: wav2vec2PreprocessorDefaults,
});

export { CONFORMER_PREFIX, buildConformer } from "./conformer-architecture.js";
export { readConformerConfig, type ConformerConfig } from "./conformer-config.js";
export { conformerParameters } from "./conformer-parameters.js";
