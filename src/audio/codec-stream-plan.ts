/**
 * What it takes to decode one compressed format piece by piece (codec-stream.ts drives it): where
 * the codec is fed from, a ready decoder, and how each decoded piece becomes the channels the
 * whole-file decoder would have returned for it. Each format's decode-*.ts builds its plan, so
 * its facts (mpg123's duplicated mono, FLAC's rescaling, Opus's end trim) stay in one home.
 */
import type { ChannelPosition } from "./types.js";
import type { CodecOutput, WasmDecoder } from "./wasm-codec.js";

export interface PieceDecoder extends WasmDecoder {
  decode(bytes: Uint8Array): CodecOutput | Promise<CodecOutput>;
  /** Decodes what the codec still holds at the end of the input (FLAC and Ogg codecs). */
  flush?(): Promise<CodecOutput>;
}

/** The file as a plan may consult it beyond its head (synchronous positional reads). */
export interface PlanFile {
  readonly size: number;
  /** Up to `length` bytes at `position` (fewer at the end of the file). */
  readAt(position: number, length: number): Uint8Array;
}

export interface CodecStreamPlan {
  /** Format name for messages ("MP3", "Ogg Opus"). */
  readonly format: string;
  /** Byte offset the decoder is fed from. */
  readonly start: number;
  createDecoder(): Promise<PieceDecoder>;
  /** The channels of one decoded piece, as the whole-file decoder returns them. */
  channels(output: CodecOutput): Float32Array[];
  channelPositions(channelCount: number): readonly ChannelPosition[] | undefined;
  /** Frames the audio ends at (Opus: last granule position minus pre-skip), when the container says. */
  readonly endFrame?: number;
}
