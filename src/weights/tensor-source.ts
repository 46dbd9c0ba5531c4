import type { Tensor } from "../tensor.js";
import type { Dtype } from "./dtypes.js";
import { closestNames, TensorNotFoundError } from "./errors.js";
import { type RawTensor, rawToFloat32, rawToTensor } from "./raw-tensor.js";

/** What a checkpoint says about one tensor, without reading its data. */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
}

export type CheckpointFormat = "safetensors" | "pytorch" | "sharded-safetensors" | "sharded-pytorch";

/**
 * One interface over every checkpoint format (safetensors, pytorch_model.bin, sharded either way).
 * Tensors are read lazily: listing names costs nothing, `getRaw`/`getFloat32` touch one tensor.
 * Arrays returned may share memory with the loaded file; copy before mutating.
 */
export interface TensorSource {
  /** The file (or index file) this source reads, for messages. */
  readonly label: string;
  readonly format: CheckpointFormat;
  /** Tensor names, sorted. */
  names(): string[];
  has(name: string): boolean;
  info(name: string): TensorInfo;
  /** The tensor in its stored dtype. */
  getRaw(name: string): RawTensor;
  /** The tensor as float32 (F16/BF16/F8 exact, F64 rounded, integers converted). */
  getFloat32(name: string): Float32Array;
  /** The tensor as the shared Tensor type closest to its stored dtype. */
  getTensor(name: string): Tensor;
  /** Free-form string metadata (safetensors `__metadata__`; empty for pickled checkpoints). */
  metadata(): Readonly<Record<string, string>>;
  /** Releases file handles, if any. Safe to call twice. */
  close(): void;
}

/** Shared behaviour of the concrete sources: conversions on top of `getRaw`, and not-found errors. */
export abstract class BaseTensorSource implements TensorSource {
  abstract readonly label: string;
  abstract readonly format: CheckpointFormat;
  abstract names(): string[];
  abstract has(name: string): boolean;
  abstract info(name: string): TensorInfo;
  abstract getRaw(name: string): RawTensor;
  abstract metadata(): Readonly<Record<string, string>>;
  abstract close(): void;

  getFloat32(name: string): Float32Array {
    return rawToFloat32(this.getRaw(name));
  }

  getTensor(name: string): Tensor {
    return rawToTensor(this.getRaw(name), name);
  }

  protected notFound(name: string): TensorNotFoundError {
    return tensorNotFound(this.label, name, this.names());
  }
}

export function tensorNotFound(label: string, name: string, available: Iterable<string>): TensorNotFoundError {
  const names = [...available];
  const hints = closestNames(name, names);
  const hint = hints.length > 0 ? `; closest names: ${hints.map((h) => `"${h}"`).join(", ")}` : "; the checkpoint holds no tensors";
  return new TensorNotFoundError(`${label} has no tensor named "${name}" (${names.length} tensors)${hint}`, { file: label, tensor: name });
}
