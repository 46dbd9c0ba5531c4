/**
 * Builds the feature extractor a preprocessor config names by `feature_extractor_type`
 * (featureExtractorFromConfig); load-feature-extractor.ts reads it from a checkpoint folder (Node).
 *
 * When a config names no type, transformers falls back on config.json's `model_type`. Which
 * extractor a model type pairs with is a fact about the model family, and models/ sits above
 * features/ in the layer table, so this layer does not know it: the caller passes
 * `extractorTypeFor(modelType)`. The public AutoFeatureExtractor (models/auto-feature-extractor.ts)
 * passes the family registry's answer; without one, a config with no type is an error naming the
 * key to add.
 */
import { describeValue } from "../errors.js";
import { ASTFeatureExtractor } from "./ast-feature-extractor.js";
import { ClapFeatureExtractor } from "./clap-feature-extractor.js";
import { FeatureExtractorConfigError, UnsupportedFeatureExtractorError } from "./errors.js";
import type { FeatureExtractor } from "./feature-extractor.js";
import { SeamlessM4TFeatureExtractor } from "./seamless-m4t-feature-extractor.js";
import { Wav2Vec2FeatureExtractor } from "./wav2vec2-feature-extractor.js";
import { WhisperFeatureExtractor } from "./whisper-feature-extractor.js";

type ExtractorConstructor = new (config: Record<string, unknown>, source: string) => FeatureExtractor;

const EXTRACTORS: Readonly<Record<string, ExtractorConstructor>> = {
  ASTFeatureExtractor,
  Wav2Vec2FeatureExtractor,
  WhisperFeatureExtractor,
  ClapFeatureExtractor,
  SeamlessM4TFeatureExtractor,
};

/** The feature_extractor_type values audioclass implements. */
export const SUPPORTED_FEATURE_EXTRACTORS: readonly string[] = Object.freeze(Object.keys(EXTRACTORS));

/** The feature_extractor_type a model family pairs with its model_type (undefined: unknown type). */
export type ExtractorTypeForModel = (modelType: string) => string | undefined;

export interface FromConfigOptions {
  /** config.json's model_type, used when the config has no feature_extractor_type. */
  modelType?: string;
  /** Maps modelType to an extractor type (the family registry's knowledge, passed down). */
  extractorTypeFor?: ExtractorTypeForModel;
  /** Names the config in error messages (default "feature extractor config"). */
  source?: string;
}

/** Builds the extractor a preprocessor config object describes. */
export function featureExtractorFromConfig(config: Record<string, unknown>, options: FromConfigOptions = {}): FeatureExtractor {
  const source = options.source ?? "feature extractor config";
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new FeatureExtractorConfigError(`${source}: expected a JSON object, got ${describeValue(config)}`);
  }
  let type = config["feature_extractor_type"];
  if (type === undefined || type === null) {
    const fromModel = options.modelType === undefined ? undefined : options.extractorTypeFor?.(options.modelType);
    if (fromModel === undefined) {
      const hint =
        options.modelType === undefined
          ? "and no model_type to infer it from"
          : `and model_type ${JSON.stringify(options.modelType)} has no known feature extractor`;
      throw new FeatureExtractorConfigError(
        `${source}: no "feature_extractor_type" ${hint}; add "feature_extractor_type" (one of ${SUPPORTED_FEATURE_EXTRACTORS.join(", ")})`,
      );
    }
    type = fromModel;
  }
  if (typeof type !== "string") {
    throw new FeatureExtractorConfigError(`${source}: "feature_extractor_type" must be a string, got ${describeValue(type)}`);
  }
  const Extractor = EXTRACTORS[type];
  if (Extractor === undefined) throw new UnsupportedFeatureExtractorError(type, SUPPORTED_FEATURE_EXTRACTORS, source);
  return new Extractor(config, source);
}
