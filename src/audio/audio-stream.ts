/**
 * Audio as a stream of mono chunks at a chosen rate, for inputs too long to hold decoded: a WAV
 * file is read piece by piece (header first, then the samples, downmixed and resampled as they
 * come), MP3/FLAC/Ogg files are fed to their WASM codecs piece by piece (codec-stream.ts), ffmpeg
 * decodes through pipes, and anything else (bytes, URLs, other formats) is decoded whole and
 * then handed out in pieces. Whatever the route, the concatenated chunks equal
 * what `readAudio(input, { samplingRate, mono: true })` returns, bit for bit.
 */
import { InvalidArgumentError, describeValue } from "../errors.js";
import { type ReadAudioInput } from "./audio-source.js";
import { openCodecStream } from "./codec-stream.js";
import { toMono } from "./downmix.js";
import { streamWithFfmpeg } from "./ffmpeg-stream.js";
import { readAudio } from "./read-audio.js";
import { checkDecodedSamplingRate, checkSamplingRate } from "./sampling-rate.js";
import { StreamingResampler } from "./streaming-resampler.js";
import { openWavStream } from "./wav-stream.js";
import { nodeBuiltin } from "../util/node-builtin.js";

export interface AudioStreamOptions {
  /** Rate of the chunks. */
  samplingRate: number;
  /** "builtin" (default) or "ffmpeg" (Python's ffmpeg_read, streamed). */
  decoder?: "builtin" | "ffmpeg";
  /** For inputs that are decoded whole (not WAV files): the most bytes read (see readAudio). */
  maxBytes?: number;
  /** Input frames read per step of a WAV (default: one second of the source). */
  chunkFrames?: number;
  /** Encoded bytes fed to a WASM codec per step (default: adapted to the bitrate, a few seconds of audio). */
  codecPieceBytes?: number;
  signal?: AbortSignal;
}

export interface AudioStream extends AsyncIterable<Float32Array> {
  /** Rate of the chunks. */
  readonly samplingRate: number;
  /** Rate of the source (the file's own; equal to samplingRate for ffmpeg, which resamples). */
  readonly sourceSamplingRate: number;
  /** Duration of the source in seconds, when its header says (WAV) or it was decoded whole. */
  readonly durationSeconds: number | undefined;
  /** How the input is read: "wav" or "codec" (MP3/FLAC/Ogg) incrementally, "ffmpeg" (through pipes) or "whole". */
  readonly route: "wav" | "codec" | "ffmpeg" | "whole";
}

function isLocalPath(input: ReadAudioInput): input is string {
  return typeof input === "string" && input !== "" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(input);
}

async function isRegularFile(path: string): Promise<boolean> {
  const { stat } = await nodeBuiltin<typeof import("node:fs/promises")>("fs/promises", "reading a file path");
  return stat(path).then((info) => info.isFile(), () => false);
}

/** Opens `input` as a stream of mono chunks at `options.samplingRate`. */
export async function openAudioStream(input: ReadAudioInput, options: AudioStreamOptions): Promise<AudioStream> {
  const rate = checkSamplingRate(options.samplingRate, "openAudioStream option samplingRate");
  const decoder = options.decoder ?? "builtin";
  if (decoder !== "builtin" && decoder !== "ffmpeg") {
    throw new InvalidArgumentError(`openAudioStream option decoder must be "builtin" or "ffmpeg", got ${describeValue(decoder)}`);
  }
  // Only regular files are streamed; FIFOs, devices and paths that cannot be read take the
  // whole-input route, which applies the byte cap and idle timeout and names the problem.
  const streamable = isLocalPath(input) && (await isRegularFile(input));
  if (streamable && decoder === "ffmpeg") {
    const stream = streamWithFfmpeg(input as string, rate, options.signal);
    return { samplingRate: rate, sourceSamplingRate: rate, durationSeconds: undefined, route: "ffmpeg", [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator]() };
  }
  if (streamable && decoder === "builtin") {
    const path = input as string;
    const wav = await openWavStream(path, options.chunkFrames);
    if (wav !== undefined) {
      try {
        checkDecodedSamplingRate(wav.layout.sampleRate, path);
      } catch (error) {
        await wav.close();
        throw error;
      }
      const sourceRate = wav.layout.sampleRate;
      return {
        samplingRate: rate,
        sourceSamplingRate: sourceRate,
        durationSeconds: wav.frames / sourceRate,
        route: "wav",
        async *[Symbol.asyncIterator]() {
          const resampler = new StreamingResampler(sourceRate, rate);
          try {
            for await (const channels of wav.chunks()) {
              options.signal?.throwIfAborted();
              const mono = channels.length === 1 ? channels[0]! : toMono({ samplingRate: sourceRate, channels, ...(wav.positions && { channelPositions: wav.positions }) });
              const out = resampler.push(mono);
              if (out.length > 0) yield out;
            }
            const rest = resampler.end();
            if (rest.length > 0) yield rest;
          } finally {
            await wav.close();
          }
        },
      };
    }
    const codec = await openCodecStream(path, options.codecPieceBytes);
    if (codec !== undefined) {
      try {
        checkDecodedSamplingRate(codec.samplingRate, path);
      } catch (error) {
        await codec.close();
        throw error;
      }
      const sourceRate = codec.samplingRate;
      return {
        samplingRate: rate,
        sourceSamplingRate: sourceRate,
        durationSeconds: undefined,
        route: "codec",
        async *[Symbol.asyncIterator]() {
          const resampler = new StreamingResampler(sourceRate, rate);
          for await (const { channels, channelPositions } of codec.pieces()) {
            options.signal?.throwIfAborted();
            const mono = channels.length === 1 ? channels[0]! : toMono({ samplingRate: sourceRate, channels, ...(channelPositions && { channelPositions }) });
            const out = resampler.push(mono);
            if (out.length > 0) yield out;
          }
          const rest = resampler.end();
          if (rest.length > 0) yield rest;
        },
      };
    }
  }
  const audio = await readAudio(input, {
    samplingRate: rate,
    decoder,
    mono: true,
    ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
    ...(options.signal !== undefined && { signal: options.signal }),
  });
  const samples = audio.channels[0]!;
  const step = options.chunkFrames ?? rate;
  return {
    samplingRate: rate,
    sourceSamplingRate: rate,
    durationSeconds: samples.length / rate,
    route: "whole",
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < samples.length; i += step) yield samples.subarray(i, Math.min(samples.length, i + step));
    },
  };
}
