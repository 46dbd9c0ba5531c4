// The Whisper family (WhisperForAudioClassification: the Whisper encoder with a classification head).
import type { AudioClassificationArchitecture } from "../architecture.js";
import { WHISPER_ENCODER_PREFIX, buildWhisper } from "./whisper-architecture.js";
import { checkWhisperInputs } from "./whisper-inputs.js";

/** The architecture, plus an input check that gives clear errors before ONNX Runtime sees the features. */
export const whisperArchitecture: AudioClassificationArchitecture & { readonly checkInputs: typeof checkWhisperInputs } = {
  name: "Whisper (audio classification)",
  modelTypes: ["whisper"],
  basePrefix: () => WHISPER_ENCODER_PREFIX,
  build: buildWhisper,
  /** Throws a ModelInputError when features do not fit the model (call before session.run). */
  checkInputs: checkWhisperInputs,
};

export { WHISPER_ENCODER_PREFIX, buildWhisper } from "./whisper-architecture.js";
export { readWhisperSettings, WHISPER_FRAMES_PER_POSITION, type WhisperSettings } from "./whisper-config.js";
export { whisperEncoder, type WhisperEncoderOutput } from "./whisper-encoder.js";
export { checkWhisperInputs } from "./whisper-inputs.js";
