/**
 * Normalises what a user hands to an audio pipeline into one mono Float32Array at the model's
 * sampling rate, with the semantics of transformers' AudioClassificationPipeline.preprocess:
 *
 * - a path or http(s) URL, or the bytes of a file: decoded (built-in decoders, or `decoder:
 *   "ffmpeg"` = Python's `ffmpeg_read`), downmixed as ffmpeg's `-ac 1`, resampled to the model rate;
 * - a Float32Array / Float64Array / number[]: taken as already at the model rate (no check);
 * - `{ samplingRate | sampling_rate, raw | array }`: resampled with torchaudio's algorithm when
 *   the rate differs (`path` is ignored, as in Python);
 * - 2-D data (several channels) is refused, as Python refuses it.
 */
import { DEFAULT_MAX_INPUT_BYTES, MAX_SAMPLING_RATE, MIN_SAMPLING_RATE, openAudioStream, readAudio, resample } from "../audio/index.js";
import { describeValue } from "../errors.js";
import { PipelineInputError } from "./errors.js";

/** Most bytes read from one input: no more than one model run may take (maxMemoryMB), at most 2 GiB − 1. */
export function maxInputBytes(maxMemoryBytes: number | undefined): number {
  return Math.min(DEFAULT_MAX_INPUT_BYTES, Math.floor(maxMemoryBytes ?? DEFAULT_MAX_INPUT_BYTES));
}

export type RawAudio = Float32Array | Float64Array | readonly number[];

export interface SampledAudio {
  samplingRate?: number;
  sampling_rate?: number;
  raw?: RawAudio;
  array?: RawAudio;
  path?: string;
}

export type PipelineAudioInput = string | URL | Uint8Array | ArrayBuffer | Blob | Float32Array | Float64Array | readonly number[] | SampledAudio;

export interface AudioInputOptions {
  /** "builtin" (default: native WAV, WASM codecs) or "ffmpeg" (Python's exact path). */
  decoder?: "builtin" | "ffmpeg";
  /** The Python class named in error messages (default "AudioClassificationPipeline"). */
  pipelineName?: string;
  /** The most bytes read from one file, FIFO, device or download (see readAudio). */
  maxBytes?: number;
}

function toFloat32(raw: unknown, what: string, pipelineName: string): Float32Array {
  if (raw instanceof Float32Array) return finiteSamples(raw, what);
  if (raw instanceof Float64Array) return finiteSamples(Float32Array.from(raw), what);
  if (Array.isArray(raw)) {
    if (raw.some((v) => Array.isArray(v) || ArrayBuffer.isView(v))) {
      throw new PipelineInputError(`We expect a single channel audio input for ${pipelineName}: ${what} is 2-D (${raw.length} rows). Downmix it first, e.g. with toMono().`);
    }
    if (raw.some((v) => typeof v !== "number")) {
      throw new PipelineInputError(`${what} must hold numbers (audio samples), got ${describeValue(raw.find((v) => typeof v !== "number"))}`);
    }
    return finiteSamples(Float32Array.from(raw as number[]), what);
  }
  throw new PipelineInputError(
    `${what} must be a Float32Array, Float64Array or number[] of samples, got ${describeValue(raw)}`,
  );
}

/** NaN or ±Infinity in the audio would only come back as NaN scores: refuse it up front. */
function finiteSamples(samples: Float32Array, what: string): Float32Array {
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i]!)) {
      throw new PipelineInputError(`${what} holds ${samples[i]} at sample ${i}; audio samples must be finite numbers (nominally within [-1, 1])`);
    }
  }
  return samples;
}

function isSampledAudio(input: unknown): input is SampledAudio {
  return typeof input === "object" && input !== null && !ArrayBuffer.isView(input) && !(input instanceof ArrayBuffer) && !(input instanceof URL) && !(input instanceof Blob) && !Array.isArray(input);
}

/** Loads one pipeline input as mono float32 at `samplingRate`. */
export async function loadAudioInput(input: PipelineAudioInput, samplingRate: number, options: AudioInputOptions = {}): Promise<Float32Array> {
  const pipelineName = options.pipelineName ?? "AudioClassificationPipeline";
  if (typeof input === "string" || input instanceof URL || input instanceof Uint8Array || input instanceof ArrayBuffer || input instanceof Blob) {
    // ffmpeg downmixes and resamples itself (-ac 1 -ar SR), exactly as Python's ffmpeg_read; the
    // built-in path downmixes as ffmpeg does, then resamples one channel with torchaudio's kernel.
    const audio = await readAudio(input, { samplingRate, decoder: options.decoder, mono: true, ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }) });
    return audio.channels[0]!;
  }
  if (input instanceof Float32Array || input instanceof Float64Array || Array.isArray(input)) {
    return toFloat32(input, "the audio array", pipelineName);
  }
  if (isSampledAudio(input)) {
    const rate = input.samplingRate ?? input.sampling_rate;
    const raw = input.raw ?? input.array;
    if (rate === undefined || raw === undefined) {
      // Python's wording, extended with our camelCase key.
      throw new PipelineInputError(
        `When passing a dictionary to ${pipelineName}, the dict` +
          ' needs to contain a "raw" (or "array") key ' +
          'containing the audio samples and a "sampling_rate" (or "samplingRate") key, containing the sampling rate ' +
          `associated with that array; got ${describeValue(input)}`,
      );
    }
    if (typeof rate !== "number" || !Number.isInteger(rate) || rate < MIN_SAMPLING_RATE || rate > MAX_SAMPLING_RATE) {
      throw new PipelineInputError(
        `sampling_rate must be a whole number of Hz within ${MIN_SAMPLING_RATE} – ${MAX_SAMPLING_RATE}, got ${describeValue(rate)}`,
      );
    }
    const samples = toFloat32(raw, input.raw !== undefined ? "raw" : "array", pipelineName);
    return rate === samplingRate ? samples : resample(samples, rate, samplingRate);
  }
  throw new PipelineInputError(
    `cannot use ${describeValue(input)} as audio: pass a file path, an http(s) URL, the bytes of a file, ` +
      `a Float32Array at the model's sampling rate, or { samplingRate, raw }`,
  );
}

/**
 * One pipeline input as a stream of mono chunks at `samplingRate`, for classifying it in
 * windows: files (and ffmpeg) are read piece by piece; arrays and bytes, already in memory, are
 * normalised whole as loadAudioInput does. The chunks concatenated equal loadAudioInput's result.
 */
export async function openAudioInputStream(input: PipelineAudioInput, samplingRate: number, options: AudioInputOptions = {}): Promise<AsyncIterable<Float32Array>> {
  if (typeof input === "string" || input instanceof URL || input instanceof Uint8Array || input instanceof ArrayBuffer || input instanceof Blob) {
    const source = input instanceof Blob ? new Uint8Array(await input.arrayBuffer()) : input;
    return openAudioStream(source, {
      samplingRate,
      ...(options.decoder !== undefined && { decoder: options.decoder }),
      ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
    });
  }
  const samples = await loadAudioInput(input, samplingRate, options);
  return (async function* () {
    yield samples;
  })();
}
