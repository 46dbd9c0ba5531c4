/**
 * Errors of the audio layer. Every message names the input (a path, a URL or a description of
 * the bytes) and says what would work.
 */
import { AudioclassError } from "../errors.js";

/** The bytes could not be decoded: empty, truncated, corrupt, or samples that are not finite. */
export class AudioDecodeError extends AudioclassError {
  /** The input as named in the message (path, URL or e.g. "a 1024-byte Uint8Array"). */
  readonly input: string;

  constructor(input: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? "AUDIO_DECODE", message, options);
    this.input = input;
  }
}

/** A file that decodes but declares something audioclass refuses, e.g. a sampling rate of 1 Hz. */
export class AudioFormatError extends AudioDecodeError {
  constructor(input: string, message: string) {
    super(input, message, { code: "AUDIO_FORMAT" });
  }
}

/**
 * Audio whose decoded samples would pass the bound of one decode (a long or extremely compressed
 * file: 14 MB of silent Opus is 12 hours, 8 GB of samples). Streaming it in windows decodes it
 * piece by piece instead.
 */
export class AudioTooLargeError extends AudioDecodeError {
  /** The bound, in bytes of float32 samples (all channels). */
  readonly maxDecodedBytes: number;

  constructor(input: string, message: string, maxDecodedBytes: number) {
    super(input, message, { code: "AUDIO_TOO_LARGE" });
    this.maxDecodedBytes = maxDecodedBytes;
  }
}

/** A recognisable format the built-in decoders do not handle (M4A, WebM, AIFF, MP2, …). */
export class UnsupportedAudioFormatError extends AudioDecodeError {
  /** Short name of the detected format, e.g. "MP4/M4A", or "unknown". */
  readonly format: string;

  constructor(input: string, format: string, message: string) {
    super(input, message, { code: "AUDIO_UNSUPPORTED_FORMAT" });
    this.format = format;
  }
}

/** The input could not be read: missing file, a directory, an HTTP error, a network failure. */
export class AudioSourceError extends AudioclassError {
  readonly input: string;
  /** HTTP status for URL inputs that got an error response. */
  readonly status: number | undefined;

  constructor(input: string, message: string, options?: { cause?: unknown; status?: number }) {
    super("AUDIO_SOURCE", message, options);
    this.input = input;
    this.status = options?.status;
  }
}

/** The ffmpeg binary could not be started (not installed, not on PATH, not executable). */
export class FfmpegNotFoundError extends AudioclassError {
  /** The binary that was tried. */
  readonly ffmpegPath: string;

  constructor(ffmpegPath: string, message: string, options?: { cause?: unknown }) {
    super("FFMPEG_NOT_FOUND", message, options);
    this.ffmpegPath = ffmpegPath;
  }
}

/** ffmpeg ran but failed or produced no audio. */
export class FfmpegDecodeError extends AudioDecodeError {
  readonly exitCode: number | null;
  /** The tail of ffmpeg's stderr, when it printed anything. */
  readonly stderr: string;

  constructor(input: string, message: string, details: { exitCode: number | null; stderr: string; cause?: unknown }) {
    super(input, message, { code: "FFMPEG_DECODE", cause: details.cause });
    this.exitCode = details.exitCode;
    this.stderr = details.stderr;
  }
}

/** The message of anything thrown, for wrapping it in one of the errors above. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
