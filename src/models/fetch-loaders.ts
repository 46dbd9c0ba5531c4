/**
 * The browser's model loaders (see pretrained-loaders.ts): a reference is a hub id, fetched from
 * `{endpoint}/{id}/resolve/{revision}/{file}`, or the URL of a folder of model files (e.g. one the
 * page serves itself); files go through hub/fetch-model-files.ts (fetch + Cache Storage). Models
 * are built from model.safetensors by the same graph code as in Node (model-from-files.ts).
 * Nothing here touches the file system, so this file and what it imports bundle for browsers.
 */
import { featureExtractorFromConfig } from "../features/auto-feature-extractor.js";
import { FeatureExtractorConfigError } from "../features/errors.js";
import { FetchModelFiles, type FetchModelFilesOptions } from "../hub/fetch-model-files.js";
import type { HubOptions } from "../hub/hub-option-names.js";
import { readJsonFile } from "../hub/model-files.js";
import type { GraphTensor } from "../graph/dtype.js";
import { lowerWeightPrecision, precisionSessionOptions } from "../runtime/weight-precision-pass.js";
import { TextTokenizer } from "../text/tokenizer.js";
import { SafetensorsFile } from "../weights/safetensors-file.js";
import { WeightMap } from "../weights/weight-map.js";
import { ClapModel, audioInputFromPreprocessor } from "./clap/clap-model.js";
import { readClapSettings } from "./clap/clap-config.js";
import { audioClassificationModelFromFiles, modelConfigFromFiles, requireFile } from "./model-from-files.js";
import type { PretrainedLoaders } from "./pretrained-loaders.js";
import { featureExtractorTypeFor } from "./registry.js";
import { keepsFloatWeights } from "./weight-precision-policy.js";

export interface FetchLoaderSettings {
  /** What `pipeline("audio-classification")` loads when no model is named (a URL or hub id); default none. */
  defaultModel?: string;
}

/** HubOptions as fetch options: the ones that mean something without a file system. */
function fetchOptions(options: HubOptions): FetchModelFilesOptions {
  return {
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.revision !== undefined && { revision: options.revision }),
    ...(typeof options.token === "string" && { token: options.token }),
    ...(options.browserCache !== undefined && { cache: options.browserCache }),
  };
}

export function fetchLoaders(settings: FetchLoaderSettings = {}): PretrainedLoaders {
  const filesOf = (ref: string, options: HubOptions) => new FetchModelFiles(ref, fetchOptions(options));
  return {
    platform: "browser",

    async locate(ref, options) {
      return filesOf(ref, options).location;
    },

    audioClassificationModel(ref, options) {
      return audioClassificationModelFromFiles(filesOf(ref, options), options);
    },

    async featureExtractor(ref, options) {
      const files = filesOf(ref, options);
      const source = `${files.location}preprocessor_config.json`;
      const config = await readJsonFile(files, "preprocessor_config.json");
      if (config === undefined) throw new FeatureExtractorConfigError(`no preprocessor_config.json at ${files.location}; is it a Hugging Face audio model?`);
      let modelType: string | undefined;
      if (config["feature_extractor_type"] === undefined || config["feature_extractor_type"] === null) {
        const mt = (await readJsonFile(files, "config.json"))?.["model_type"];
        if (typeof mt === "string") modelType = mt;
      }
      return featureExtractorFromConfig(config, { source, modelType, extractorTypeFor: featureExtractorTypeFor });
    },

    async clapModel(ref, options) {
      const files = filesOf(ref, options);
      const config = await modelConfigFromFiles(files);
      const settings = readClapSettings(config);
      const preprocessor = "preprocessor_config.json";
      const audioInput = options.audioInput ?? audioInputFromPreprocessor(await readJsonFile(files, preprocessor), `${files.location}${preprocessor}`, settings);
      const t0 = performance.now();
      const bytes = await requireFile(files, "model.safetensors", "CLAP models load from model.safetensors in browsers");
      // A WeightMap, as Node's loadWeights: the same checkpoint-key normalisation.
      const map = new WeightMap(SafetensorsFile.fromBytes(bytes, `${files.location}model.safetensors`));
      const tensors = new Map<string, GraphTensor>(map.names().map((name) => [name, map.getTensor(name) as GraphTensor]));
      // No disk here: converted weights are made at each load.
      const reducePrecision = async (graph: Parameters<typeof lowerWeightPrecision>[0], precision: Parameters<typeof lowerWeightPrecision>[1]["precision"]) => {
        const lowered = lowerWeightPrecision(graph, { precision, keepFloat: keepsFloatWeights });
        return { graph: lowered.model, sessionOptions: precisionSessionOptions(lowered) };
      };
      return ClapModel.fromTensors(config, settings, files.location, tensors, audioInput, options, reducePrecision, performance.now() - t0);
    },

    tokenizer(ref, options) {
      return TextTokenizer.fromFileSource(filesOf(ref, options));
    },

    bundledDefaultModel() {
      return settings.defaultModel;
    },
  };
}
