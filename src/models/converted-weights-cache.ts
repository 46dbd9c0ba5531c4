/**
 * dtype "q8" / "fp16" for a checkpoint: the float32 graph rewritten by the weight-precision pass,
 * its converted weights kept on disk so that the next load reads them instead of converting again.
 *
 * One safetensors file per checkpoint, graph and dtype under `<audioclass cache>/converted-weights/`
 * (see hub's audioclassCacheDir: $AUDIOCLASS_CACHE, $XDG_CACHE_HOME/audioclass, ~/.cache/audioclass),
 * holding the converted weights and a copy of the larger ones that stay float32.
 * Its metadata holds a key over the cache format, the dtype, the int8 levels, the precision policy
 * and the identity (path, size, mtime, inode, device) of every checkpoint file: a checkpoint that
 * changes gets new weights, written over the old file. Files are written to a temp file and renamed
 * (never rewritten in place), which is what lets ONNX Runtime read them in place for as long as a
 * session lives. A cache that cannot be written costs only the conversion at the next load.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type GraphModel, type GraphTensor, tensorByteLength } from "../graph/index.js";
import { DEFAULT_INT8_LEVELS, type ReducedPrecision, type SessionOptions, type WeightPrecisionResult, lowerWeightPrecision, precisionSessionOptions } from "../runtime/index.js";
import { FileBackedHalfTensor, FileBackedTensor, FileByteSource, SafetensorsFile, findCheckpointFile, parseShardIndex, saveSafetensors } from "../weights/index.js";
import type { WritableTensor } from "../weights/index.js";
import { WEIGHT_PRECISION_POLICY_VERSION, keepsFloatWeights } from "./weight-precision-policy.js";

/** Bump when the file layout or the pass's output for the same inputs changes. */
export const CONVERTED_WEIGHTS_FORMAT = "audioclass-converted-weights/2";

/** What happened to the cache on this load. */
export type ConvertedWeightsCacheUse = "hit" | "written" | "unwritable" | "off";

export interface ReducedPrecisionGraph {
  readonly graph: GraphModel;
  /** Options createSession needs for this graph. */
  readonly sessionOptions: Pick<SessionOptions, "constantFoldingLimitBytes" | "disabledOptimizers" | "renameOnlyFolders">;
  readonly cache: ConvertedWeightsCacheUse;
  /** The cache file, when one was read or written. */
  readonly cacheFile?: string;
  /** Weights that stayed float32 although the pass could have converted them. */
  readonly keptFloat: readonly string[];
  /** Why the cache could not be written (cache "unwritable"). */
  readonly cacheError?: unknown;
}

export interface ReducedPrecisionOptions {
  /** Folder of the converted-weights cache; false converts in memory at every load. */
  readonly cacheDir: string | false;
}

/** The files a model folder's weights are read from: the checkpoint file and, for an index, its shards. */
async function checkpointFiles(dir: string): Promise<string[]> {
  const main = await findCheckpointFile(dir);
  if (!main.endsWith(".json")) return [main];
  const index = parseShardIndex(await readFile(main, "utf8"), main);
  return [main, ...index.shardFiles.map((shard) => join(dirname(main), shard))];
}

async function cacheKey(files: readonly string[], precision: ReducedPrecision): Promise<{ key: string; main: string }> {
  const identities = [];
  for (const file of files) {
    const path = await realpath(file);
    const s = await stat(path);
    identities.push({ path, size: s.size, mtimeMs: s.mtimeMs, ino: s.ino, dev: s.dev });
  }
  const what = { format: CONVERTED_WEIGHTS_FORMAT, precision, int8Levels: DEFAULT_INT8_LEVELS, policy: WEIGHT_PRECISION_POLICY_VERSION, files: identities };
  return { key: createHash("sha256").update(JSON.stringify(what)).digest("hex"), main: identities[0]!.path };
}

const safeName = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 60);

/**
 * The cache file of one graph (CLAP has two per checkpoint) of one checkpoint in one dtype: named
 * after the folder, unique by the checkpoint's real path.
 */
function cacheFileFor(cacheDir: string, main: string, graphName: string, precision: ReducedPrecision): string {
  const folder = safeName(basename(dirname(main))) || "model";
  const hash = createHash("sha256").update(main).digest("hex").slice(0, 16);
  return join(cacheDir, "converted-weights", `${folder}-${hash}.${safeName(graphName)}.${precision}.safetensors`);
}

/** The converted tensors of a cache file whose key matches, file-backed; undefined when absent or stale. */
async function openCached(path: string, key: string): Promise<((name: string) => GraphTensor | undefined) | undefined> {
  let source: FileByteSource;
  try {
    source = new FileByteSource(path);
  } catch {
    return undefined;
  }
  try {
    const file = new SafetensorsFile(source, { fileBacked: true });
    if (file.metadata()["audioclass.key"] !== key) return undefined;
    const tensors = new Map<string, GraphTensor>();
    for (const name of file.names()) tensors.set(name, file.info(name).dtype === "F16" ? (file.getHalf(name) as GraphTensor) : file.getTensor(name));
    return (name) => tensors.get(name);
  } catch {
    return undefined; // unreadable or corrupt: convert again and replace it
  } finally {
    source.close();
  }
}

