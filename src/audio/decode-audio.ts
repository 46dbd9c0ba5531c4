/**
 * The built-in decoder: recognises the format from the bytes and hands them to the WAV parser or
 * the matching WASM codec.
 */
import { AudioDecodeError, UnsupportedAudioFormatError } from "./errors.js";
import type { AudioData, DecodeOptions } from "./types.js";
import { describeBytes, toUint8Array } from "./bytes.js";
import { detectAudioFormat } from "./sniff-format.js";
import { checkDecodedSamplingRate } from "./sampling-rate.js";
import { decodeWav } from "./wav.js";
import { decodeCompressed } from "./decode-compressed.js";

const BUILTIN_LIST = "WAV, MP3, FLAC, Ogg Vorbis and Ogg Opus";

/** Decodes WAV, MP3, FLAC (native or Ogg), Ogg Vorbis or Ogg Opus bytes at their own rate. */
export async function decodeAudio(input: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): Promise<AudioData> {
  const name = options.name ?? describeBytes(toUint8Array(input));
  const audio = await decodeByFormat(toUint8Array(input), name, options.maxDecodedBytes);
  checkDecodedSamplingRate(audio.samplingRate, name);
  return audio;
}

async function decodeByFormat(bytes: Uint8Array, name: string, maxDecodedBytes: number | undefined): Promise<AudioData> {
  if (bytes.length === 0) throw new AudioDecodeError(name, `cannot decode ${name}: it is empty (0 bytes)`);
  const detected = detectAudioFormat(bytes);
  const opts = { name };
  switch (detected.format) {
    case "wav":
      return decodeWav(bytes, opts);
    case "mp3":
    case "flac":
    case "ogg-flac":
    case "ogg-vorbis":
    case "ogg-opus": {
      // Piece by piece with the decoded size bounded; the same samples as decodeMp3 & co.
      const audio = await decodeCompressed(bytes, name, maxDecodedBytes);
      if (audio !== undefined) return audio;
      break;
    }
    case undefined:
      break;
  }
  if (detected.notAudio) {
    throw new UnsupportedAudioFormatError(name, detected.name, `cannot decode ${name}: it is ${detected.name}, not audio`);
  }
  if (detected.name === "unknown") {
    const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new UnsupportedAudioFormatError(
      name,
      "unknown",
      `cannot decode ${name}: its format is not recognised (first bytes ${head}); the built-in decoders read ${BUILTIN_LIST}. ` +
        `If it is audio in another format, pass decoder: "ffmpeg" or convert it`,
    );
  }
  throw new UnsupportedAudioFormatError(
    name,
    detected.name,
    `cannot decode ${name}: it is ${detected.name}, which the built-in decoders do not read (they read ${BUILTIN_LIST}); ` +
      `pass decoder: "ffmpeg" (needs ffmpeg installed) or convert it to one of those`,
  );
}
