/**
 * From a dataset file to the mono waveform a feature extractor takes: decode, downmix (as
 * ffmpeg's -ac 1 does), resample to the extractor's rate (torchaudio's sinc), and optionally
 * crop to a maximum duration — from the start, the centre, or a random offset (a cheap
 * augmentation for long clips, drawn from the example's Rng).
 */
import { readAudio } from "../../audio/read-audio.js";
import { describeValue } from "../../errors.js";
import { TrainingDataError } from "../errors.js";
import type { Rng } from "../random.js";

export type CropMode = "start" | "center" | "random";

export interface WaveformOptions {
  /** Target rate in Hz (the feature extractor's). */
  samplingRate: number;
  /** Longer audio is cut to this many seconds. Default: no limit. */
  maxDurationSeconds?: number;
  /** Where to cut: "start" (default), "center" or "random". */
  crop?: CropMode;
}

export function checkWaveformOptions(options: WaveformOptions): void {
  if (!Number.isInteger(options.samplingRate) || options.samplingRate <= 0) {
    throw new TrainingDataError(`samplingRate must be a whole positive number of Hz, got ${describeValue(options.samplingRate)}`);
  }
  const max = options.maxDurationSeconds;
  if (max !== undefined && !(typeof max === "number" && Number.isFinite(max) && max > 0)) {
    throw new TrainingDataError(`maxDurationSeconds must be a positive number of seconds, got ${describeValue(max)}`);
  }
  if (options.crop !== undefined && !["start", "center", "random"].includes(options.crop)) {
    throw new TrainingDataError(`crop must be "start", "center" or "random", got ${describeValue(options.crop)}`);
  }
}

/** The samples to keep from `length` under the options: [start, start + count). */
export function cropWindow(length: number, options: WaveformOptions, rng: Rng | undefined): { start: number; count: number } {
  if (options.maxDurationSeconds === undefined) return { start: 0, count: length };
  const limit = Math.max(1, Math.round(options.maxDurationSeconds * options.samplingRate));
  if (length <= limit) return { start: 0, count: length };
  const slack = length - limit;
  const mode = options.crop ?? "start";
  if (mode === "start") return { start: 0, count: limit };
  if (mode === "center") return { start: Math.floor(slack / 2), count: limit };
  if (rng === undefined) throw new TrainingDataError('crop "random" needs a random generator');
  return { start: rng.integer(0, slack), count: limit };
}

/** Decoded, mono, resampled and cropped audio of `path`. Errors name the file. */
export async function loadWaveform(path: string, options: WaveformOptions, rng?: Rng): Promise<Float32Array> {
  let samples: Float32Array;
  try {
    const audio = await readAudio(path, { samplingRate: options.samplingRate, mono: true });
    samples = audio.channels[0]!;
  } catch (cause) {
    throw new TrainingDataError(`cannot load ${path}: ${(cause as Error).message}`, { cause });
  }
  if (samples.length === 0) throw new TrainingDataError(`${path} holds no audio samples; remove it from the dataset`);
  const { start, count } = cropWindow(samples.length, options, rng);
  return start === 0 && count === samples.length ? samples : samples.slice(start, start + count);
}
