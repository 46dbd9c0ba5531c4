// pipelines/: the user-facing tasks.
export { pipeline, bundledDefaultModel, SUPPORTED_TASKS, type Task } from "./pipeline.js";
export {
  AudioClassificationPipeline,
  createAudioClassificationPipeline,
  callablePipeline,
  type AudioClassifier,
  type AudioClassificationCallOptions,
  type AudioClassificationPipelineOptions,
} from "./audio-classification.js";
export { loadAudioInput, type PipelineAudioInput, type SampledAudio, type RawAudio, type AudioInputOptions } from "./audio-input.js";
export { FUNCTIONS_TO_APPLY, applyFunction, topKIndices, labelScores, type FunctionToApply, type LabelScore } from "./classification-scores.js";
export { PipelineInputError, PipelineOptionError } from "./errors.js";
