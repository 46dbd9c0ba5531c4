/**
 * Builds a session for a model folder: weights (safetensors / sharded / safe .bin) → the
 * architecture's graph → onnxruntime. A transformers.js-style export (onnx/model.onnx and no
 * weights) is loaded as it is.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { Weights } from "../nn/index.js";
import { createSession, getCachedSession, maxMemoryBytes } from "../runtime/index.js";
import { releaseArrayBuffer } from "../util/release-memory.js";
import { FileBackedTensor, loadWeights } from "../weights/index.js";
import type { GraphModel, GraphTensor } from "../graph/index.js";
import type { ArchitectureBuildOptions, AudioClassificationArchitecture } from "./architecture.js";
import { AudioClassificationModel } from "./audio-classification-model.js";
import type { ModelConfig } from "./model-config.js";

export interface ModelSessionOptions extends ArchitectureBuildOptions {
  /** Intra-op threads (default: all cores). */
  readonly threads?: number;
  /** Reuse one session per folder and options while it lives (default true). */
  readonly cache?: boolean;
  /**
   * Let ONNX Runtime read large float32 safetensors weights straight from the checkpoint file
   * (default true): no copy of ours exists while it loads. false hands it every weight from memory.
   */
  readonly weightsInPlace?: boolean;
  /**
   * Refuse a run whose intermediate tensors are estimated above this many MiB, with a
   * MemoryLimitError that says how to proceed (default: half the machine's memory).
   */
  readonly maxMemoryMB?: number;
}

/** Every ModelSessionOptions key (the type check below keeps the list complete). */
export const MODEL_SESSION_OPTION_KEYS = ["threads", "cache", "weightsInPlace", "maxMemoryMB", "fused", "training"] as const satisfies readonly (keyof ModelSessionOptions)[];
const SESSION_KEYS_COMPLETE: Exclude<keyof ModelSessionOptions, (typeof MODEL_SESSION_OPTION_KEYS)[number]> extends never ? true : never = true;
void SESSION_KEYS_COMPLETE;

/** Relative paths of a transformers.js export, in the order transformers.js prefers them. */
const ONNX_EXPORTS = ["onnx/model.onnx", "model.onnx"];

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

const WEIGHT_FILES = ["model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"];

/** The ONNX export to use when the folder has no checkpoint weights, else undefined. */
export async function onnxExportIn(dir: string): Promise<string | undefined> {
  for (const name of WEIGHT_FILES) if (await isFile(join(dir, name))) return undefined;
  for (const name of ONNX_EXPORTS) if (await isFile(join(dir, name))) return join(dir, name);
  return undefined;
}

/**
 * Loads weights and builds the graph; the result is a plain Weights view plus the graph.
 * safetensors weights stay in their file (FileBackedTensor) unless the model reads them, so that
 * ONNX Runtime can load them from there without a copy of ours alongside.
 */
export async function buildGraph(dir: string, config: ModelConfig, architecture: AudioClassificationArchitecture, options: ArchitectureBuildOptions = {}) {
  const t0 = performance.now();
  const map = await loadWeights(dir, { basePrefix: architecture.basePrefix(config), modelHasBasePrefix: true, weightNorm: "fold", fileBacked: true });
  try {
    const tensors = new Map<string, GraphTensor>(map.names().map((name) => [name, map.getTensor(name)]));
    const t1 = performance.now();
    const weights = Weights.from(tensors);
    const graph = architecture.build(config, weights, options);
    return { graph, unusedWeights: weights.unusedNames(), weightsMs: t1 - t0, buildMs: performance.now() - t1 };
  } finally {
    map.source.close();
  }
}

export async function loadAudioClassificationModel(
  dir: string,
  config: ModelConfig,
  architecture: AudioClassificationArchitecture | undefined,
  options: ModelSessionOptions = {},
): Promise<AudioClassificationModel> {
  const labels = config.labels();
  const memoryLimit = maxMemoryBytes(options.maxMemoryMB);
  const cacheKey = options.cache === false ? undefined : `${dir}|threads=${options.threads ?? "all"}|fused=${Boolean(options.fused)}`;
  const onnx = await onnxExportIn(dir);
  if (onnx !== undefined || architecture === undefined) {
    const path = onnx ?? join(dir, ONNX_EXPORTS[0]!);
    const t0 = performance.now();
    // By path: ORT resolves the export's external data (model.onnx_data) next to it.
    const session = await createSession(path, { threads: options.threads, cacheKey, name: path });
    return new AudioClassificationModel(config, session, labels, dir, {
      unusedWeights: [],
      timings: { weightsMs: 0, buildMs: 0, sessionMs: performance.now() - t0 },
      source: "onnx",
    }, undefined, memoryLimit);
  }
  const cached = cacheKey === undefined ? undefined : getCachedSession(cacheKey);
  if (cached !== undefined) {
    const t0 = performance.now();
    const session = await cached;
    const report = { unusedWeights: [], timings: { weightsMs: 0, buildMs: 0, sessionMs: performance.now() - t0 }, source: "checkpoint" as const };
    return new AudioClassificationModel(config, session, labels, dir, report, architecture, memoryLimit);
  }
  const built = await buildGraph(dir, config, architecture, options);
  const t0 = performance.now();
  const session = await createSession(built.graph, { threads: options.threads, cacheKey, name: `${config.modelType} (${dir})`, weightsInPlace: options.weightsInPlace });
  releaseWeights(built.graph);
  return new AudioClassificationModel(config, session, labels, dir, {
    unusedWeights: built.unusedWeights,
    timings: { weightsMs: built.weightsMs, buildMs: built.buildMs, sessionMs: performance.now() - t0 },
    source: "checkpoint",
  }, architecture, memoryLimit);
}

/**
 * onnxruntime holds its own copy of the weights now; free whatever of ours was read into memory
 * at once rather than at the next major GC (else it stays resident through the first runs).
 * Weights still in their file are left unread.
 */
function releaseWeights(graph: GraphModel): void {
  for (const tensor of graph.initializers.values()) {
    if (tensor instanceof FileBackedTensor) {
      const data = tensor.unload();
      if (data !== undefined) releaseArrayBuffer(data.buffer);
    } else {
      releaseArrayBuffer(tensor.data.buffer);
    }
  }
}
