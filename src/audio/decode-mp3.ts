/**
 * MP3 through mpg123-decoder (WASM build of mpg123, MIT wrapper), loaded on first use.
 *
 * Encoder delay and padding: with gapless decoding on (the default), mpg123 reads the LAME/Xing
 * header and trims the encoder delay + 529-sample decoder delay at the start and the padding at
 * the end, exactly as ffmpeg's mp3 demuxer does: both return the original length (e.g. 22050
 * frames for a 0.5 s 44.1 kHz clip). Files without a LAME header (old encoders, shine) are not
 * trimmed by either, so both include the delay; the samples still align 1:1 with ffmpeg's.
 */
import { UnsupportedAudioFormatError } from "./errors.js";
import { findMpegFrame } from "./mpeg-frame-header.js";
import { skipId3v2 } from "./id3.js";
import type { AudioData, DecodeOptions } from "./types.js";
import { describeBytes, toUint8Array } from "./bytes.js";
import { loadCodec, readyDecoder, requireAudio, withDecoder } from "./wasm-codec.js";
import type { CodecStreamPlan, PieceDecoder, PlanFile } from "./codec-stream-plan.js";

const FORMAT = "MP3";

/** The first frame after any ID3 tag; MP1/MP2 are refused here, before any WASM loads. */
function firstLayer3Frame(bytes: Uint8Array, name: string): ReturnType<typeof findMpegFrame> {
  const first = findMpegFrame(bytes, skipId3v2(bytes), 64 * 1024);
  if (first !== undefined && first.header.layer !== 3) {
    const layer = first.header.layer === 2 ? "MPEG-1 Layer II (MP2)" : "MPEG-1 Layer I (MP1)";
    throw new UnsupportedAudioFormatError(name, layer, `cannot decode ${name}: it is ${layer} audio, which the built-in MP3 decoder does not read; pass decoder: "ffmpeg"`);
  }
  return first;
}

/**
 * Decoding piece by piece (codec-stream.ts) from the file's first `head` bytes; undefined when an
 * ID3 tag runs past the head (album art), and the whole-file route is taken.
 */
export function mp3StreamPlan(head: Uint8Array, name: string, file: PlanFile): CodecStreamPlan | undefined {
  if (head.length < file.size && skipId3v2(head) + 64 * 1024 > head.length) return undefined;
  const mono = firstLayer3Frame(head, name)?.header.channels === 1;
  return {
    format: FORMAT,
    start: 0, // mpg123 skips the ID3 tag itself, as in the whole-file decode
    async createDecoder() {
      const { MPEGDecoder } = await loadCodec(() => import("mpg123-decoder"), "mpg123-decoder", name, FORMAT);
      return readyDecoder(() => new MPEGDecoder({ enableGapless: true }) as unknown as PieceDecoder, name, FORMAT);
    },
    channels: (output) => (mono ? [output.channelData[0]!] : output.channelData.slice(0, 2)),
    channelPositions: () => undefined,
  };
}

export async function decodeMp3(input: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): Promise<AudioData> {
  const bytes = toUint8Array(input);
  const name = options.name ?? describeBytes(bytes);
  const first = firstLayer3Frame(bytes, name);
  const { MPEGDecoder } = await loadCodec(() => import("mpg123-decoder"), "mpg123-decoder", name, FORMAT);
  const output = await withDecoder(
    () => new MPEGDecoder({ enableGapless: true }),
    async (decoder) => decoder.decode(bytes),
    name,
    FORMAT,
  );
  requireAudio(output, name, FORMAT);
  // mpg123-decoder always returns two channels; a mono stream comes back duplicated.
  const mono = first?.header.channels === 1;
  return { samplingRate: output.sampleRate, channels: mono ? [output.channelData[0]!] : output.channelData.slice(0, 2) };
}
