/**
 * The sampling rate an audio header declares, read without decoding (for recognising the
 * known "rate outside 1 kHz – 768 kHz" class when a decode hangs or runs out of memory).
 */
import { detectAudioFormat } from "../../src/audio/index.js";
import { firstOggPacket } from "../../src/audio/ogg-pages.js";
import { parseWavHeader } from "../../src/audio/wav-header.js";

export function headerSamplingRate(bytes: Uint8Array): { rate: number; where: string } | undefined {
  try {
    const format = detectAudioFormat(bytes).format;
    if (format === "wav") return { rate: parseWavHeader(bytes, "fuzz input").sampleRate, where: "the WAV fmt chunk" };
    if (format === "flac") return streamInfoRate(bytes.subarray(8, 8 + 34), "the FLAC STREAMINFO");
    if (format === "ogg-flac") {
      const packet = firstOggPacket(bytes);
      return packet === undefined ? undefined : streamInfoRate(packet.subarray(17, 17 + 34), "the Ogg FLAC STREAMINFO");
    }
    if (format === "ogg-vorbis") {
      const packet = firstOggPacket(bytes);
      if (packet === undefined || packet.length < 16) return undefined;
      return { rate: new DataView(packet.buffer, packet.byteOffset + 12, 4).getUint32(0, true), where: "the Vorbis identification header" };
    }
  } catch {
    // a header too broken to read declares no rate
  }
  return undefined; // MP3 rates come from a fixed table; Opus always decodes at 48 kHz
}

function streamInfoRate(block: Uint8Array, where: string): { rate: number; where: string } | undefined {
  if (block.length < 13) return undefined;
  return { rate: (block[10]! << 12) | (block[11]! << 4) | (block[12]! >> 4), where };
}
