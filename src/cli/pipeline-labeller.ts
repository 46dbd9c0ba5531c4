/**
 * A pipeline (audio classification or zero-shot) as the FileLabeller the CLI runs over files.
 * With `workers`, inputs are prepared in worker threads (audio classification: decode, resample,
 * per-clip features) while the model runs here.
 */
import type { AudioCallOptions } from "../pipelines/audio-pipeline.js";
import { AudioClassificationPipeline } from "../pipelines/audio-classification.js";
import { InputWorkerPool } from "../pipelines/input-worker-pool.js";
import type { ZeroShotAudioClassificationPipelineImpl } from "../pipelines/zero-shot-audio-classification.js";
import type { FileLabeller } from "./label-files.js";

export interface WindowOptions {
  window?: number;
  hop?: number;
  threshold?: number;
}

type AnyPipeline = AudioClassificationPipeline | ZeroShotAudioClassificationPipelineImpl;

export function pipelineLabeller(pipeline: AnyPipeline, call: AudioCallOptions & Record<string, unknown>, windows: WindowOptions, workers = 0): FileLabeller {
  const windowCall = { ...call, ...windows };
  const p = pipeline as AudioClassificationPipeline; // the members used below are the base's, unless noted
  if (pipeline instanceof AudioClassificationPipeline) {
    const pool = workers > 0 ? new InputWorkerPool(workers, pipeline.featureExtractor, pipeline.prepareOptions()) : undefined;
    return {
      prepare: (input) => (pool ? pool.prepare(input) : pipeline.prepare(input)),
      label: (clips) => pipeline.classifyPrepared(clips, call),
      bucketByLength: !pipeline.featureExtractor.perExample,
      prefetch: workers * 4,
      ...common(),
      dispose: async () => {
        await pool?.close();
        await pipeline.dispose();
      },
    };
  }
  return {
    prepare: async (input) => {
      const waveform = await p.loadAudio(input);
      return { samples: waveform.length, waveform };
    },
    label: (clips) => p.classifyEach(clips.map((c) => c.waveform!), call as never),
    bucketByLength: false,
    prefetch: 0,
    ...common(),
    dispose: () => p.dispose(),
  };

  function common() {
    return {
      windows: (input: string | Uint8Array) => p.segments(input, windowCall as never),
      events: (segments: Parameters<FileLabeller["events"]>[0]) => p.eventsOf(segments as never, windowCall as never),
      samplingRate: p.samplingRate,
      inputSeconds: p.inputSeconds,
      maxInputBytes: p.maxInputBytes,
    };
  }
}
