/**
 * MP3, FLAC, Ogg Vorbis and Ogg Opus files decoded piece by piece by the WASM codecs, so a long
 * recording never sits decoded (or even encoded) in memory whole. Each format's plan
 * (codec-stream-plan.ts, built in its decode-*.ts) says how; the pieces, concatenated, are what
 * the whole-file decoder returns, sample for sample.
 */
import type { FileHandle } from "node:fs/promises";
import { nodeBuiltin } from "../util/node-builtin.js";
import type { CodecStreamPlan, PieceDecoder, PlanFile } from "./codec-stream-plan.js";
import { flacStreamPlan } from "./decode-flac.js";
import { mp3StreamPlan } from "./decode-mp3.js";
import { oggOpusStreamPlan } from "./decode-ogg-opus.js";
import { oggVorbisStreamPlan } from "./decode-ogg-vorbis.js";
import { detectAudioFormat } from "./sniff-format.js";
import type { ChannelPosition } from "./types.js";
import { decodePiece, freeDecoder, requireAudio, type CodecOutput } from "./wasm-codec.js";

/** Enough of the start of a file to recognise it and read its headers past a modest ID3 tag. */
const HEAD_BYTES = 256 * 1024;
/**
 * Encoded bytes handed to the codec at a time adapt to the bitrate seen so far, aiming at a few
 * seconds of decoded audio per piece: what a piece decodes to (and the codec's WASM heap, which
 * never shrinks) is what memory holds, and a quiet VBR stretch packs minutes into 64 KiB.
 */
const PIECE_SECONDS = 4;
const FIRST_PIECE_BYTES = 16 * 1024;
const MIN_PIECE_BYTES = 1024;
const MAX_PIECE_BYTES = 256 * 1024;

export interface CodecPiece {
  channels: Float32Array[];
  channelPositions: readonly ChannelPosition[] | undefined;
}

export interface CodecStream {
  /** "MP3", "FLAC", "Ogg FLAC", "Ogg Vorbis" or "Ogg Opus". */
  readonly format: string;
  /** The rate of the decoded audio (known once the first audio is decoded, before this returns). */
  readonly samplingRate: number;
  /** The decoded pieces, in order; ends the decoder and closes the file when done or abandoned. */
  pieces(): AsyncGenerator<CodecPiece>;
  /** Frees the decoder and closes the file (for a stream never iterated). */
  close(): Promise<void>;
}

function planFor(head: Uint8Array, path: string, file: PlanFile): CodecStreamPlan | undefined {
  switch (detectAudioFormat(head).format) {
    case "mp3":
      return mp3StreamPlan(head, path, file);
    case "flac":
    case "ogg-flac":
      return flacStreamPlan(head, path, file);
    case "ogg-vorbis":
      return oggVorbisStreamPlan(path);
    case "ogg-opus":
      return oggOpusStreamPlan(head, path, file);
    default:
      return undefined; // WAV has its own stream; anything else is the whole-file route's to judge
  }
}

