import { AudioclassError } from "../errors.js";

/** Where an error happened: the checkpoint file and, when known, the tensor. */
export interface WeightsErrorLocation {
  file?: string;
  tensor?: string;
}

/** Base of every error the weights layer throws on purpose; catch this to catch them all. */
export class WeightsError extends AudioclassError {
  readonly file: string | undefined;
  readonly tensor: string | undefined;

  constructor(code: string, message: string, where: WeightsErrorLocation = {}, options?: { cause?: unknown }) {
    super(code, message, options);
    this.file = where.file;
    this.tensor = where.tensor;
  }
}

/** A checkpoint file is corrupt, truncated or not in the format its name claims. */
export class WeightsFormatError extends WeightsError {
  constructor(message: string, where: WeightsErrorLocation = {}, options?: { cause?: unknown }) {
    super("WEIGHTS_FORMAT", message, where, options);
  }
}

/** A well-formed checkpoint uses something this reader does not handle (a dtype, a zip feature, an old format). */
export class UnsupportedWeightsError extends WeightsError {
  constructor(message: string, where: WeightsErrorLocation = {}, options?: { cause?: unknown }) {
    super("WEIGHTS_UNSUPPORTED", message, where, options);
  }
}

/**
 * A pickle asked for something outside the tensor-loading allow-list (e.g. `posix.system`).
 * Nothing was executed: the reader never imports or calls anything it does not know.
 */
export class UnsafePickleError extends WeightsError {
  /** The refused global as "module.name", or the refused opcode. */
  readonly refused: string;

  constructor(message: string, refused: string, where: WeightsErrorLocation = {}) {
    super("UNSAFE_PICKLE", message, where);
    this.refused = refused;
  }
}

/** A weights file (or one shard of a sharded checkpoint) does not exist where it was looked for. */
export class WeightsNotFoundError extends WeightsError {
  /** Every path that was tried, in order. */
  readonly searched: readonly string[];

  constructor(message: string, searched: readonly string[], where: WeightsErrorLocation = {}, options?: { cause?: unknown }) {
    super("WEIGHTS_NOT_FOUND", message, where, options);
    this.searched = [...searched];
  }
}

/** Reading a file failed for a reason other than it being absent (permissions, I/O error…). */
export class WeightsReadError extends WeightsError {
  constructor(message: string, file: string, options?: { cause?: unknown }) {
    super("WEIGHTS_READ", message, { file }, options);
  }
}

/**
 * A checkpoint file was replaced, rewritten or removed after it was opened: its tensors can no
 * longer be read consistently with the header that was parsed. Loading again picks up the new file.
 */
export class WeightsChangedError extends WeightsError {
  constructor(message: string, file: string, where: WeightsErrorLocation = {}, options?: { cause?: unknown }) {
    super("WEIGHTS_CHANGED", message, { file, ...where }, options);
  }
}

/** A tensor name is not in the checkpoint. */
export class TensorNotFoundError extends WeightsError {
  constructor(message: string, where: WeightsErrorLocation = {}) {
    super("TENSOR_NOT_FOUND", message, where);
  }
}

/** A tensor handed to a writer (or to a helper) is malformed: wrong element count, bad name, bad dtype. */
export class InvalidTensorError extends WeightsError {
  constructor(message: string, where: WeightsErrorLocation = {}) {
    super("INVALID_TENSOR", message, where);
  }
}

/** Writing a checkpoint failed (disk full, permissions…); the destination was left untouched. */
export class WeightsWriteError extends WeightsError {
  constructor(message: string, where: WeightsErrorLocation = {}, options?: { cause?: unknown }) {
    super("WEIGHTS_WRITE", message, where, options);
  }
}

/** Up to `limit` names closest to `wanted` (shared prefix, then edit distance), for "did you mean" hints. */
export function closestNames(wanted: string, candidates: Iterable<string>, limit = 3): string[] {
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    let prefix = 0;
    while (prefix < name.length && prefix < wanted.length && name[prefix] === wanted[prefix]) prefix++;
    const suffixPenalty = Math.abs(name.length - wanted.length);
    scored.push({ name, score: prefix * 4 - suffixPenalty - tailDistance(wanted.slice(prefix), name.slice(prefix)) });
  }
  scored.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.name);
}

/** Levenshtein distance on short strings (tails after the common prefix), capped for speed. */
function tailDistance(a: string, b: string): number {
  const x = a.slice(0, 64);
  const y = b.slice(0, 64);
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost));
    }
    previous = current;
  }
  return previous[y.length];
}
