/**
 * readAudio: from a path, URL or bytes to decoded channels, at the file's rate or resampled.
 */
import { InvalidArgumentError, describeValue } from "../errors.js";
import { readAudioSource, type ReadAudioInput } from "./audio-source.js";
import { decodeAudio } from "./decode-audio.js";
import { decodeWithFfmpeg } from "./ffmpeg.js";
import { toMono } from "./downmix.js";
import { resample } from "./resample.js";
import { checkSamplingRate } from "./sampling-rate.js";
import type { AudioData } from "./types.js";
import { decodeWithWebAudio, webAudioCanTry } from "./web-audio-decode.js";

export interface ReadAudioOptions {
  /**
   * Rate to return. The built-in decoder resamples each channel with `resample` (torchaudio's
   * sinc resampler); decoder "ffmpeg" lets ffmpeg resample, as Python's ffmpeg_read does.
   * Default: the file's own rate.
   */
  samplingRate?: number;
  /**
   * "builtin" (default): WAV natively, MP3/FLAC/Ogg Vorbis/Opus through WASM codecs.
   * "ffmpeg": run ffmpeg as transformers' ffmpeg_read does — any format ffmpeg reads, always one
   * channel, bit-identical to the Python pipeline's input.
   */
  decoder?: "builtin" | "ffmpeg";
  /** Downmix to one channel as ffmpeg's `-ac 1` does (before resampling, which is then done once). */
  mono?: boolean;
  /** ffmpeg binary for decoder "ffmpeg" (default $AUDIOCLASS_FFMPEG, else "ffmpeg" on PATH). */
  ffmpegPath?: string;
  /** Cancels a download or an ffmpeg run. */
  signal?: AbortSignal;
  /**
   * The most bytes read from one input (default 2 GiB − 1): larger files, and FIFOs, devices or
   * downloads that go on past it, are an AudioSourceError instead of an ever-growing buffer.
   * The built-in decoders hold at most as many bytes of float32 samples (AudioTooLargeError).
   */
  maxBytes?: number;
  /** Give up on a FIFO, device or download that sends nothing for this long (ms; default 30 000). */
  readTimeoutMs?: number;
}

/**
 * Reads and decodes audio. `input` is a file path, an http(s) or file: URL (string or URL), or
 * the encoded bytes (Buffer/Uint8Array/ArrayBuffer/Blob). The format is recognised from the
 * bytes, never from a file extension.
 *
 * Throws AudioSourceError (unreadable path, HTTP error), AudioDecodeError (empty, truncated,
 * corrupt), UnsupportedAudioFormatError (e.g. M4A without decoder "ffmpeg"),
 * FfmpegNotFoundError / FfmpegDecodeError, InvalidArgumentError (bad options).
 */
export async function readAudio(input: ReadAudioInput, options: ReadAudioOptions = {}): Promise<AudioData> {
  const { decoder = "builtin", mono = false } = options;
  const target = options.samplingRate === undefined ? undefined : checkSamplingRate(options.samplingRate, "readAudio option samplingRate");
  if (decoder !== "builtin" && decoder !== "ffmpeg") {
    throw new InvalidArgumentError(`readAudio option decoder must be "builtin" or "ffmpeg", got ${describeValue(decoder)}`);
  }
  if (typeof mono !== "boolean") throw new InvalidArgumentError(`readAudio option mono must be true or false, got ${describeValue(mono)}`);

  const { bytes, name } = await readAudioSource(input, {
    ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
    ...(options.readTimeoutMs !== undefined && { idleTimeoutMs: options.readTimeoutMs }),
    ...(options.signal !== undefined && { signal: options.signal }),
  });
  if (decoder === "ffmpeg") {
    return decodeWithFfmpeg(bytes, {
      name,
      ...(target !== undefined && { samplingRate: target }),
      ...(options.ffmpegPath !== undefined && { ffmpegPath: options.ffmpegPath }),
      ...(options.signal !== undefined && { signal: options.signal }),
    });
  }

  let decoded: AudioData;
  try {
    decoded = await decodeAudio(bytes, { name });
  } catch (error) {
    // In browsers, formats the built-in decoders do not read go to the browser's decoder.
    if (!webAudioCanTry(error, bytes)) throw error;
    decoded = await decodeWithWebAudio(bytes, name, target, error);
  }
  const channels = mono ? [toMono(decoded)] : decoded.channels;
  const positions = mono ? undefined : decoded.channelPositions;
  if (target === undefined || target === decoded.samplingRate) return audioData(decoded.samplingRate, channels, positions);
  return audioData(target, channels.map((channel) => resample(channel, decoded.samplingRate, target)), positions);
}

function audioData(samplingRate: number, channels: Float32Array[], positions: AudioData["channelPositions"]): AudioData {
  return positions === undefined ? { samplingRate, channels } : { samplingRate, channels, channelPositions: positions };
}
