/**
 * MPEG audio frame headers (MPEG-1/2/2.5, layers I–III): enough to recognise an MP3 stream, tell
 * MP3 from MP2/MP1, and learn the channel count (mpg123-decoder always outputs two channels).
 */

export interface MpegFrameHeader {
  readonly version: 1 | 2 | 2.5;
  readonly layer: 1 | 2 | 3;
  /** kbit/s; 0 for free-format streams. */
  readonly bitrate: number;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  /** Bytes in this frame including the header; 0 when unknown (free format). */
  readonly frameLength: number;
}

const BITRATES: Record<string, readonly number[]> = {
  "1-1": [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  "1-2": [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  "1-3": [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  "2-1": [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  "2-2": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  "2-3": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};

const SAMPLE_RATES: Record<string, readonly number[]> = {
  "1": [44100, 48000, 32000],
  "2": [22050, 24000, 16000],
  "2.5": [11025, 12000, 8000],
};

/** The header at `offset`, or undefined when those four bytes are not a valid MPEG audio header. */
export function parseMpegFrameHeader(bytes: Uint8Array, offset: number): MpegFrameHeader | undefined {
  if (offset + 4 > bytes.length) return undefined;
  const b1 = bytes[offset + 1]!;
  const b2 = bytes[offset + 2]!;
  const b3 = bytes[offset + 3]!;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const bitrate = BITRATES[`${version === 1 ? 1 : 2}-${layer}`]![bitrateIndex]!;
  const sampleRate = SAMPLE_RATES[String(version)]![rateIndex]!;
  const padding = (b2 >> 1) & 1;
  let frameLength = 0;
  if (bitrate > 0) {
    if (layer === 1) frameLength = (Math.floor((12000 * bitrate) / sampleRate) + padding) * 4;
    else if (layer === 3 && version !== 1) frameLength = Math.floor((72000 * bitrate) / sampleRate) + padding;
    else frameLength = Math.floor((144000 * bitrate) / sampleRate) + padding;
  }
  return { version, layer, bitrate, sampleRate, channels: b3 >> 6 === 3 ? 1 : 2, frameLength };
}

/**
 * The first frame at or after `start` (within `maxScan` bytes) that is followed by another
 * frame of the same kind — one header alone matches random data too often — or that ends
 * exactly at the end of the data.
 */
export function findMpegFrame(
  bytes: Uint8Array,
  start: number,
  maxScan: number,
): { offset: number; header: MpegFrameHeader } | undefined {
  const end = Math.min(bytes.length - 4, start + maxScan);
  for (let offset = start; offset <= end; offset++) {
    if (bytes[offset] !== 0xff) continue;
    const header = parseMpegFrameHeader(bytes, offset);
    if (header === undefined || header.frameLength === 0) continue;
    const next = offset + header.frameLength;
    if (next === bytes.length) return { offset, header };
    if (next > bytes.length) continue;
    const following = parseMpegFrameHeader(bytes, next);
    if (following !== undefined && following.layer === header.layer && following.sampleRate === header.sampleRate) {
      return { offset, header };
    }
  }
  return undefined;
}
