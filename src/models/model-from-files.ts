/**
 * An audio-classification model from files read into memory (hub/model-files.ts) — what browsers
 * load over HTTP. The same graph code as Node's loader (load-model.ts) builds it from
 * model.safetensors; a transformers.js-style export (onnx/model.onnx, no safetensors) runs as it
 * is. Unlike Node there is no file for ONNX Runtime to read weights from in place and no disk
 * cache of converted weights: "q8" / "fp16" are converted at each load.
 */
import type { GraphTensor } from "../graph/dtype.js";
import type { GraphModel } from "../graph/ir.js";
import { readTextFile, type ModelFiles } from "../hub/model-files.js";
import { Weights } from "../nn/weights.js";
import { maxMemoryBytes } from "../runtime/memory-limit.js";
import { weightPrecisionOf } from "../runtime/model-dtype.js";
import { createSession } from "../runtime/session.js";
import { lowerWeightPrecision, precisionSessionOptions } from "../runtime/weight-precision-pass.js";
import { SafetensorsFile } from "../weights/safetensors-file.js";
import { WeightMap } from "../weights/weight-map.js";
import { AudioClassificationModel } from "./audio-classification-model.js";
import { ModelFileNotFoundError } from "./errors.js";
import { ModelConfig } from "./model-config.js";
import { DEFAULT_FUSED_ATTENTION, type ModelSessionOptions } from "./model-session-options.js";
import { onnxExportFileFor } from "./onnx-export-names.js";
import { architectureFor } from "./registry.js";
import { keepsFloatWeights } from "./weight-precision-policy.js";

/** A model file as a name → bytes; ModelFileNotFoundError naming the URL when it is absent. */
export async function requireFile(files: ModelFiles, name: string, why: string): Promise<Uint8Array> {
  const bytes = await files.get(name);
  if (bytes === undefined) throw new ModelFileNotFoundError(`${files.location}${name}`, `${files.location}${name} is missing: ${why}`);
  return bytes;
}

/** config.json of the model, parsed and validated. */
export async function modelConfigFromFiles(files: ModelFiles): Promise<ModelConfig> {
  const text = await readTextFile(files, "config.json");
  if (text === undefined) {
    throw new ModelFileNotFoundError(`${files.location}config.json`, `no config.json at ${files.location}: is it a Hugging Face model folder (or a hub id)?`);
  }
  return ModelConfig.fromJsonText(text, `${files.location}config.json`);
}

export async function audioClassificationModelFromFiles(files: ModelFiles, options: ModelSessionOptions = {}): Promise<AudioClassificationModel> {
  const config = await modelConfigFromFiles(files);
  const labels = config.labels();
  const memoryLimit = maxMemoryBytes(options.maxMemoryMB);
  const precision = weightPrecisionOf(options.dtype);
  const dtype = options.dtype ?? "fp32";
  const fused = options.fused ?? DEFAULT_FUSED_ATTENTION;
  const dir = files.location;
  const cacheKey = options.cache === false ? undefined : `${dir}|threads=${options.threads ?? "all"}|fused=${fused}|dtype=${dtype}|device=${options.device ?? "cpu"}`;
  const sessionBase = { threads: options.threads, device: options.device, cacheKey, spinning: options.spinning };

  const t0 = performance.now();
  const safetensors = await files.get("model.safetensors");
  if (safetensors === undefined) {
    // No checkpoint: a transformers.js export, in the file this dtype loads.
    const name = `onnx/${onnxExportFileFor(dtype)}`;
    const onnx = await requireFile(files, name, `the model has neither model.safetensors nor the ONNX export ${name} (dtype "${dtype}")`);
    const t1 = performance.now();
    const session = await createSession(onnx, { ...sessionBase, name: `${dir}${name}` });
    return new AudioClassificationModel(config, session, labels, dir, {
      unusedWeights: [],
      timings: { weightsMs: t1 - t0, buildMs: 0, sessionMs: performance.now() - t1 },
      source: "onnx",
      dtype,
    }, undefined, memoryLimit);
  }

  const architecture = architectureFor(config);
  const map = new WeightMap(SafetensorsFile.fromBytes(safetensors, `${dir}model.safetensors`), {
    basePrefix: architecture.basePrefix(config),
    modelHasBasePrefix: true,
    weightNorm: "fold",
  });
  const tensors = new Map<string, GraphTensor>(map.names().map((name) => [name, map.getTensor(name)]));
  const t1 = performance.now();
  const weights = Weights.from(tensors);
  let graph: GraphModel = architecture.build(config, weights, { ...options, fused });
  let precisionOptions = {};
  let keptFloat: readonly string[] | undefined;
  if (precision !== "fp32") {
    const lowered = lowerWeightPrecision(graph, { precision, keepFloat: keepsFloatWeights });
    graph = lowered.model;
    precisionOptions = precisionSessionOptions(lowered);
    keptFloat = lowered.keptFloat;
  }
  const t2 = performance.now();
  const session = await createSession(graph, { ...sessionBase, name: `${config.modelType} (${dir})`, ...precisionOptions });
  return new AudioClassificationModel(config, session, labels, dir, {
    unusedWeights: weights.unusedNames(),
    timings: { weightsMs: t1 - t0, buildMs: t2 - t1, sessionMs: performance.now() - t2 },
    source: "checkpoint",
    dtype,
    ...(keptFloat !== undefined ? { convertedWeights: { cache: "off" as const, keptFloat } } : {}),
  }, architecture, memoryLimit);
}
