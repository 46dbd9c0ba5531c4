import { mkdir, readdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { InvalidTensorError } from "./errors.js";
import { commitFile, discardTempFiles, writeTempFile } from "./file-io.js";
import { pythonJsonDumps } from "../util/python-json.js";
import { layoutSafetensors, type TensorDict, tensorDictEntries } from "./safetensors-encode.js";
import { DEFAULT_MAX_SHARD_SIZE, planShards, shardFileName } from "./shard-plan.js";
import type { WritableTensor } from "./raw-tensor.js";

export interface SaveShardedOptions {
  /** Largest shard, as save_pretrained's `max_shard_size` (bytes or "500MB", "5GB"…; default "5GB"). */
  maxShardSize?: number | string;
  /** Metadata written into every shard (`format: "pt"` is added when absent). */
  metadata?: Readonly<Record<string, string>>;
  /** Base file name (default "model.safetensors"); shards become model-00001-of-0000N.safetensors. */
  weightsName?: string;
}

export interface SavedWeights {
  /** Weight files written, in shard order (full paths). */
  files: string[];
  /** The index file when the checkpoint was sharded. */
  indexFile: string | undefined;
  /** Sum of tensor sizes in bytes. */
  totalSize: number;
  /** Stale weight files from an earlier save that were removed. */
  removed: string[];
}

/**
 * Saves a state dict the way `save_pretrained(safe_serialization=True, max_shard_size=…)` does: one
 * `model.safetensors` when it fits, otherwise `model-0000i-of-0000N.safetensors` shards chosen by
 * the hub's greedy rule (in the dict's insertion order) plus `model.safetensors.index.json`
 * (`{"metadata": {"total_size"}, "weight_map"}`, sorted, indented, as transformers writes it).
 * Every file is written and fsynced under a temp name first and only then renamed into place, index
 * last; weight files left over from an earlier save under the same name are then removed.
 */
export async function saveShardedSafetensors(dir: string, tensors: TensorDict, options: SaveShardedOptions = {}): Promise<SavedWeights> {
  const weightsName = options.weightsName ?? "model.safetensors";
  if (!weightsName.endsWith(".safetensors") || /[\\/]/.test(weightsName)) {
    throw new InvalidTensorError(`weightsName must be a plain file name ending in .safetensors, got "${weightsName}"`);
  }
  const entries = tensorDictEntries(tensors);
  const { shards, totalSize } = planShards(entries, options.maxShardSize ?? DEFAULT_MAX_SHARD_SIZE);
  if (shards.length === 0) shards.push([]);
  const byName = new Map<string, WritableTensor>(entries);
  const names = shards.length === 1 ? [weightsName] : shards.map((_, i) => shardFileName(weightsName, i, shards.length));
  const indexName = `${weightsName}.index.json`;

  await mkdir(dir, { recursive: true });
  const temps: string[] = [];
  const targets: string[] = [];
  try {
    for (let i = 0; i < shards.length; i++) {
      const shard = new Map(shards[i].map((name) => [name, byName.get(name) as WritableTensor]));
      const layout = layoutSafetensors(shard, options.metadata);
      const target = join(dir, names[i]);
      temps.push(await writeTempFile(target, [layout.header, ...layout.chunks]));
      targets.push(target);
    }
    if (shards.length > 1) {
      const weightMap: Record<string, string> = {};
      shards.forEach((shard, i) => shard.forEach((name) => (weightMap[name] = names[i])));
      const text = pythonJsonDumps({ metadata: { total_size: totalSize }, weight_map: weightMap }) + "\n";
      const target = join(dir, indexName);
      temps.push(await writeTempFile(target, [new TextEncoder().encode(text)]));
      targets.push(target);
    }
  } catch (error) {
    await discardTempFiles(temps);
    throw error;
  }
  for (let i = 0; i < temps.length; i++) await commitFile(temps[i], targets[i]);

  const removed = await removeStaleWeights(dir, weightsName, new Set(names), shards.length > 1);
  return { files: names.map((n) => join(dir, n)), indexFile: shards.length > 1 ? join(dir, indexName) : undefined, totalSize, removed };
}

/** Like save_pretrained's cleanup: drop `model.safetensors` / `model-XXXXX-of-XXXXX.safetensors` not written now (and a stale index). */
async function removeStaleWeights(dir: string, weightsName: string, kept: Set<string>, sharded: boolean): Promise<string[]> {
  const stem = weightsName.slice(0, -".safetensors".length);
  const pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(-\\d{5}-of-\\d{5})?\\.safetensors$`);
  const removed: string[] = [];
  for (const file of await readdir(dir)) {
    const staleWeights = pattern.test(file) && !kept.has(file);
    const staleIndex = !sharded && file === `${weightsName}.index.json`;
    if (staleWeights || staleIndex) {
      await unlink(join(dir, file));
      removed.push(join(dir, file));
    }
  }
  return removed.sort();
}