function asWritable(tensor: GraphTensor): WritableTensor {
  return tensor.type === "float16" ? { dtype: "F16", shape: tensor.dims, data: tensor.data } : tensor;
}

/** Drops data read from a checkpoint file (it can be read again); in-memory weights stay. */
function releaseFileCopy(tensor: GraphTensor): void {
  if (tensor instanceof FileBackedTensor || tensor instanceof FileBackedHalfTensor) tensor.unload();
}

/** Suffix of the cache's copies of the weights that stay float32 (see withCarriedWeights). */
const CARRIED_SUFFIX = ":float32";
/** Smaller initializers are written inline into the model ORT reads (externalMinBytes), never in place. */
const CARRIED_MIN_BYTES = 1024;

/** The initializers of a rewritten model that were not converted: the cache carries copies of the larger ones. */
function carriedWeights(result: WeightPrecisionResult): Map<string, GraphTensor> {
  const converted = new Set(result.converted.values());
  const out = new Map<string, GraphTensor>();
  for (const [id, tensor] of result.model.initializers) {
    if (!converted.has(tensor) && tensorByteLength(tensor) >= CARRIED_MIN_BYTES) out.set(`${result.model.values[id]!.name}${CARRIED_SUFFIX}`, tensor);
  }
  return out;
}

/**
 * The rewritten model reading the weights that stay float32 from the cache's copies too, so ORT
 * reads every large weight in place from one file (its external data resolve against one folder)
 * and a warm load never reads the checkpoint's tensors. Undefined when a copy is missing.
 */
function withCarriedWeights(result: WeightPrecisionResult, cached: (name: string) => GraphTensor | undefined): GraphModel | undefined {
  const initializers = new Map(result.model.initializers);
  for (const [name, tensor] of carriedWeights(result)) {
    const copy = cached(name);
    if (copy === undefined || copy.type !== tensor.type || copy.dims.join() !== tensor.dims.join()) return undefined;
    const id = result.model.values.find((v) => `${v.name}${CARRIED_SUFFIX}` === name)!.id;
    initializers.set(id, copy);
  }
  return { ...result.model, initializers };
}

/**
 * Rewrites `graph` (built from the checkpoint in `dir`) for `precision`, reading converted weights
 * from the cache when it holds them for this very checkpoint, else converting and writing them.
 */
export async function reducedPrecisionGraph(dir: string, graph: GraphModel, precision: ReducedPrecision, options: ReducedPrecisionOptions): Promise<ReducedPrecisionGraph> {
  const lower = (precomputed?: (name: string) => GraphTensor | undefined): WeightPrecisionResult =>
    lowerWeightPrecision(graph, { precision, keepFloat: keepsFloatWeights, precomputed, release: releaseFileCopy });
  const done = (result: WeightPrecisionResult, cache: ConvertedWeightsCacheUse, extra: { cacheFile?: string; folder?: string; cacheError?: unknown; model?: GraphModel } = {}): ReducedPrecisionGraph => ({
    graph: extra.model ?? result.model,
    sessionOptions: { ...precisionSessionOptions(result), ...(extra.folder ? { renameOnlyFolders: [extra.folder] } : {}) },
    cache,
    keptFloat: result.keptFloat,
    ...(extra.cacheFile ? { cacheFile: extra.cacheFile } : {}),
    ...(extra.cacheError !== undefined ? { cacheError: extra.cacheError } : {}),
  });
  if (options.cacheDir === false) return done(lower(), "off");

  const { key, main } = await cacheKey(await checkpointFiles(dir), precision);
  const path = cacheFileFor(options.cacheDir, main, graph.name, precision);
  // The cache, if it holds every tensor this graph needs (one written under another policy does not).
  const fromCache = async (): Promise<{ result: WeightPrecisionResult; model: GraphModel } | undefined> => {
    const cached = await openCached(path, key);
    if (cached === undefined) return undefined;
    const result = lower(cached);
    const model = result.reused === result.converted.size ? withCarriedWeights(result, cached) : undefined;
    return model === undefined ? undefined : { result, model };
  };
  const hit = await fromCache();
  if (hit !== undefined) return done(hit.result, "hit", { cacheFile: path, folder: await realpath(dirname(path)), model: hit.model });
  const converted = lower();
  try {
    await mkdir(dirname(path), { recursive: true });
    const carried = carriedWeights(converted);
    const tensors = new Map([...converted.converted, ...carried].map(([name, t]) => [name, asWritable(t)]));
    await saveSafetensors(path, tensors, { "audioclass.format": CONVERTED_WEIGHTS_FORMAT, "audioclass.key": key, "audioclass.source": main, "audioclass.dtype": precision });
    for (const tensor of carried.values()) releaseFileCopy(tensor);
  } catch (error) {
    return done(converted, "unwritable", { cacheError: error });
  }
  // Build again from the file just written, so ONNX Runtime reads it in place and our copies go.
  const written = await fromCache();
  if (written === undefined) return done(converted, "unwritable", { cacheError: new Error(`${path} could not be read back`) });
  return done(written.result, "written", { cacheFile: path, folder: await realpath(dirname(path)), model: written.model });
}
