import { stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import * as zlib from "node:zlib";
import { WeightsNotFoundError } from "./errors.js";
import { FileByteSource, openByteSource, type OpenFileOptions, readWholeFile } from "./file-io.js";
import { SafetensorsFile } from "./safetensors-file.js";
import { parseShardIndex, ShardedCheckpoint } from "./sharded-checkpoint.js";
import type { TensorSource } from "./tensor-source.js";
import { TorchCheckpoint, type TorchCheckpointOptions } from "./torch-checkpoint.js";
import { WeightMap, type WeightMapOptions } from "./weight-map.js";

export interface OpenCheckpointOptions extends OpenFileOptions, TorchCheckpointOptions {
  /** Weights variant, as transformers' `variant`: "fp16" looks for model.fp16.safetensors etc. */
  variant?: string;
  /** true: safetensors only; false: pytorch_model.bin only; unset: prefer safetensors (transformers' default). */
  useSafetensors?: boolean;
}

export type LoadWeightsOptions = OpenCheckpointOptions & WeightMapOptions;

const SAFE_WEIGHTS = "model.safetensors";
const SAFE_INDEX = "model.safetensors.index.json";
const TORCH_WEIGHTS = "pytorch_model.bin";
const TORCH_INDEX = "pytorch_model.bin.index.json";
/** Formats transformers can convert from but we cannot read. */
const FOREIGN = ["tf_model.h5", "model.ckpt.index", "flax_model.msgpack"];

/** transformers' `_add_variant`: the variant goes before the last extension. */
export function withVariant(name: string, variant: string | undefined): string {
  if (!variant) return name;
  const parts = name.split(".");
  return [...parts.slice(0, -1), variant, parts[parts.length - 1]].join(".");
}

/** The checkpoint file a model folder would be loaded from, in transformers' order of preference. */
export async function findCheckpointFile(dir: string, options: Pick<OpenCheckpointOptions, "variant" | "useSafetensors"> = {}): Promise<string> {
  const candidates: string[] = [];
  if (options.useSafetensors !== false) candidates.push(SAFE_WEIGHTS, SAFE_INDEX);
  if (options.useSafetensors !== true) candidates.push(TORCH_WEIGHTS, TORCH_INDEX);
  const searched = candidates.map((c) => join(dir, withVariant(c, options.variant)));
  for (const path of searched) if (await isFile(path)) return path;
  const foreign: string[] = [];
  for (const name of FOREIGN) if (await isFile(join(dir, name))) foreign.push(name);
  const hint = foreign.length > 0
    ? ` It has ${foreign.join(", ")}: TensorFlow/Flax weights, which audioclass does not read — convert them with transformers (from_tf/from_flax, then save_pretrained).`
    : (await isDirectory(dir)) ? "" : ` (${dir} is not a folder)`;
  throw new WeightsNotFoundError(`no model weights in ${dir}: looked for ${searched.map((p) => basename(p)).join(", ")}.${hint}`, searched, { file: dir });
}

/**
 * Opens a checkpoint from a model folder (choosing the file as transformers does) or from a weights
 * file / index file directly. For a sharded checkpoint every shard the index names must exist (checked
 * now); each shard is opened on first use and read tensor by tensor.
 */
export async function openCheckpoint(path: string, options: OpenCheckpointOptions = {}): Promise<TensorSource> {
  const file = (await isDirectory(path)) ? await findCheckpointFile(path, options) : path;
  if (file.endsWith(".json")) return openSharded(file, options);
  if (options.fileBacked) {
    // Only the header is read now; a pickled checkpoint falls through to the usual bulk read.
    const source = new FileByteSource(file);
    try {
      if (isSafetensorsName(file) || looksLikeSafetensors(source.read(0, Math.min(source.byteLength, 9)))) return new SafetensorsFile(source, { fileBacked: true });
    } catch (error) {
      source.close();
      throw error;
    }
    source.close();
  }
  const source = await openByteSource(file, options);
  try {
    if (isSafetensorsName(file) || looksLikeSafetensors(source.read(0, Math.min(source.byteLength, 9)))) return new SafetensorsFile(source);
    return new TorchCheckpoint(source, { crc32: nodeCrc32(), ...options });
  } catch (error) {
    source.close();
    throw error;
  }
}

/** `openCheckpoint` wrapped in a WeightMap with Hugging Face naming rules. */
export async function loadWeights(path: string, options: LoadWeightsOptions = {}): Promise<WeightMap> {
  return new WeightMap(await openCheckpoint(path, options), options);
}

async function openSharded(indexPath: string, options: OpenCheckpointOptions): Promise<ShardedCheckpoint> {
  const text = new TextDecoder().decode(await readWholeFile(indexPath));
  const index = parseShardIndex(text, indexPath);
  const dir = dirname(indexPath);
  const missing: string[] = [];
  for (const shard of index.shardFiles) if (!(await isFile(join(dir, shard)))) missing.push(shard);
  if (missing.length > 0) {
    throw new WeightsNotFoundError(
      `${indexPath} names ${missing.length} shard file(s) that are missing: ${missing.join(", ")}; download the complete checkpoint`,
      missing.map((m) => join(dir, m)),
      { file: join(dir, missing[0]) },
    );
  }
  const isSafe = basename(indexPath).includes(".safetensors");
  // Shards open on first use and read tensor by tensor through a file handle: only what is used is read.
  const openShard = (shard: string): TensorSource => {
    const source = new FileByteSource(join(dir, shard));
    try {
      return isSafetensorsName(shard) ? new SafetensorsFile(source, { fileBacked: options.fileBacked }) : new TorchCheckpoint(source, { crc32: nodeCrc32(), ...options });
    } catch (error) {
      source.close();
      throw error;
    }
  };
  return new ShardedCheckpoint(indexPath, isSafe ? "sharded-safetensors" : "sharded-pytorch", index, openShard);
}

function isSafetensorsName(file: string): boolean {
  return file.endsWith(".safetensors");
}

/** An 8-byte length followed by "{": safetensors, whatever the file is called. */
function looksLikeSafetensors(head: Uint8Array): boolean {
  return head.length === 9 && head[8] === 0x7b && head[0] !== 0x50 && head[0] !== 0x80;
}

/** node:zlib's native CRC-32 (Node ≥ 20.15), ~5× faster than the portable one. */
function nodeCrc32(): ((bytes: Uint8Array) => number) | undefined {
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  return typeof native === "function" ? (bytes) => native(bytes) : undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