/** Where the encoded bytes come from: a file read piece by piece, or bytes already in memory. */
interface EncodedSource extends PlanFile {
  readPiece(position: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

async function fileSource(path: string): Promise<EncodedSource> {
  const { open } = await nodeBuiltin<typeof import("node:fs/promises")>("fs/promises", "reading a file path");
  const { readSync } = await nodeBuiltin<typeof import("node:fs")>("fs", "reading a file path");
  const handle: FileHandle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    return {
      size,
      readAt(position, length) {
        const bytes = new Uint8Array(Math.max(0, Math.min(length, size - position)));
        return bytes.subarray(0, readSync(handle.fd, bytes, 0, bytes.length, position));
      },
      async readPiece(position, length) {
        // A fresh buffer each time: the codecs may keep what they were given.
        const piece = new Uint8Array(Math.max(0, Math.min(length, size - position)));
        const { bytesRead } = await handle.read(piece, 0, piece.length, position);
        return piece.subarray(0, bytesRead);
      },
      close: () => handle.close().catch(() => {}), // closing twice is harmless
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function memorySource(bytes: Uint8Array): EncodedSource {
  const at = (position: number, length: number): Uint8Array => bytes.subarray(position, Math.min(bytes.length, position + length));
  return { size: bytes.length, readAt: at, readPiece: async (position, length) => at(position, length), close: async () => {} };
}

/**
 * Opens a file (by path) or encoded bytes for piecewise decoding, or returns undefined when it is
 * not a format decoded this way (the caller then takes the whole-file route, which names any
 * problem). Errors found before the first audio (unsupported depth or layer, no audio at all)
 * are thrown here. `name` names the input in messages (default: the path).
 */
export async function openCodecStream(input: string | Uint8Array, pieceBytes?: number, name = typeof input === "string" ? input : "the audio bytes"): Promise<CodecStream | undefined> {
  const source = typeof input === "string" ? await fileSource(input) : memorySource(input);
  let decoder: PieceDecoder | undefined;
  const close = async (): Promise<void> => {
    const held = decoder;
    decoder = undefined;
    if (held !== undefined) await freeDecoder(held);
    await source.close();
  };
  try {
    const plan = planFor(source.readAt(0, HEAD_BYTES), name, source);
    if (plan === undefined) {
      await close();
      return undefined;
    }
    decoder = await plan.createDecoder();
    const outputs = decodeOutputs(source, plan, decoder, name, pieceBytes);
    // Decode until the first audio: its rate is what the caller needs before any chunk.
    const early: CodecOutput[] = [];
    let first: CodecOutput | undefined;
    for (let next = await outputs.next(); !next.done; next = await outputs.next()) {
      early.push(next.value);
      if (next.value.samplesDecoded > 0 && next.value.channelData.length > 0) {
        first = next.value;
        break;
      }
    }
    if (first === undefined) {
      requireAudio({ channelData: [], samplesDecoded: 0, sampleRate: 0, errors: early.flatMap((o) => o.errors) }, name, plan.format);
    }
    const samplingRate = first!.sampleRate;
    return {
      format: plan.format,
      samplingRate,
      close,
      async *pieces() {
        try {
          let frames = 0;
          const end = plan.endFrame ?? Infinity;
          const emit = (output: CodecOutput): CodecPiece | undefined => {
            if (output.samplesDecoded === 0 || frames >= end) return undefined;
            let channels = plan.channels(output);
            const length = channels[0]!.length;
            if (frames + length > end) channels = channels.map((c) => c.subarray(0, end - frames));
            frames += channels[0]!.length;
            return { channels, channelPositions: plan.channelPositions(channels.length) };
          };
          for (const output of early) {
            const piece = emit(output);
            if (piece !== undefined) yield piece;
          }
          for await (const output of outputs) {
            const piece = emit(output);
            if (piece !== undefined) yield piece;
          }
        } finally {
          await close();
        }
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Feeds the file to the decoder a piece at a time, then flushes what the codec holds. Pieces are
 * `fixedPieceBytes` long when given (tests), else sized for PIECE_SECONDS of audio.
 */
async function* decodeOutputs(source: EncodedSource, plan: CodecStreamPlan, decoder: PieceDecoder, name: string, fixedPieceBytes: number | undefined): AsyncGenerator<CodecOutput> {
  let pieceBytes = fixedPieceBytes ?? FIRST_PIECE_BYTES;
  let bytesSinceAudio = 0;
  for (let position = plan.start; position < source.size; ) {
    const piece = await source.readPiece(position, pieceBytes);
    if (piece.length === 0) break; // the file shrank while we read it: decode what there was
    position += piece.length;
    bytesSinceAudio += piece.length;
    const output = await decodePiece(() => decoder.decode(piece), name, plan.format);
    if (fixedPieceBytes === undefined && output.samplesDecoded > 0 && output.sampleRate > 0) {
      const bytesPerSecond = bytesSinceAudio / (output.samplesDecoded / output.sampleRate);
      pieceBytes = Math.round(Math.min(MAX_PIECE_BYTES, Math.max(MIN_PIECE_BYTES, PIECE_SECONDS * bytesPerSecond)));
      bytesSinceAudio = 0;
    }
    yield output;
  }
  if (decoder.flush !== undefined) yield await decodePiece(() => decoder.flush!(), name, plan.format);
}
