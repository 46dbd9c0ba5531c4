import { InvalidArgumentError } from "../errors.js";

export interface EncodeWavOptions {
  /** Sample format: 16-bit PCM (default) or 32-bit IEEE float. */
  readonly format?: "pcm16" | "float32";
}

/**
 * A WAV file (canonical 44-byte header) of `channels` interleaved channels. PCM16 scales by
 * 2^15 and clips, the inverse of how decodeWav (and soundfile, ffmpeg) read it, so samples on the
 * 16-bit grid survive a round trip exactly; float32 stores the samples as they are.
 */
export function encodeWav(channels: readonly Float32Array[], samplingRate: number, options: EncodeWavOptions = {}): Uint8Array {
  const format = options.format ?? "pcm16";
  if (format !== "pcm16" && format !== "float32") throw new InvalidArgumentError(`encodeWav: format must be "pcm16" or "float32", got ${JSON.stringify(format)}`);
  if (channels.length === 0 || channels.length > 65535) throw new InvalidArgumentError(`encodeWav: needs 1 to 65535 channels, got ${channels.length}`);
  if (!Number.isInteger(samplingRate) || samplingRate <= 0 || samplingRate > 0xffffffff) throw new InvalidArgumentError(`encodeWav: samplingRate must be a positive whole number of Hz, got ${samplingRate}`);
  const frames = channels[0]!.length;
  if (channels.some((c) => !(c instanceof Float32Array) || c.length !== frames)) throw new InvalidArgumentError("encodeWav: channels must be Float32Arrays of one length");
  const bytesPerSample = format === "pcm16" ? 2 : 4;
  const blockAlign = channels.length * bytesPerSample;
  const dataBytes = frames * blockAlign;
  if (44 + dataBytes > 0xffffffff) throw new InvalidArgumentError(`encodeWav: ${frames} frames of ${channels.length} channels exceed a WAV file's 4 GiB`);
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string): void => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, format === "pcm16" ? 1 : 3, true);
  view.setUint16(22, channels.length, true);
  view.setUint32(24, samplingRate, true);
  view.setUint32(28, samplingRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bytesPerSample * 8, true);
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  let offset = 44;
  for (let i = 0; i < frames; i++) {
    for (const channel of channels) {
      const sample = channel[i]!;
      if (format === "float32") {
        view.setFloat32(offset, sample, true);
      } else {
        // NaN clips to 0 rather than poisoning the file.
        const scaled = Number.isNaN(sample) ? 0 : Math.round(sample * 32768);
        view.setInt16(offset, Math.max(-32768, Math.min(32767, scaled)), true);
      }
      offset += bytesPerSample;
    }
  }
  return bytes;
}
