/**
 * Ogg Opus through ogg-opus-decoder (libopus in WASM), loaded on first use. Always 48 kHz.
 *
 * Length: RFC 7845 says a stream holds (last granule position − pre-skip) samples. The package
 * drops the pre-skip at the start but trims the end against the granule alone, returning
 * pre-skip (typically 312) samples too many; we trim to the RFC length, which is also what
 * ffmpeg returns. Samples: libopus's float decoder; ffmpeg's default is its own Opus decoder,
 * which is not bit-exact to libopus (both are conformant): differences up to a few 1e-2 on
 * transients, ~1e-5 against ffmpeg's libopus decoder.
 */
import { AudioDecodeError } from "./errors.js";
import { vorbisChannelPositions } from "./channel-layout.js";
import type { AudioData, DecodeOptions } from "./types.js";
import { describeBytes, toUint8Array } from "./bytes.js";
import { firstOggPacket, lastGranuleOfPages, lastGranulePosition, readOggPage } from "./ogg-pages.js";
import { loadCodec, readyDecoder, requireAudio, withDecoder } from "./wasm-codec.js";
import type { CodecStreamPlan, PieceDecoder, PlanFile } from "./codec-stream-plan.js";

const FORMAT = "Ogg Opus";

/** Pre-skip and channel mapping family from the OpusHead packet. */
function opusHead(bytes: Uint8Array, name: string): { preSkip: number; mappingFamily: number } {
  const head = firstOggPacket(bytes);
  if (head === undefined || head.length < 19) {
    throw new AudioDecodeError(name, `cannot decode ${name} as ${FORMAT}: the OpusHead header is missing or cut short`);
  }
  return { preSkip: head[10]! | (head[11]! << 8), mappingFamily: head[18]! };
}

/**
 * Decoding piece by piece (codec-stream.ts). The end trim needs the last granule position before
 * the last samples go out, so the pages are walked first, header by header (a few bytes each).
 */
export function oggOpusStreamPlan(head: Uint8Array, name: string, file: PlanFile): CodecStreamPlan {
  const { preSkip, mappingFamily } = opusHead(head, name);
  const granule = lastGranuleOfPages((offset) => {
    const page = readOggPage(file.readAt(offset, 27 + 255), 0, file.size - offset);
    return page && { ...page, offset, bodyOffset: offset + page.bodyOffset };
  });
  const end = granule === undefined ? undefined : granule - preSkip;
  return {
    format: FORMAT,
    start: 0,
    async createDecoder() {
      const { OggOpusDecoder } = await loadCodec(() => import("ogg-opus-decoder"), "ogg-opus-decoder", name, FORMAT);
      return readyDecoder(() => new OggOpusDecoder() as unknown as PieceDecoder, name, FORMAT);
    },
    channels: (output) => output.channelData,
    channelPositions: (count) => (count === 1 || mappingFamily > 1 ? undefined : vorbisChannelPositions(count)),
    ...(end !== undefined && end > 0 && { endFrame: end }),
  };
}

export async function decodeOggOpus(input: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): Promise<AudioData> {
  const bytes = toUint8Array(input);
  const name = options.name ?? describeBytes(bytes);
  const { preSkip, mappingFamily } = opusHead(bytes, name);

  const { OggOpusDecoder } = await loadCodec(() => import("ogg-opus-decoder"), "ogg-opus-decoder", name, FORMAT);
  const output = await withDecoder(() => new OggOpusDecoder(), (decoder) => decoder.decodeFile(bytes), name, FORMAT);
  requireAudio(output, name, FORMAT);

  let channels = output.channelData;
  const granule = lastGranulePosition(bytes);
  if (granule !== undefined) {
    const length = granule - preSkip;
    if (length > 0 && length < output.samplesDecoded) channels = channels.map((c) => c.subarray(0, length).slice());
  }
  const positions = mappingFamily <= 1 ? vorbisChannelPositions(channels.length) : undefined;
  return positions === undefined || channels.length === 1
    ? { samplingRate: output.sampleRate, channels }
    : { samplingRate: output.sampleRate, channels, channelPositions: positions };
}
