/**
 * Node's model loaders (see pretrained-loaders.ts): a reference is a folder, or a hub id served
 * from the Hugging Face cache or downloaded into it; files are read from the folder, large
 * safetensors weights by ONNX Runtime in place, and "q8" / "fp16" weights converted once and kept
 * in audioclass's cache.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadFeatureExtractor } from "../features/load-feature-extractor.js";
import type { GraphTensor } from "../graph/index.js";
import { audioclassCacheDir, modelFileSelector, resolveModel } from "../hub/index.js";
import { TextTokenizer } from "../text/index.js";
import { loadWeights } from "../weights/index.js";
import { ClapModel, audioInputFromPreprocessor } from "./clap/clap-model.js";
import { readClapSettings } from "./clap/clap-config.js";
import { reducedPrecisionGraph } from "./converted-weights-cache.js";
import { ModelConfigError } from "./errors.js";
import { loadAudioClassificationModel } from "./load-model.js";
import { ModelConfig } from "./model-config.js";
import { onnxExportFileFor, onnxExportIn } from "./onnx-export-files.js";
import type { PretrainedLoaders } from "./pretrained-loaders.js";
import { architectureFor, featureExtractorTypeFor } from "./registry.js";

async function readPreprocessorConfig(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ModelConfigError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

export const folderLoaders: PretrainedLoaders = {
  platform: "node",

  async locate(ref, options) {
    return (await resolveModel(ref, options)).dir;
  },

  async audioClassificationModel(ref, options) {
    // A transformers.js export is fetched in the file this dtype loads (model_quantized.onnx for q8).
    const { dir } = await resolveModel(ref, { ...options, files: options.files ?? modelFileSelector(onnxExportFileFor(options.dtype)) });
    const config = await ModelConfig.fromFile(join(dir, "config.json"));
    // A transformers.js export runs whatever its graph is; otherwise we must know how to build it.
    const architecture = (await onnxExportIn(dir, options.dtype)) !== undefined ? undefined : architectureFor(config);
    return loadAudioClassificationModel(dir, config, architecture, options);
  },

  featureExtractor(ref, options) {
    return loadFeatureExtractor(ref, { ...options, extractorTypeFor: featureExtractorTypeFor });
  },

  async clapModel(ref, options) {
    const { dir } = await resolveModel(ref, options);
    const config = await ModelConfig.fromFile(join(dir, "config.json"));
    const settings = readClapSettings(config);
    const preprocessor = join(dir, "preprocessor_config.json");
    const audioInput = options.audioInput ?? audioInputFromPreprocessor(await readPreprocessorConfig(preprocessor), preprocessor, settings);
    const t0 = performance.now();
    const map = await loadWeights(dir);
    let tensors: Map<string, GraphTensor>;
    try {
      tensors = new Map(map.names().map((name) => [name, map.getTensor(name) as GraphTensor]));
    } finally {
      map.source.close();
    }
    const reducePrecision = async (graph: Parameters<typeof reducedPrecisionGraph>[1], precision: Parameters<typeof reducedPrecisionGraph>[2]) => {
      const reduced = await reducedPrecisionGraph(dir, graph, precision, { cacheDir: options.weightsCacheDir ?? audioclassCacheDir(options.env) });
      return { graph: reduced.graph, sessionOptions: reduced.sessionOptions };
    };
    return ClapModel.fromTensors(config, settings, dir, tensors, audioInput, options, reducePrecision, performance.now() - t0);
  },

  tokenizer(ref) {
    return TextTokenizer.fromPretrained(ref);
  },

  bundledDefaultModel() {
    const dir = fileURLToPath(new URL("../../models/default/", import.meta.url));
    return existsSync(`${dir}config.json`) ? dir : undefined;
  },
};
