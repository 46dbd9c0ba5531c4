/**
 * A WAV file read piece by piece: the header from the file's beginning, then the samples a chunk
 * at a time, so an hour of audio never sits in memory. Each chunk is converted exactly as
 * decodeWav converts the whole file (same tables and scales, same non-finite check).
 */
import type { ChannelPosition } from "./types.js";
import { positionsFromChannelMask } from "./channel-layout.js";
import { AudioDecodeError } from "./errors.js";
import { rejectNonFinite } from "./wav.js";
import { parseWavHeader, type WavLayout } from "./wav-header.js";
import { wavSamplesToFloat } from "./wav-samples.js";
import { nodeBuiltin } from "../util/node-builtin.js";

/** Bytes of a file read to find the header; headers with more before the samples are decoded whole. */
const HEAD_BYTES = 1 << 20;

export interface WavStream {
  readonly layout: WavLayout;
  /** Whole frames in the file. */
  readonly frames: number;
  readonly positions: readonly ChannelPosition[] | undefined;
  /** The samples, planar per channel, `chunkFrames` frames at a time. */
  chunks(): AsyncIterable<Float32Array[]>;
  close(): Promise<void>;
}

function isWavMagic(head: Uint8Array): boolean {
  const text = String.fromCharCode(...head.subarray(0, 4)) + String.fromCharCode(...head.subarray(8, 12));
  return /^(RIFF|RIFX|RF64|BW64)WAVE$/.test(text);
}

/**
 * Opens `path` as a streamed WAV, or returns undefined when it is not a WAV file or cannot be
 * streamed (a header longer than 1 MB, no whole frame): the caller then decodes it whole, which
 * gives the result or the precise error.
 */
export async function openWavStream(path: string, chunkFrames?: number): Promise<WavStream | undefined> {
  const { open } = await nodeBuiltin<typeof import("node:fs/promises")>("fs/promises", "reading a WAV file path");
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    return undefined; // the whole-file route reports why it cannot be read
  }
  let keep = false;
  try {
    const info = await handle.stat();
    if (!info.isFile()) return undefined;
    const head = new Uint8Array(Math.min(info.size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    if (head.length < 12 || !isWavMagic(head)) return undefined;
    let layout: WavLayout;
    try {
      layout = parseWavHeader(head, path, info.size);
    } catch (error) {
      if (error instanceof AudioDecodeError && head.length < info.size) return undefined;
      throw error;
    }
    const frames = Math.floor(layout.dataBytes / layout.blockAlign);
    if (frames === 0) return undefined;
    const step = Math.max(1, chunkFrames ?? layout.sampleRate);
    const positions = layout.channelMask === undefined ? undefined : positionsFromChannelMask(layout.channelMask, layout.channels);
    const file = handle;
    keep = true;
    return {
      layout,
      frames,
      positions,
      async *chunks() {
        const buffer = new Uint8Array(step * layout.blockAlign);
        const chunkLayout: WavLayout = { ...layout, dataOffset: 0 };
        for (let frame = 0; frame < frames; frame += step) {
          const count = Math.min(step, frames - frame);
          const bytes = count * layout.blockAlign;
          const { bytesRead } = await file.read(buffer, 0, bytes, layout.dataOffset + frame * layout.blockAlign);
          if (bytesRead < bytes) throw new AudioDecodeError(path, `cannot decode ${path}: the file became shorter while it was read (${frame + Math.floor(bytesRead / layout.blockAlign)} of ${frames} frames)`);
          const channels = wavSamplesToFloat(buffer.subarray(0, bytes), chunkLayout, count);
          if (layout.encoding === "float") rejectNonFinite(channels, path, frame);
          yield channels;
        }
      },
      close: () => file.close(),
    };
  } finally {
    if (!keep) await handle.close();
  }
}
