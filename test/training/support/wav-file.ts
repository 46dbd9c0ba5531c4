/** Writes small 16-bit PCM WAV files into temporary folders for dataset and noise tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A canonical 44-byte-header 16-bit PCM WAV of `channels` interleaved channels. */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  const frames = channels[0]!.length;
  const dataBytes = frames * channels.length * 2;
  const bytes = new Uint8Array(44 + dataBytes);
  const v = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string): void => [...text].forEach((c, i) => v.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, "RIFF");
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, channels.length, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels.length * 2, true);
  v.setUint16(32, channels.length * 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, dataBytes, true);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels.length; c++) {
      const s = Math.max(-1, Math.min(1, channels[c]![i]!));
      v.setInt16(44 + (i * channels.length + c) * 2, Math.round(s * 32767), true);
    }
  }
  return bytes;
}

export interface TempDir {
  readonly root: string;
  /** Writes a WAV at root/relative (folders created). Returns the absolute path. */
  wav(relative: string, samples: Float32Array | readonly Float32Array[], sampleRate: number): string;
  /** Writes a text file. */
  text(relative: string, content: string): string;
  remove(): void;
}

export function tempDir(prefix = "audioclass-training-"): TempDir {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const write = (relative: string, content: Uint8Array | string): string => {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  };
  return {
    root,
    wav: (relative, samples, sampleRate) => write(relative, encodeWav(samples instanceof Float32Array ? [samples] : samples, sampleRate)),
    text: (relative, content) => write(relative, content),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
