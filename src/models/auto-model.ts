/**
 * AutoModelForAudioClassification.fromPretrained(ref): a folder, a Hugging Face id
 * ("org/name", "org/name@revision"), a cached snapshot or (in browsers) a URL → a ready model, the
 * architecture chosen by config.json's model_type. Where the files come from is the platform's
 * (pretrained-loaders.ts).
 */
import { HUB_OPTION_KEYS, type HubOptions } from "../hub/hub-option-names.js";
import { checkDevice } from "../runtime/device.js";
import { weightPrecisionOf } from "../runtime/model-dtype.js";
import type { AudioClassificationModel } from "./audio-classification-model.js";
import { MODEL_SESSION_OPTION_KEYS, type ModelSessionOptions } from "./model-session-options.js";
import { pretrainedLoaders } from "./pretrained-loaders.js";

export interface FromPretrainedOptions extends ModelSessionOptions, HubOptions {}

/** Every FromPretrainedOptions key, for callers that reject unknown options. */
export const FROM_PRETRAINED_OPTION_KEYS: readonly string[] = [...MODEL_SESSION_OPTION_KEYS, ...HUB_OPTION_KEYS];


export class AutoModelForAudioClassification {
  static async fromPretrained(ref: string, options: FromPretrainedOptions = {}): Promise<AudioClassificationModel> {
    weightPrecisionOf(options.dtype); // an unknown dtype or device fails before anything is downloaded
    checkDevice(options.device);
    return pretrainedLoaders().audioClassificationModel(ref, options);
  }
}
