import type { Tensor } from "../tensor.js";
import { WeightsFormatError } from "./errors.js";
import type { RawTensor } from "./raw-tensor.js";
import { BaseTensorSource, type CheckpointFormat, type TensorInfo, type TensorSource } from "./tensor-source.js";

/** A parsed `model.safetensors.index.json` / `pytorch_model.bin.index.json`. */
export interface ShardIndex {
  /** The index's `metadata` object (transformers writes `{"total_size": …}`). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Tensor name → shard file name (relative to the index's folder). */
  readonly weightMap: ReadonlyMap<string, string>;
  /** Distinct shard files, in order of first appearance. */
  readonly shardFiles: readonly string[];
}

export function parseShardIndex(text: string, label: string): ShardIndex {
  const fail: (message: string) => never = (message) => {
    throw new WeightsFormatError(`${label}: ${message}`, { file: label });
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new WeightsFormatError(`${label} is not valid JSON (${(cause as Error).message})`, { file: label }, { cause });
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) fail("an index must be a JSON object with a \"weight_map\"");
  const { weight_map: map, metadata } = json as Record<string, unknown>;
  if (map === null || typeof map !== "object" || Array.isArray(map)) fail('"weight_map" (tensor name → shard file) is missing or not an object');
  const weightMap = new Map<string, string>();
  const shardFiles: string[] = [];
  for (const [name, file] of Object.entries(map as Record<string, unknown>)) {
    if (typeof file !== "string" || file.length === 0) fail(`"weight_map"."${name}" must be a shard file name`);
    const shard = file as string;
    // Shards live next to the index: no absolute paths, no climbing out of the folder.
    if (shard.startsWith("/") || shard.startsWith("\\") || /^[a-zA-Z]:/.test(shard) || shard.split(/[\\/]/).includes("..")) {
      fail(`shard "${shard}" points outside the checkpoint folder`);
    }
    if (!shardFiles.includes(shard)) shardFiles.push(shard);
    weightMap.set(name, shard);
  }
  const meta = metadata !== null && typeof metadata === "object" && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {};
  return { metadata: meta, weightMap, shardFiles };
}

/** Opens one shard by its file name from the index (relative to the index's folder). */
export type ShardOpener = (file: string) => TensorSource;

/**
 * All shards of a sharded checkpoint behind one TensorSource, each tensor read from the shard the
 * index assigns it to. Given an opener, shards are opened lazily, on first access to one of their
 * tensors, and the tensor list is the index's. Given already-open shards, every shard is checked
 * against the index up front, and tensors a shard holds beyond the index are included too
 * (transformers loads whole shards). `close()` closes every shard opened.
 */
export class ShardedCheckpoint extends BaseTensorSource {
  private readonly opened = new Map<string, TensorSource>();
  private readonly fileOf = new Map<string, string>();
  private readonly sortedNames: string[];
  private readonly openShard: ShardOpener;

  constructor(
    readonly label: string,
    readonly format: CheckpointFormat,
    readonly index: ShardIndex,
    shards: ReadonlyMap<string, TensorSource> | ShardOpener,
  ) {
    super();
    for (const [name, file] of index.weightMap) this.fileOf.set(name, file);
    if (typeof shards === "function") {
      this.openShard = shards;
    } else {
      this.openShard = (file) => {
        const shard = shards.get(file);
        if (!shard) throw new WeightsFormatError(`${label}: shard "${file}" was not provided`, { file: label });
        return shard;
      };
      for (const [name, file] of index.weightMap) this.checkedShard(name, file);
      for (const file of index.shardFiles) {
        for (const name of this.shardFile(file).names()) if (!this.fileOf.has(name)) this.fileOf.set(name, file);
      }
    }
    this.sortedNames = [...this.fileOf.keys()].sort();
  }

  names(): string[] {
    return [...this.sortedNames];
  }

  has(name: string): boolean {
    return this.fileOf.has(name);
  }

  info(name: string): TensorInfo {
    return this.shard(name).info(name);
  }

  getRaw(name: string): RawTensor {
    return this.shard(name).getRaw(name);
  }

  override getFloat32(name: string): Float32Array {
    return this.shard(name).getFloat32(name);
  }

  /** The shard's own getTensor, so file-backed shards hand out file-backed tensors. */
  override getTensor(name: string): Tensor {
    return this.shard(name).getTensor(name);
  }

  /** The shard file holding a tensor, as named in the index. */
  shardOf(name: string): string {
    const file = this.fileOf.get(name);
    if (file === undefined) throw this.notFound(name);
    return file;
  }

  metadata(): Readonly<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.index.metadata)) out[key] = typeof value === "string" ? value : JSON.stringify(value);
    return out;
  }

  close(): void {
    for (const shard of this.opened.values()) shard.close();
    this.opened.clear();
  }

  private shard(name: string): TensorSource {
    return this.checkedShard(name, this.shardOf(name));
  }

  private shardFile(file: string): TensorSource {
    let shard = this.opened.get(file);
    if (!shard) {
      shard = this.openShard(file);
      this.opened.set(file, shard);
    }
    return shard;
  }

  private checkedShard(name: string, file: string): TensorSource {
    const shard = this.shardFile(file);
    if (!shard.has(name)) {
      throw new WeightsFormatError(`${this.label} puts "${name}" in ${file}, but that shard has no such tensor; the index and shards are out of sync — download them again`, { file: shard.label, tensor: name });
    }
    return shard;
  }
}
