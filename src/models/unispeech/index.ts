// UniSpeech and UniSpeechSat for sequence classification: wav2vec2's architecture under their own
// names (UniSpeechForSequenceClassification, UniSpeechSatForSequenceClassification).
import type { AudioClassificationArchitecture } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";
import { wav2vec2StyleFamily } from "../speech-encoder/index.js";
import { readUniSpeechConfig } from "./unispeech-config.js";
import { uniSpeechHeadParameters, uniSpeechParameters } from "./unispeech-parameters.js";

function family(name: string, modelType: string, architectureClass: string, prefix: string): AudioClassificationArchitecture {
  return wav2vec2StyleFamily({
    name,
    modelType,
    architectureClass,
    prefix,
    readConfig: readUniSpeechConfig,
    parameters: (config: ModelConfig) => uniSpeechParameters(config, prefix),
    headParameters: uniSpeechHeadParameters,
    // UniSpeech(Sat)Model passes the attention mask to _mask_hidden_states, as wav2vec2 does.
    maskTimeOverValidFrames: true,
  });
}

/** UniSpeechForSequenceClassification (model_type "unispeech"). */
export const uniSpeechArchitecture = family("UniSpeech", "unispeech", "UniSpeechForSequenceClassification", "unispeech");
/** UniSpeechSatForSequenceClassification (model_type "unispeech-sat"). */
export const uniSpeechSatArchitecture = family("UniSpeechSat", "unispeech-sat", "UniSpeechSatForSequenceClassification", "unispeech_sat");

export { readUniSpeechConfig } from "./unispeech-config.js";
export { uniSpeechParameters, uniSpeechHeadParameters } from "./unispeech-parameters.js";
