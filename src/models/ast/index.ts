// The Audio Spectrogram Transformer family (ASTForAudioClassification).
import type { AudioClassificationArchitecture, ParameterPlace } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";
import { AST_BASE_PREFIX, buildAst } from "./ast-architecture.js";
import { readAstSettings } from "./ast-config.js";
import { checkAstInputs } from "./ast-inputs.js";
import { astHeadParameters, astParameters } from "./ast-parameters.js";
import { astDefaultPreprocessorConfig } from "./ast-preprocessor.js";

const LAYER = new RegExp(`^${AST_BASE_PREFIX}\\.encoder\\.layer\\.(\\d+)\\.`);

function astParameterPlace(_config: ModelConfig, name: string): ParameterPlace {
  const layer = LAYER.exec(name);
  if (layer) return { part: "layer", layer: Number(layer[1]) };
  if (name.startsWith(`${AST_BASE_PREFIX}.embeddings.`)) return { part: "embeddings" };
  if (name.startsWith(`${AST_BASE_PREFIX}.layernorm.`)) return { part: "post-layers" };
  return { part: "head" };
}

/** The architecture, plus an input check that gives clear errors before ONNX Runtime sees the features. */
export const astArchitecture: AudioClassificationArchitecture & { readonly checkInputs: typeof checkAstInputs } = {
  name: "Audio Spectrogram Transformer",
  modelTypes: ["audio-spectrogram-transformer"],
  architectureClass: "ASTForAudioClassification",
  featureExtractorType: "ASTFeatureExtractor",
  // Every clip is padded or cut to max_length frames: there is nothing to mask.
  takesAttentionMask: false,
  // The AST fine-tuning tutorial's recipe.
  trainingDefaults: { learningRate: 5e-5, batchSize: 8, gradientAccumulationSteps: 1, epochs: 10, freeze: "none" },
  defaultPreprocessorConfig: astDefaultPreprocessorConfig,
  headParameters: astHeadParameters,
  basePrefix: () => AST_BASE_PREFIX,
  build: buildAst,
  parameters: astParameters,
  numLayers: (config) => readAstSettings(config).numLayers,
  parameterPlace: astParameterPlace,
  // AST has no training-only inputs: its dropout is all that changes in training.
  trainingInputs: () => ({}),
  hasFeatureEncoder: false,
  /** Throws a ModelInputError when features do not fit the model (call before session.run). */
  checkInputs: checkAstInputs,
};

export { AST_BASE_PREFIX, buildAst } from "./ast-architecture.js";
export { readAstSettings, patchCount, type AstSettings } from "./ast-config.js";
export { checkAstInputs } from "./ast-inputs.js";
export { astParameters, astHeadParameters } from "./ast-parameters.js";
export { astDefaultPreprocessorConfig } from "./ast-preprocessor.js";
