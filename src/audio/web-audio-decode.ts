/**
 * The browser's own decoder as the built-in decoders' fallback: where Web Audio exists (browsers),
 * a format they do not read (AAC/M4A, WebM, …) goes to decodeAudioData. Web Audio decodes at the
 * context's rate, so the clip comes back already at the rate asked for (resampled by the browser,
 * not by our torchaudio-compatible resampler: scores for such formats can differ slightly from
 * Python's), or at 48 kHz when none is asked for. In Node there is no Web Audio, and the built-in
 * decoders' error stands.
 */
import { AudioDecodeError, UnsupportedAudioFormatError } from "./errors.js";
import { detectAudioFormat } from "./sniff-format.js";
import type { AudioData } from "./types.js";

/** The rate Web Audio decodes at when the caller asks for none (browsers' usual device rate). */
const DEFAULT_WEB_AUDIO_RATE = 48_000;

interface DecodedBuffer {
  readonly numberOfChannels: number;
  readonly sampleRate: number;
  getChannelData(channel: number): Float32Array;
}

type OfflineContextClass = new (channels: number, length: number, sampleRate: number) => {
  decodeAudioData(data: ArrayBuffer): Promise<DecodedBuffer>;
};

function offlineAudioContext(): OfflineContextClass | undefined {
  const ctor = (globalThis as { OfflineAudioContext?: unknown }).OfflineAudioContext;
  return typeof ctor === "function" ? (ctor as OfflineContextClass) : undefined;
}

/** Whether a failure of the built-in decoders is one Web Audio may succeed at, here. */
export function webAudioCanTry(error: unknown, bytes: Uint8Array): boolean {
  return error instanceof UnsupportedAudioFormatError && !detectAudioFormat(bytes).notAudio && offlineAudioContext() !== undefined;
}

/** Decodes with the browser (OfflineAudioContext.decodeAudioData), at `samplingRate` or 48 kHz. */
export async function decodeWithWebAudio(bytes: Uint8Array, name: string, samplingRate: number | undefined, builtinError: unknown): Promise<AudioData> {
  const Context = offlineAudioContext();
  if (Context === undefined) throw builtinError;
  const rate = samplingRate ?? DEFAULT_WEB_AUDIO_RATE;
  // decodeAudioData detaches the buffer it is given: hand it a copy.
  const copy = bytes.slice().buffer;
  let decoded: DecodedBuffer;
  try {
    decoded = await new Context(1, 1, rate).decodeAudioData(copy);
  } catch (cause) {
    const reason = builtinError instanceof Error ? builtinError.message : String(builtinError);
    throw new AudioDecodeError(name, `${reason}; the browser's decoder (decodeAudioData) could not read it either: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
  const channels = Array.from({ length: decoded.numberOfChannels }, (_, c) => decoded.getChannelData(c).slice());
  return { samplingRate: decoded.sampleRate, channels };
}
