/**
 * The platform seam of `fromPretrained`: how a model reference becomes files, and files become a
 * model, extractor or tokenizer. Node's loaders (folder-loaders.ts) read folders, the Hugging Face
 * cache and downloads; the browser's (fetch-loaders.ts, through hub/fetch-model-files.ts) read a
 * Hugging Face-style URL through fetch and Cache Storage. AutoModelForAudioClassification,
 * AutoFeatureExtractor, ClapModel and pipeline() call whichever the entry point installed, so the
 * same code runs on both.
 */
import type { FeatureExtractor } from "../features/feature-extractor.js";
import type { HubOptions } from "../hub/hub-option-names.js";
import type { TextTokenizer } from "../text/tokenizer.js";
import type { AudioClassificationModel } from "./audio-classification-model.js";
import type { ClapLoadOptions, ClapModel } from "./clap/clap-model.js";
import { NoModelLoaderError } from "./errors.js";
import type { ModelSessionOptions } from "./model-session-options.js";

export interface PretrainedLoaders {
  /** "node" or "browser", for messages. */
  readonly platform: string;
  /** Where a reference's files are (a folder, or a base URL), fetching what is needed to know. */
  locate(ref: string, options: HubOptions): Promise<string>;
  audioClassificationModel(ref: string, options: ModelSessionOptions & HubOptions): Promise<AudioClassificationModel>;
  featureExtractor(ref: string, options: HubOptions): Promise<FeatureExtractor>;
  clapModel(ref: string, options: ClapLoadOptions): Promise<ClapModel>;
  tokenizer(ref: string, options: HubOptions): Promise<TextTokenizer>;
  /** The model bundled with audioclass (models/default), undefined when this installation has none. */
  bundledDefaultModel(): string | undefined;
}

let installed: PretrainedLoaders | undefined;

/** Installs the platform's loaders (Node's entry points and the browser entry do this). */
export function installPretrainedLoaders(loaders: PretrainedLoaders): void {
  installed = loaders;
}

export function pretrainedLoaders(): PretrainedLoaders {
  if (installed !== undefined) return installed;
  throw new NoModelLoaderError(
    "no model loader is installed: import audioclass through its entry point (\"audioclass\" in Node reads folders and the Hugging Face cache; " +
      "its browser entry fetches from the hub) rather than a file inside the package",
  );
}

/** Whether loaders are installed (Node's wiring installs its own only when none are). */
export function hasPretrainedLoaders(): boolean {
  return installed !== undefined;
}
