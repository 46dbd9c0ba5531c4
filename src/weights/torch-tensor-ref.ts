import type { Dtype } from "./dtypes.js";
import type { PickleStateful } from "./pickle-values.js";

/**
 * A storage a pickled tensor points at: its key in the archive (`data/<key>`) and its size. Legacy
 * checkpoints may also slice a root storage (`viewOf` + `byteOffset`).
 */
export class TorchStorageRef {
  constructor(
    readonly key: string,
    /** The storage's element type; U8 for an untyped storage. */
    readonly dtype: Dtype,
    readonly byteLength: number,
    readonly location: string,
    readonly viewOf?: TorchStorageRef,
    readonly byteOffset = 0,
  ) {}

  /** The storage whose bytes are in the file (itself unless a legacy view). */
  get root(): TorchStorageRef {
    return this.viewOf ? this.viewOf.root : this;
  }

  /** Offset of this storage's first byte within its root. */
  get rootByteOffset(): number {
    return this.viewOf ? this.viewOf.rootByteOffset + this.byteOffset : 0;
  }
}

/**
 * A tensor as torch's `_rebuild_tensor_v2` describes it: a strided view (offset and strides in
 * elements) of a storage. Nothing is read until the tensor is materialised.
 */
export class TorchTensorRef implements PickleStateful {
  /** Set when the tensor was pickled as an nn.Parameter. */
  isParameter = false;

  constructor(
    readonly storage: TorchStorageRef,
    readonly dtype: Dtype,
    readonly storageOffset: number,
    readonly size: readonly number[],
    readonly stride: readonly number[],
    readonly requiresGrad: boolean,
  ) {}

  /** Python attributes set on a tensor object do not affect its values; accept and ignore them. */
  applyPickleState(_state: unknown): void {}
}
