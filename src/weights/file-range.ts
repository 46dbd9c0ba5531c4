/**
 * Pieces of checkpoint files on disk, described so that something else (ONNX Runtime) can read
 * them in place, and so that a file replaced or rewritten since it was opened is noticed instead
 * of read. The graph layer's `fileRangeOf` reads this same shape from file-backed tensors.
 */

import type { FileRange } from "../file-range.js";

export type { FileIdentity, FileRange } from "../file-range.js";
export { identityOf, sameFileIdentity } from "../file-range.js";

/** A range of an open file, readable later (even after its source is closed) while the file is unchanged. */
export interface FilePiece {
  readonly range: FileRange;
  /** The bytes, in a fresh buffer; WeightsChangedError when the file is no longer the one opened. */
  read(): Uint8Array;
}
