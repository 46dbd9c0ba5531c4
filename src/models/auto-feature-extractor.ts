/**
 * AutoFeatureExtractor: picks the extractor class from `feature_extractor_type` in
 * preprocessor_config.json — or, when that key is missing, from config.json's `model_type`, as
 * transformers does (its table lives in models/auto too). The extractors live in features/, which
 * sits below models/ and so cannot know the families; this class hands the family registry's
 * `featureExtractorTypeFor` down to features' builders.
 */
import { type FromConfigOptions, featureExtractorFromConfig } from "../features/auto-feature-extractor.js";
import type { FeatureExtractor } from "../features/feature-extractor.js";
import type { HubOptions } from "../hub/hub-option-names.js";
import { pretrainedLoaders } from "./pretrained-loaders.js";
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
   * the cache or downloaded (only the two config files) — or, in browsers, a URL of a model folder.
   */
  static fromPretrained(path: string, options: HubOptions = {}): Promise<FeatureExtractor> {
    return pretrainedLoaders().featureExtractor(path, options);
  }
}
