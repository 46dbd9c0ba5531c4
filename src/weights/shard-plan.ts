import { dtypeSize } from "./dtypes.js";
import { InvalidTensorError } from "./errors.js";
import { shapeNumel, toRawTensor, type WritableTensor } from "./raw-tensor.js";

/** transformers' default `max_shard_size` for save_pretrained (4.49). */
export const DEFAULT_MAX_SHARD_SIZE = "5GB";

/**
 * `max_shard_size` as save_pretrained reads it (huggingface_hub's `parse_size_to_int`): a byte
 * count, or a number with KB/MB/GB/TB (powers of 10, case-insensitive, decimals allowed). KiB/MiB/
 * GiB/TiB (powers of 2) are accepted too.
 */
export function parseShardSize(size: number | string): number {
  if (typeof size === "number") {
    if (!Number.isSafeInteger(size) || size <= 0) throw new InvalidTensorError(`max shard size must be a positive integer number of bytes, got ${size}`);
    return size;
  }
  const match = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(KB|MB|GB|TB|KIB|MIB|GIB|TIB)?\s*$/i.exec(size);
  if (!match) throw new InvalidTensorError(`max shard size "${size}" is not understood; use bytes or e.g. "500MB", "5GB", "2GiB"`);
  const unit = (match[2] ?? "").toUpperCase();
  const factor = { "": 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 }[unit] as number;
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes <= 0) throw new InvalidTensorError(`max shard size "${size}" is less than one byte`);
  return bytes;
}

export interface ShardPlan {
  /** Tensor names per shard, in state-dict order. */
  shards: string[][];
  /** Sum of all tensor sizes in bytes (the index's `total_size`). */
  totalSize: number;
}

/**
 * huggingface_hub's `split_state_dict_into_shards_factory`, used by save_pretrained: walk the
 * tensors in order, start a new shard when the next tensor would overflow the current one, and give
 * a tensor larger than the limit a shard of its own.
 */
export function planShards(tensors: readonly [string, WritableTensor][], maxShardSize: number | string): ShardPlan {
  const limit = parseShardSize(maxShardSize);
  const shards: string[][] = [];
  let current: string[] = [];
  let currentSize = 0;
  let totalSize = 0;
  for (const [name, tensor] of tensors) {
    const raw = toRawTensor(tensor, name);
    const size = shapeNumel(raw.shape) * dtypeSize(raw.dtype);
    totalSize += size;
    if (size > limit) {
      shards.push([name]);
      continue;
    }
    if (currentSize + size > limit) {
      shards.push(current);
      current = [];
      currentSize = 0;
    }
    current.push(name);
    currentSize += size;
  }
  if (current.length > 0) shards.push(current);
  return { shards, totalSize };
}

/** `model-00001-of-00003.safetensors` from `model.safetensors` (transformers' shard naming). */
export function shardFileName(weightsName: string, index: number, count: number): string {
  const dot = weightsName.lastIndexOf(".");
  const stem = dot > 0 ? weightsName.slice(0, dot) : weightsName;
  const extension = dot > 0 ? weightsName.slice(dot) : "";
  return `${stem}-${String(index + 1).padStart(5, "0")}-of-${String(count).padStart(5, "0")}${extension}`;
}
