/**
 * Every parameter of a WhisperForAudioClassification with its Hugging Face name and shape, from a
 * config.json object (transformers' WhisperConfig defaults apply to missing keys): src/models'
 * list, taking the plain object tests write into config.json.
 */
import { ModelConfig, type ParameterSpec } from "../../../src/models/index.js";
import { whisperParameters as srcWhisperParameters } from "../../../src/models/whisper/index.js";

export function whisperParameters(config: Readonly<Record<string, unknown>>): ParameterSpec[] {
  return srcWhisperParameters(new ModelConfig(config));
}
