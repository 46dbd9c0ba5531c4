/**
 * FLAC (native and in Ogg) through @wasm-audio-decoders/flac (libFLAC in WASM), loaded on first use.
 *
 * The package divides samples by 2^(bits−1) − 1; soundfile and ffmpeg divide by 2^(bits−1). For
 * 8/16/24-bit streams the integer is recovered exactly and rescaled, so the result is
 * bit-identical to ffmpeg's decode. 32-bit FLAC cannot be
 * recovered exactly from float32 and is rescaled to within 1 ulp. Other depths (12, 20 bits) are
 * refused: the package leaves its divisor undefined for them.
 */
import { AudioDecodeError, UnsupportedAudioFormatError } from "./errors.js";
import { flacChannelPositions } from "./channel-layout.js";
import type { AudioData, DecodeOptions } from "./types.js";
import { describeBytes, toUint8Array } from "./bytes.js";
import { loadCodec, readyDecoder, requireAudio, withDecoder } from "./wasm-codec.js";
import type { CodecStreamPlan, PieceDecoder, PlanFile } from "./codec-stream-plan.js";
import { firstOggPacket } from "./ogg-pages.js";
import { skipId3v2 } from "./id3.js";

const SUPPORTED_DEPTHS = new Set([8, 16, 24, 32]);

/** The FLAC stream after any ID3 tag, its format name and STREAMINFO, refusing what we cannot decode. */
function flacStream(whole: Uint8Array, name: string): { bytes: Uint8Array; start: number; format: string; info: StreamInfo } {
  const start = skipId3v2(whole); // libFLAC does not expect an ID3 tag in front
  const bytes = whole.subarray(start);
  const format = bytes[0] === 0x4f ? "Ogg FLAC" : "FLAC";
  const info = readStreamInfo(bytes);
  if (info === undefined) {
    throw new AudioDecodeError(name, `cannot decode ${name} as ${format}: the STREAMINFO header is missing or cut short; the file is truncated or corrupt`);
  }
  if (!SUPPORTED_DEPTHS.has(info.bitsPerSample)) {
    throw new UnsupportedAudioFormatError(name, `FLAC (${info.bitsPerSample}-bit)`,
      `cannot decode ${name}: ${info.bitsPerSample}-bit FLAC is not supported by the built-in decoder (8, 16, 24 and 32-bit are); pass decoder: "ffmpeg"`);
  }
  return { bytes, start, format, info };
}

/** Decoding piece by piece (codec-stream.ts); undefined when an ID3 tag runs past the head. */
export function flacStreamPlan(head: Uint8Array, name: string, file: PlanFile): CodecStreamPlan | undefined {
  if (head.length < file.size && skipId3v2(head) + 4096 > head.length) return undefined;
  const { start, format, info } = flacStream(head, name);
  return {
    format,
    start,
    async createDecoder() {
      const { FLACDecoder } = await loadCodec(() => import("@wasm-audio-decoders/flac"), "@wasm-audio-decoders/flac", name, format);
      return readyDecoder(() => new FLACDecoder() as unknown as PieceDecoder, name, format);
    },
    channels: (output) => output.channelData.map((channel) => rescale(channel, info.bitsPerSample)),
    channelPositions: (count) => (count === 1 ? undefined : flacChannelPositions(count)),
  };
}

export async function decodeFlac(input: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): Promise<AudioData> {
  const whole = toUint8Array(input);
  const name = options.name ?? describeBytes(whole);
  const { bytes, format, info } = flacStream(whole, name);
  const { FLACDecoder } = await loadCodec(() => import("@wasm-audio-decoders/flac"), "@wasm-audio-decoders/flac", name, format);
  const output = await withDecoder(
    () => new FLACDecoder(),
    (decoder) => decoder.decodeFile(bytes),
    name,
    format,
  );
  requireAudio(output, name, format);
  const channels = output.channelData.map((channel) => rescale(channel, info.bitsPerSample));
  const positions = flacChannelPositions(channels.length);
  return positions === undefined || channels.length === 1
    ? { samplingRate: output.sampleRate, channels }
    : { samplingRate: output.sampleRate, channels, channelPositions: positions };
}

/** From v = fl(n / (2^(b−1) − 1)) back to n / 2^(b−1). */
function rescale(channel: Float32Array, bits: number): Float32Array {
  const divisor = 2 ** (bits - 1) - 1;
  const scale = 2 ** -(bits - 1);
  const out = new Float32Array(channel.length);
  if (bits === 32) {
    for (let i = 0; i < channel.length; i++) out[i] = channel[i]! * divisor * scale;
    return out;
  }
  // v = n/d·(1 + ε) with |ε| < 2^−24 (n/d is never a float32 midpoint: d is odd), and v·d is
  // exact in float64 (24 × 23 bits), so |v·d − n| < |n|·2^−24 ≤ 0.5: rounding gives n back.
  // Adding and removing 1.5·2^52 rounds a float64 to the nearest integer, several times faster than Math.round.
  const ROUND = 6755399441055744;
  for (let i = 0; i < channel.length; i++) out[i] = (channel[i]! * divisor + ROUND - ROUND) * scale;
  return out;
}

interface StreamInfo {
  bitsPerSample: number;
}

/** STREAMINFO of native FLAC ("fLaC" + block header) or Ogg FLAC (inside the first packet). */
function readStreamInfo(bytes: Uint8Array): StreamInfo | undefined {
  let block: Uint8Array;
  if (bytes[0] === 0x66) {
    block = bytes.subarray(8, 8 + 34); // "fLaC", 4-byte metadata block header, STREAMINFO
  } else {
    const packet = firstOggPacket(bytes); // 0x7F "FLAC" major minor count(2) "fLaC" header(4) STREAMINFO
    if (packet === undefined) return undefined;
    block = packet.subarray(17, 17 + 34);
  }
  if (block.length < 34) return undefined;
  return { bitsPerSample: (((block[12]! & 0x01) << 4) | (block[13]! >> 4)) + 1 };
}
