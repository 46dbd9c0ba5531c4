/**
 * Builds the feature extractor a preprocessor config names by `feature_extractor_type`
 * (featureExtractorFromConfig), or reads it from a checkpoint folder (loadFeatureExtractor).
 *
 * When a config names no type, transformers falls back on config.json's `model_type`. Which
 * extractor a model type pairs with is a fact about the model family, and models/ sits above
 * features/ in the layer table, so this layer does not know it: the caller passes
 * `extractorTypeFor(modelType)`. The public AutoFeatureExtractor (models/auto-feature-extractor.ts)
 * passes the family registry's answer; without one, a config with no type is an error naming the
 * key to add.
 */
import { resolveModel, type HubOptions } from "../hub/index.js";
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

export interface LoadFeatureExtractorOptions extends HubOptions {
  extractorTypeFor?: ExtractorTypeForModel;
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

/**
 * Reads `<dir>/preprocessor_config.json` (or the JSON file `path` itself) and builds the
 * extractor. `path` may also be a Hugging Face id ("org/name", "org/name@revision"), found in
 * the cache or downloaded (only the two config files). Node only (it reads the file system).
 */
export async function loadFeatureExtractor(path: string, options: LoadFeatureExtractorOptions = {}): Promise<FeatureExtractor> {
  if (typeof path !== "string" || path.length === 0) {
    throw new FeatureExtractorConfigError(`fromPretrained needs a checkpoint folder or model id, got ${describeValue(path)}`);
  }
  const { extractorTypeFor, ...hub } = options;
  const fs = await import("node:fs/promises");
  const { join } = await import("node:path");
  const stat = await fs.stat(path).catch(() => undefined);
  let dir: string;
  let file: string;
  if (stat?.isFile()) {
    file = path;
    dir = join(path, "..");
  } else {
    const configFiles = (available: readonly string[]) => available.filter((f) => f === "preprocessor_config.json" || f === "config.json");
    dir = stat?.isDirectory() ? path : (await resolveModel(path, { files: configFiles, ...hub })).dir;
    file = join(dir, "preprocessor_config.json");
  }
  const config = await readJsonObject(fs, file, `no preprocessor_config.json in ${JSON.stringify(dir)}; is it a Hugging Face audio checkpoint folder?`);
  let modelType: string | undefined;
  if (config["feature_extractor_type"] === undefined || config["feature_extractor_type"] === null) {
    const modelConfig = await readJsonObject(fs, join(dir, "config.json"), null).catch(() => null);
    const mt = modelConfig?.["model_type"];
    if (typeof mt === "string") modelType = mt;
  }
  return featureExtractorFromConfig(config, { source: file, modelType, extractorTypeFor });
}

async function readJsonObject(
  fs: typeof import("node:fs/promises"),
  file: string,
  missingMessage: string | null,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === "ENOENT" && missingMessage !== null) throw new FeatureExtractorConfigError(missingMessage, { cause });
    throw new FeatureExtractorConfigError(`cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new FeatureExtractorConfigError(`${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new FeatureExtractorConfigError(`${file} must hold a JSON object, got ${describeValue(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}
