// pipelines/: the user-facing tasks.
import "../models/node-platform.js";
export { pipeline, bundledDefaultModel, SUPPORTED_TASKS, DEFAULT_ZERO_SHOT_MODEL, type Task } from "./pipeline.js";
export {
  createZeroShotAudioClassificationPipeline,
  type ZeroShotAudioClassificationPipeline,
  type ZeroShotAudioClassificationOptions,
  type ZeroShotCallOptions,
  type AudioEmbeddingOptions,
} from "./zero-shot-audio-classification.js";
export { DEFAULT_HYPOTHESIS_TEMPLATE, hypothesisFormatter, parseCandidateLabels } from "./zero-shot-hypothesis.js";
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
export { PipelineInputError, PipelineOptionError, NonFiniteOutputError } from "./errors.js";
export type { Segment, Timeline, TimelineEvent } from "./timeline.js";
export { timelineEvents } from "./timeline.js";
export type { TimelineRequest, AudioCallOptions, StreamOptions, StreamSegment } from "./audio-pipeline.js";
export { pcmChunks, type PcmFormat, type PcmSource } from "./pcm-stream.js";
export { slideWindows, type AudioWindow } from "./audio-windows.js";
export { timelineSvg, type TimelineDrawing } from "./timeline-svg.js";
