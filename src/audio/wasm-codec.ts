/**
 * What the four WASM codec wrappers share: loading a codec package lazily (a WAV-only user never
 * pays for WASM start-up), freeing the decoder whatever happens, keeping the packages' own
 * console.error chatter out of the user's terminal, and turning their failures into typed errors.
 */
import { AudioDecodeError, messageOf } from "./errors.js";

/** The per-frame problems the packages report alongside decoded audio. */
export interface CodecFrameError {
  message: string;
}

export interface CodecOutput {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: CodecFrameError[];
}

export interface WasmDecoder {
  ready: Promise<void>;
  free(): void | Promise<void>;
}

/** Imports a codec package, naming it and the input if that fails (e.g. not installed). */
export async function loadCodec<T>(load: () => Promise<T>, packageName: string, input: string, format: string): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    throw new AudioDecodeError(
      input,
      `cannot decode ${input} (${format}): the decoder package ${packageName} could not be loaded (${messageOf(cause)}); ` +
        `reinstall audioclass's dependencies or pass decoder: "ffmpeg"`,
      { cause },
    );
  }
}

/**
 * Creates a decoder, waits for its WASM, runs `decode` and always frees it. Any exception the
 * package throws becomes an AudioDecodeError naming the input.
 */
export async function withDecoder<D extends WasmDecoder, R>(
  create: () => D,
  decode: (decoder: D) => Promise<R>,
  input: string,
  format: string,
): Promise<R> {
  let decoder: D | undefined;
  let ready = false;
  try {
    decoder = create();
    await decoder.ready;
    ready = true;
    const created = decoder;
    return await withCodecLogsMuted(() => decode(created));
  } catch (cause) {
    throw decoderFailure(cause, input, format);
  } finally {
    if (decoder !== undefined && ready) await freeDecoder(decoder);
  }
}

/** What a codec package's exception means for the user: an AudioDecodeError naming the input. */
export function decoderFailure(cause: unknown, input: string, format: string): AudioDecodeError {
  if (cause instanceof AudioDecodeError) return cause;
  return new AudioDecodeError(input, `cannot decode ${input} as ${format}: the decoder failed (${messageOf(cause)}); the file is corrupt or truncated`, { cause });
}

/** Creates a decoder and waits for its WASM (for decoding piece by piece; free it with freeDecoder). */
export async function readyDecoder<D extends WasmDecoder>(create: () => D, input: string, format: string): Promise<D> {
  try {
    const decoder = create();
    await decoder.ready;
    return decoder;
  } catch (cause) {
    throw decoderFailure(cause, input, format);
  }
}

export async function freeDecoder(decoder: WasmDecoder): Promise<void> {
  try {
    await decoder.free();
  } catch {
    // freeing can only fail if the WASM instance is already gone; nothing left to release
  }
}

/** One piece of a piecewise decode, with the packages' chatter muted and failures typed. */
export async function decodePiece<T>(decode: () => T | Promise<T>, input: string, format: string): Promise<T> {
  try {
    return await withCodecLogsMuted(async () => decode());
  } catch (cause) {
    throw decoderFailure(cause, input, format);
  }
}

// What the packages print for every damaged frame (they also report it in `errors`).
const CODEC_LOG_PREFIXES = ["mpg123-decoder:", "@wasm-audio-decoders/flac:", "libopus "];
let mutedDecodes = 0;
let originalConsoleError: typeof console.error | undefined;
let codecLogFilter: typeof console.error | undefined;

/**
 * Runs a decode with the codec packages' per-frame console.error messages dropped: we report
 * problems through errors instead. Only messages with the packages' prefixes are filtered, so
 * the rest of the program's logging is untouched even while decodes overlap.
 */
async function withCodecLogsMuted<T>(run: () => Promise<T>): Promise<T> {
  if (mutedDecodes++ === 0) {
    const original = console.error;
    originalConsoleError = original;
    codecLogFilter = (...args: unknown[]) => {
      const first = args[0];
      if (typeof first === "string" && CODEC_LOG_PREFIXES.some((prefix) => first.startsWith(prefix))) return;
      original.apply(console, args);
    };
    console.error = codecLogFilter;
  }
  try {
    return await run();
  } finally {
    if (--mutedDecodes === 0) {
      if (console.error === codecLogFilter) console.error = originalConsoleError!; // unless someone replaced it since
      originalConsoleError = undefined;
      codecLogFilter = undefined;
    }
  }
}

/** Throws when the codec produced no audio at all (the only case ffmpeg also treats as failure). */
export function requireAudio(output: CodecOutput, input: string, format: string): void {
  if (output.samplesDecoded > 0 && output.channelData.length > 0) return;
  const reasons = output.errors.slice(0, 3).map((e) => e.message).join("; ");
  throw new AudioDecodeError(
    input,
    `cannot decode ${input} as ${format}: no audio could be decoded` +
      (reasons ? ` (${reasons})` : "") +
      `; the file is empty, truncated or corrupt`,
  );
}
