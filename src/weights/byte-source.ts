import { WeightsFormatError } from "./errors.js";
import type { FilePiece } from "./file-range.js";

/**
 * Random access to a checkpoint's bytes. Readers go through this so the same parsing code works
 * on a file read into memory once, on bytes handed over in a browser, and on a file too large for
 * one buffer (read tensor by tensor; see file-io.ts).
 */
export interface ByteSource {
  /** Total size in bytes. */
  readonly byteLength: number;
  /** The file path (or a description) used in error messages. */
  readonly label: string;
  /**
   * Bytes [offset, offset + length). May be a view into shared memory: callers must not mutate it.
   * Throws WeightsFormatError when the range runs past the end (a truncated file).
   */
  read(offset: number, length: number): Uint8Array;
  /** Releases a file handle if the source holds one; reads after close fail. */
  close(): void;
  /**
   * Only for sources reading a file on disk: bytes [offset, offset + length) as a piece of that
   * file, to be read later or by someone else (ONNX Runtime) rather than now.
   */
  filePiece?(offset: number, length: number): FilePiece;
}

export function checkRange(source: { byteLength: number; label: string }, offset: number, length: number, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > source.byteLength) {
    throw new WeightsFormatError(
      `${source.label}: ${what} needs bytes ${offset}..${offset + length} but the file has ${source.byteLength} bytes; it is truncated or corrupt — download it again`,
      { file: source.label },
    );
  }
}

/** A ByteSource over bytes already in memory; reads are zero-copy views. */
export class MemoryByteSource implements ByteSource {
  readonly byteLength: number;

  constructor(
    private readonly bytes: Uint8Array,
    readonly label: string,
  ) {
    this.byteLength = bytes.byteLength;
  }

  read(offset: number, length: number): Uint8Array {
    checkRange(this, offset, length, "a read");
    return this.bytes.subarray(offset, offset + length);
  }

  close(): void {
    // Nothing to release: the bytes are garbage-collected with the last view.
  }
}

export function toUint8Array(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}
