/**
 * AutoFeatureExtractor: picks the extractor class from `feature_extractor_type` in
 * preprocessor_config.json — or, when that key is missing, from config.json's `model_type`, as
 * transformers does (its table lives in models/auto too). The extractors live in features/, which
 * sits below models/ and so cannot know the families; this class hands the family registry's
 * `featureExtractorTypeFor` down to features' builders.
 */
import {
  type FeatureExtractor,
  type FromConfigOptions,
  type LoadFeatureExtractorOptions,
  featureExtractorFromConfig,
  loadFeatureExtractor,
} from "../features/index.js";
import type { HubOptions } from "../hub/index.js";
import { featureExtractorTypeFor } from "./registry.js";

export class AutoFeatureExtractor {
  private constructor() {}

  /** Builds the extractor a preprocessor config object describes (`modelType` when it names no type). */
  static fromConfig(config: Record<string, unknown>, options: Omit<FromConfigOptions, "extractorTypeFor"> = {}): FeatureExtractor {
    return featureExtractorFromConfig(config, { ...options, extractorTypeFor: featureExtractorTypeFor });
  }

  /**
   * Reads `<dir>/preprocessor_config.json` (or the JSON file `path` itself) and builds the
   * extractor. `path` may also be a Hugging Face id ("org/name", "org/name@revision"), found in
   * the cache or downloaded (only the two config files). Node only (it reads the file system).
   */
  static fromPretrained(path: string, options: HubOptions = {}): Promise<FeatureExtractor> {
    return loadFeatureExtractor(path, { ...(options as LoadFeatureExtractorOptions), extractorTypeFor: featureExtractorTypeFor });
  }
}
