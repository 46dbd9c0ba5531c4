// The Whisper family (WhisperForAudioClassification: the Whisper encoder with a classification head).
import type { AudioClassificationArchitecture, ParameterPlace } from "../architecture.js";
import { LAYER_DROP_INPUT, layerDropFeed } from "../layer-drop.js";
import type { ModelConfig } from "../model-config.js";
import type { Tensor } from "../../tensor.js";
import { WHISPER_ENCODER_PREFIX, buildWhisper, readWhisperTrainingSettings } from "./whisper-architecture.js";
import { readWhisperSettings } from "./whisper-config.js";
import { checkWhisperInputs } from "./whisper-inputs.js";
import { whisperHeadParameters, whisperParameters } from "./whisper-parameters.js";
import { whisperDefaultPreprocessorConfig } from "./whisper-preprocessor.js";

const LAYER = /^encoder\.layers\.(\d+)\./;

function whisperParameterPlace(_config: ModelConfig, name: string): ParameterPlace {
  const layer = LAYER.exec(name);
  if (layer) return { part: "layer", layer: Number(layer[1]) };
  if (name.startsWith("encoder.layer_norm.")) return { part: "post-layers" };
  if (name.startsWith("encoder.")) return { part: "embeddings" };
  return { part: "head" };
}

/** The architecture, plus an input check that gives clear errors before ONNX Runtime sees the features. */
export const whisperArchitecture: AudioClassificationArchitecture & { readonly checkInputs: typeof checkWhisperInputs } = {
  name: "Whisper (audio classification)",
  modelTypes: ["whisper"],
  architectureClass: "WhisperForAudioClassification",
  featureExtractorType: "WhisperFeatureExtractor",
  // Every clip is padded or cut to the encoder's fixed window: there is nothing to mask.
  takesAttentionMask: false,
  trainingDefaults: { learningRate: 3e-5, batchSize: 8, gradientAccumulationSteps: 1, epochs: 5, freeze: "none" },
  defaultPreprocessorConfig: whisperDefaultPreprocessorConfig,
  headParameters: whisperHeadParameters,
  basePrefix: () => WHISPER_ENCODER_PREFIX,
  build: buildWhisper,
  parameters: whisperParameters,
  numLayers: (config) => readWhisperSettings(config).encoderLayers,
  parameterPlace: whisperParameterPlace,
  trainingInputs(config, context): Record<string, Tensor> {
    const layerDrop = readWhisperTrainingSettings(config).layerDrop;
    if (layerDrop === 0) return {};
    return { [LAYER_DROP_INPUT]: layerDropFeed(readWhisperSettings(config).encoderLayers, layerDrop, context.random) };
  },
  hasFeatureEncoder: false,
  /** Throws a ModelInputError when features do not fit the model (call before session.run). */
  checkInputs: checkWhisperInputs,
};

export { WHISPER_ENCODER_PREFIX, buildWhisper, readWhisperTrainingSettings } from "./whisper-architecture.js";
export { readWhisperSettings, WHISPER_FRAMES_PER_POSITION, type WhisperSettings } from "./whisper-config.js";
export { whisperEncoder, type WhisperEncoderOutput, type WhisperTrainingSettings } from "./whisper-encoder.js";
export { checkWhisperInputs } from "./whisper-inputs.js";
export { whisperParameters, whisperHeadParameters } from "./whisper-parameters.js";
export { whisperDefaultPreprocessorConfig } from "./whisper-preprocessor.js";
