// audioclass for browsers: the package's "browser" entry. The same pipelines, feature extractors,
// decoders and model graphs as Node's entry (src/index.ts), wired to the browser's platform:
// onnxruntime-web (WASM; WebGPU with device: "webgpu") and model files fetched from a hub id or
// a URL (Cache Storage keeps them). Nothing reachable from here imports node:* — test/web/
// browser-bundle.test.ts bundles this file and checks.
import { useInferenceBackend } from "./runtime/backend.js";
import { configureWebBackend, webInferenceBackend, type WebBackendSettings } from "./runtime/web-backend.js";
import { fetchLoaders } from "./models/fetch-loaders.js";
import { installPretrainedLoaders } from "./models/pretrained-loaders.js";

useInferenceBackend(webInferenceBackend);
installPretrainedLoaders(fetchLoaders());

export interface BrowserSettings extends WebBackendSettings {
  /** What pipeline("audio-classification") loads when no model is named: a model folder's URL or a hub id. */
  defaultModel?: string;
}

/** Where ORT's WASM files are, WASM threads, the default model; call before the first model loads. */
export function configure(settings: BrowserSettings): void {
  const { defaultModel, ...web } = settings;
  configureWebBackend(web);
  if (defaultModel !== undefined) installPretrainedLoaders(fetchLoaders({ defaultModel }));
}

export { AudioclassError, ConfigError, InvalidArgumentError } from "./errors.js";
export type { Tensor, TensorType, TensorDataMap } from "./tensor.js";
export { tensor, numel } from "./tensor.js";
export { pipeline, bundledDefaultModel, SUPPORTED_TASKS, DEFAULT_ZERO_SHOT_MODEL, type Task } from "./pipelines/pipeline.js";
export type { AudioClassifier, AudioClassificationPipelineOptions } from "./pipelines/audio-classification.js";
export type { ZeroShotAudioClassificationPipeline, ZeroShotAudioClassificationOptions } from "./pipelines/zero-shot-audio-classification.js";
export type { LabelScore } from "./pipelines/classification-scores.js";
export { AutoModelForAudioClassification, type FromPretrainedOptions } from "./models/auto-model.js";
export { AutoFeatureExtractor } from "./models/auto-feature-extractor.js";
export { ClapModel } from "./models/clap/clap-model.js";
export { featureExtractorFromConfig } from "./features/auto-feature-extractor.js";
export { readAudio } from "./audio/read-audio.js";
export { decodeAudio } from "./audio/decode-audio.js";
export { decodeWav } from "./audio/wav.js";
export { resample } from "./audio/resample.js";
export { DEVICES, type Device } from "./runtime/device.js";
export { FetchModelFiles, hubFileUrl, DEFAULT_HUB_ENDPOINT } from "./hub/fetch-model-files.js";
