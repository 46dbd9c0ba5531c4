/**
 * Where a tensor's bytes lie in a file on disk, and which version of that file it was. Shared by
 * weights/ (which records ranges when it opens a checkpoint) and graph/ (whose ONNX writer can
 * point ONNX Runtime at them), like the shared Tensor type.
 */

/** What identifies one version of a file: a rename-replace changes ino, a rewrite size or times. */
export interface FileIdentity {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly dev: number;
}

export interface FileRange {
  /** Absolute path with symlinks resolved (ORT refuses external data behind links that leave its folder). */
  readonly path: string;
  readonly offset: number;
  readonly length: number;
  readonly identity: FileIdentity;
}

/** The identity fields of fs.Stats (or anything shaped like them). */
export function identityOf(stats: FileIdentity): FileIdentity {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, dev: stats.dev };
}

export function sameFileIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;
}
