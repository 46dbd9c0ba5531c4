/**
 * Ogg Vorbis through @wasm-audio-decoders/ogg-vorbis (libvorbis in WASM), loaded on first use.
 *
 * Length: the package trims the last page to its granule position, so a clip comes back with
 * exactly the samples that were encoded. ffmpeg 5.1 does not trim the end and returns up to one
 * short block more (e.g. 24064 instead of 24000 frames); the common frames agree with ffmpeg's
 * own Vorbis decoder to ~1e-7.
 */
import { vorbisChannelPositions } from "./channel-layout.js";
import type { AudioData, DecodeOptions } from "./types.js";
import { describeBytes, toUint8Array } from "./bytes.js";
import { loadCodec, readyDecoder, requireAudio, withDecoder } from "./wasm-codec.js";
import type { CodecStreamPlan, PieceDecoder } from "./codec-stream-plan.js";

const FORMAT = "Ogg Vorbis";

/** Decoding piece by piece (codec-stream.ts). */
export function oggVorbisStreamPlan(name: string): CodecStreamPlan {
  return {
    format: FORMAT,
    start: 0,
    async createDecoder() {
      const { OggVorbisDecoder } = await loadCodec(() => import("@wasm-audio-decoders/ogg-vorbis"), "@wasm-audio-decoders/ogg-vorbis", name, FORMAT);
      return readyDecoder(() => new OggVorbisDecoder() as unknown as PieceDecoder, name, FORMAT);
    },
    channels: (output) => output.channelData,
    channelPositions: (count) => (count === 1 ? undefined : vorbisChannelPositions(count)),
  };
}

export async function decodeOggVorbis(input: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): Promise<AudioData> {
  const bytes = toUint8Array(input);
  const name = options.name ?? describeBytes(bytes);
  const { OggVorbisDecoder } = await loadCodec(() => import("@wasm-audio-decoders/ogg-vorbis"), "@wasm-audio-decoders/ogg-vorbis", name, FORMAT);
  const output = await withDecoder(() => new OggVorbisDecoder(), (decoder) => decoder.decodeFile(bytes), name, FORMAT);
  requireAudio(output, name, FORMAT);
  const channels = output.channelData;
  const positions = vorbisChannelPositions(channels.length);
  return positions === undefined || channels.length === 1
    ? { samplingRate: output.sampleRate, channels }
    : { samplingRate: output.sampleRate, channels, channelPositions: positions };
}
