/**
 * MP3, FLAC and Ogg bytes decoded whole — piece by piece under the hood (codec-stream.ts), so the
 * decoded size is checked as it grows. Compressed audio can hold thousands of times its size in
 * samples (14 MB of silent Opus is 12 hours: 8 GB of float32, and the process was killed for
 * memory at 24 GB before this bound); a decode past `maxDecodedBytes` stops with
 * AudioTooLargeError instead. The result equals the codecs' whole-file decode, sample for sample.
 */
import { DEFAULT_MAX_INPUT_BYTES } from "./audio-source.js";
import { openCodecStream } from "./codec-stream.js";
import { AudioDecodeError, AudioTooLargeError } from "./errors.js";
import type { AudioData, ChannelPosition } from "./types.js";
import { formatBytes, formatDuration } from "../util/progress.js";

/** The decoded audio, or undefined when the bytes are not MP3, FLAC or Ogg (Vorbis, Opus, FLAC). */
export async function decodeCompressed(bytes: Uint8Array, name: string, maxDecodedBytes = DEFAULT_MAX_INPUT_BYTES): Promise<AudioData | undefined> {
  const stream = await openCodecStream(bytes, undefined, name);
  if (stream === undefined) return undefined;
  const pieces: Float32Array[][] = [];
  let frames = 0;
  let decodedBytes = 0;
  let positions: readonly ChannelPosition[] | undefined;
  for await (const piece of stream.pieces()) {
    const channels = piece.channels.length;
    if (pieces.length > 0 && channels !== pieces[0]!.length) {
      throw new AudioDecodeError(name, `cannot decode ${name} as ${stream.format}: its channel count changes from ${pieces[0]!.length} to ${channels} part way (chained streams); pass decoder: "ffmpeg", which mixes them down`);
    }
    decodedBytes += channels * piece.channels[0]!.length * 4;
    if (decodedBytes > maxDecodedBytes) {
      const seconds = (frames + piece.channels[0]!.length) / stream.samplingRate;
      throw new AudioTooLargeError(
        name,
        `cannot decode ${name} whole: it decodes to more than ${formatBytes(maxDecodedBytes)} of samples (over ${formatDuration(seconds)} of ` +
          `${stream.samplingRate} Hz audio, ${channels} channel${channels === 1 ? "" : "s"}), the most one decode holds (maxBytes); ` +
          `classify it in windows (--window S, or { window } in the API), which decodes it piece by piece`,
        maxDecodedBytes,
      );
    }
    pieces.push(piece.channels);
    frames += piece.channels[0]!.length;
    positions = piece.channelPositions;
  }
  const channels = pieces[0]!.map((_, c) => {
    const out = new Float32Array(frames);
    let offset = 0;
    for (const piece of pieces) {
      out.set(piece[c]!, offset);
      offset += piece[c]!.length;
    }
    return out;
  });
  return positions === undefined ? { samplingRate: stream.samplingRate, channels } : { samplingRate: stream.samplingRate, channels, channelPositions: positions };
}
