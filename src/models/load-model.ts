/**
 * Builds a session for a model folder: weights (safetensors / sharded / safe .bin) → the
 * architecture's graph → onnxruntime. A transformers.js-style export (onnx/model.onnx and no
 * weights) is loaded as it is.
 */
import { join } from "node:path";
import { audioclassCacheDir } from "../hub/index.js";
import { Weights } from "../nn/index.js";
import { createSession, getCachedSession, maxMemoryBytes, weightPrecisionOf } from "../runtime/index.js";
import { releaseArrayBuffer } from "../util/release-memory.js";
import { FileBackedHalfTensor, FileBackedTensor, loadWeights } from "../weights/index.js";
import type { GraphModel, GraphTensor } from "../graph/index.js";
import type { ArchitectureBuildOptions, AudioClassificationArchitecture } from "./architecture.js";
import { AudioClassificationModel, type LoadReport } from "./audio-classification-model.js";
import { reducedPrecisionGraph } from "./converted-weights-cache.js";
import type { ModelConfig } from "./model-config.js";
import { DEFAULT_FUSED_ATTENTION, type ModelSessionOptions } from "./model-session-options.js";
import { onnxExportFileFor, onnxExportIn } from "./onnx-export-files.js";

export { onnxExportIn } from "./onnx-export-files.js";

export { DEFAULT_FUSED_ATTENTION, MODEL_SESSION_OPTION_KEYS, type ModelSessionOptions } from "./model-session-options.js";

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
  const precision = weightPrecisionOf(options.dtype);
  const dtype = options.dtype ?? "fp32";
  const fused = options.fused ?? DEFAULT_FUSED_ATTENTION;
  const cacheKey = options.cache === false ? undefined : `${dir}|threads=${options.threads ?? "all"}|fused=${fused}|dtype=${dtype}|spinning=${options.spinning !== false}${options.device === undefined || options.device === "cpu" ? "" : `|device=${options.device}`}`;
  const onnx = await onnxExportIn(dir, dtype);
  if (onnx !== undefined || architecture === undefined) {
    const path = onnx ?? join(dir, "onnx", onnxExportFileFor(dtype));
    const t0 = performance.now();
    // By path: ORT resolves the export's external data (model.onnx_data) next to it.
    const session = await createSession(path, { threads: options.threads, device: options.device, cacheKey, name: path, spinning: options.spinning });
    return new AudioClassificationModel(config, session, labels, dir, {
      unusedWeights: [],
      timings: { weightsMs: 0, buildMs: 0, sessionMs: performance.now() - t0 },
      source: "onnx",
      dtype,
    }, undefined, memoryLimit);
  }
  const cached = cacheKey === undefined ? undefined : getCachedSession(cacheKey);
  if (cached !== undefined) {
    const t0 = performance.now();
    const session = await cached;
    const report = { unusedWeights: [], timings: { weightsMs: 0, buildMs: 0, sessionMs: performance.now() - t0 }, source: "checkpoint" as const, dtype };
    return new AudioClassificationModel(config, session, labels, dir, report, architecture, memoryLimit);
  }
  const built = await buildGraph(dir, config, architecture, { ...options, fused });
  let graph = built.graph;
  let precisionOptions = {};
  let convertedWeights: LoadReport["convertedWeights"];
  let convertMs = 0;
  if (precision !== "fp32") {
    const t0 = performance.now();
    const cacheDir = options.weightsCacheDir ?? audioclassCacheDir(options.env);
    const reduced = await reducedPrecisionGraph(dir, graph, precision, { cacheDir });
    graph = reduced.graph;
    precisionOptions = reduced.sessionOptions;
    convertedWeights = { cache: reduced.cache, file: reduced.cacheFile, keptFloat: reduced.keptFloat };
    convertMs = performance.now() - t0;
  }
  const t0 = performance.now();
  const session = await createSession(graph, { threads: options.threads, device: options.device, cacheKey, name: `${config.modelType} (${dir})`, weightsInPlace: options.weightsInPlace, spinning: options.spinning, ...precisionOptions });
  releaseWeights(graph);
  return new AudioClassificationModel(config, session, labels, dir, {
    unusedWeights: built.unusedWeights,
    timings: { weightsMs: built.weightsMs, buildMs: built.buildMs + convertMs, sessionMs: performance.now() - t0 },
    source: "checkpoint",
    dtype,
    ...(convertedWeights ? { convertedWeights } : {}),
  }, architecture, memoryLimit);
}

/**
 * onnxruntime holds its own copy of the weights now; free whatever of ours was read into memory
 * at once rather than at the next major GC (else it stays resident through the first runs).
 * Weights still in their file are left unread.
 */
function releaseWeights(graph: GraphModel): void {
  for (const tensor of graph.initializers.values() as Iterable<GraphTensor>) {
    if (tensor instanceof FileBackedTensor || tensor instanceof FileBackedHalfTensor) {
      const data = tensor.unload();
      if (data !== undefined) releaseArrayBuffer(data.buffer);
    } else {
      releaseArrayBuffer(tensor.data.buffer);
    }
  }
}
