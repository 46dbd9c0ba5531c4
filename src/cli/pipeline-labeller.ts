/** A pipeline (audio classification or zero-shot) as the FileLabeller the CLI runs over files. */
import type { AudioCallOptions } from "../pipelines/audio-pipeline.js";
import type { AudioClassificationPipeline } from "../pipelines/audio-classification.js";
import type { ZeroShotAudioClassificationPipelineImpl } from "../pipelines/zero-shot-audio-classification.js";
import type { FileLabeller } from "./label-files.js";

export interface WindowOptions {
  window?: number;
  hop?: number;
  threshold?: number;
}

type AnyPipeline = AudioClassificationPipeline | ZeroShotAudioClassificationPipelineImpl;

export function pipelineLabeller<P extends AnyPipeline>(pipeline: P, call: AudioCallOptions & Record<string, unknown>, windows: WindowOptions): FileLabeller {
  const windowCall = { ...call, ...windows };
  const p = pipeline as AudioClassificationPipeline; // the members used here are the base's
  return {
    loadAudio: (input) => p.loadAudio(input),
    label: (waveforms) => p.classifyEach(waveforms, call as never),
    windows: (input) => p.segments(input, windowCall as never),
    events: (segments) => p.eventsOf(segments, windowCall as never),
    samplingRate: p.samplingRate,
    inputSeconds: p.inputSeconds,
    maxInputBytes: p.maxInputBytes,
    dispose: () => p.dispose(),
  };
}
