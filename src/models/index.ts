// models/: architectures built from Hugging Face checkpoints, chosen by config.json's model_type.
import "./node-platform.js";
export { AutoModelForAudioClassification, FROM_PRETRAINED_OPTION_KEYS, type FromPretrainedOptions } from "./auto-model.js";
export { AudioClassificationModel, type LoadReport } from "./audio-classification-model.js";
export { ModelConfig } from "./model-config.js";
export type { AudioClassificationArchitecture, ArchitectureBuildOptions, FamilyTrainingDefaults, ParameterPlace, TrainingInputContext } from "./architecture.js";
export {
  type ParameterSpec,
  type ParameterRole,
  type ParameterInit,
  linearSpecs,
  layerNormSpecs,
  normalInit,
  kaimingNormal,
  symmetricUniform,
  zerosInit,
  onesInit,
} from "./parameter-spec.js";
export { initializeParameters, sinusoids, weightNormMagnitude, type SeededRandom } from "./initialize-parameters.js";
export { LAYER_DROP_INPUT, layerDropFeed } from "./layer-drop.js";
export { architectureFor, familyForModelType, supportedModelTypes, featureExtractorTypeFor, audioClassificationFamilies } from "./registry.js";
export { AutoFeatureExtractor } from "./auto-feature-extractor.js";
export { loadAudioClassificationModel, buildGraph, DEFAULT_FUSED_ATTENTION, type ModelSessionOptions } from "./load-model.js";
export { ModelConfigError, UnsupportedModelError, ModelInputError, ModelFileNotFoundError } from "./errors.js";
export * from "./clap/index.js";
export { type ModelDType, MODEL_DTYPES, UnknownModelDTypeError, weightPrecisionOf } from "../runtime/index.js";
export { WEIGHT_PRECISION_POLICY_VERSION, keepsFloatWeights } from "./weight-precision-policy.js";
export { CONVERTED_WEIGHTS_FORMAT, type ConvertedWeightsCacheUse } from "./converted-weights-cache.js";
