// SEW-D (SEW with DeBERTa-v2's disentangled attention) for sequence classification.
import type { AudioClassificationArchitecture, ParameterPlace } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";
import { WAV2VEC2_RECIPE, speechHeadParameters, squeezePaddingSamples, speechTrainingInputs, wav2vec2PreprocessorDefaults } from "../speech-encoder/index.js";
import { SEW_D_PREFIX, buildSewD, readSewDTrainingSettings } from "./sew-d-architecture.js";
import { readSewDConfig } from "./sew-d-config.js";
import { sewDParameters } from "./sew-d-parameters.js";

const LAYER = new RegExp(`^${SEW_D_PREFIX}\\.encoder\\.encoder\\.layer\\.(\\d+)\\.`);

function sewDParameterPlace(_config: ModelConfig, name: string): ParameterPlace {
  if (!name.startsWith(`${SEW_D_PREFIX}.`)) return { part: "head" };
  if (name.startsWith(`${SEW_D_PREFIX}.feature_extractor.`)) return { part: "feature-encoder" };
  const layer = LAYER.exec(name);
  if (layer) return { part: "layer", layer: Number(layer[1]) };
  if (name.startsWith(`${SEW_D_PREFIX}.encoder.upsample.`)) return { part: "post-layers" };
  return { part: "embeddings" };
}

export const sewDArchitecture: AudioClassificationArchitecture = Object.freeze<AudioClassificationArchitecture>({
  name: "SEW-D",
  modelTypes: Object.freeze(["sew-d"]),
  architectureClass: "SEWDForSequenceClassification",
  featureExtractorType: "Wav2Vec2FeatureExtractor",
  takesAttentionMask: true,
  trainingDefaults: WAV2VEC2_RECIPE,
  basePrefix: () => SEW_D_PREFIX,
  build: buildSewD,
  parameters: sewDParameters,
  headParameters: speechHeadParameters,
  numLayers: (config: ModelConfig) => readSewDConfig(config).numLayers,
  parameterPlace: sewDParameterPlace,
  trainingInputs: (config, context) => {
    const c = readSewDConfig(config);
    return speechTrainingInputs(c, readSewDTrainingSettings(config), context, { extraSamples: squeezePaddingSamples(c.squeezeFactor, c.convStride) });
  },
  hasFeatureEncoder: true,
  defaultPreprocessorConfig: wav2vec2PreprocessorDefaults,
});

export { SEW_D_PREFIX, buildSewD, readSewDTrainingSettings } from "./sew-d-architecture.js";
export { readSewDConfig, type SewDConfig } from "./sew-d-config.js";
export { sewDParameters } from "./sew-d-parameters.js";
export { logBucketPosition, attentionRow, attentionRowTable } from "./position-buckets.js";
