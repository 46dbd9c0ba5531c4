/**
 * Node: the feature extractor of a checkpoint folder, a preprocessor_config.json file, or a hub id
 * (found in the Hugging Face cache or downloaded). Browsers read the same files over HTTP
 * (models/fetch-loaders.ts) and build the extractor with featureExtractorFromConfig.
 */
import { resolveModel, type HubOptions } from "../hub/index.js";
import { describeValue } from "../errors.js";
import { type ExtractorTypeForModel, featureExtractorFromConfig } from "./auto-feature-extractor.js";
import { FeatureExtractorConfigError } from "./errors.js";
import type { FeatureExtractor } from "./feature-extractor.js";

export interface LoadFeatureExtractorOptions extends HubOptions {
  extractorTypeFor?: ExtractorTypeForModel;
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
