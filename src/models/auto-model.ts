/**
 * AutoModelForAudioClassification.fromPretrained(ref): a folder, a Hugging Face id
 * ("org/name", "org/name@revision") or a cached snapshot → a ready model, the architecture
 * chosen by config.json's model_type.
 */
import { join } from "node:path";
import { HUB_OPTION_KEYS, modelFileSelector, resolveModel, type HubOptions } from "../hub/index.js";
import { weightPrecisionOf } from "../runtime/index.js";
import type { AudioClassificationModel } from "./audio-classification-model.js";
import { MODEL_SESSION_OPTION_KEYS, loadAudioClassificationModel, type ModelSessionOptions } from "./load-model.js";
import { onnxExportFileFor, onnxExportIn } from "./onnx-export-files.js";
import { ModelConfig } from "./model-config.js";
import { architectureFor } from "./registry.js";

export interface FromPretrainedOptions extends ModelSessionOptions, HubOptions {}

/** Every FromPretrainedOptions key, for callers that reject unknown options. */
export const FROM_PRETRAINED_OPTION_KEYS: readonly string[] = [...MODEL_SESSION_OPTION_KEYS, ...HUB_OPTION_KEYS];

export class AutoModelForAudioClassification {
  static async fromPretrained(ref: string, options: FromPretrainedOptions = {}): Promise<AudioClassificationModel> {
    weightPrecisionOf(options.dtype); // an unknown dtype fails before anything is downloaded
    // A transformers.js export is fetched in the file this dtype loads (model_quantized.onnx for q8).
    const { dir } = await resolveModel(ref, { ...options, files: options.files ?? modelFileSelector(onnxExportFileFor(options.dtype)) });
    const config = await ModelConfig.fromFile(join(dir, "config.json"));
    // A transformers.js export runs whatever its graph is; otherwise we must know how to build it.
    const architecture = (await onnxExportIn(dir, options.dtype)) !== undefined ? undefined : architectureFor(config);
    return loadAudioClassificationModel(dir, config, architecture, options);
  }
}
