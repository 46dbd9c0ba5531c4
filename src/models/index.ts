// models/: architectures built from Hugging Face checkpoints, chosen by config.json's model_type.
export { AutoModelForAudioClassification, type FromPretrainedOptions } from "./auto-model.js";
export { AudioClassificationModel, type LoadReport } from "./audio-classification-model.js";
export { ModelConfig } from "./model-config.js";
export type { AudioClassificationArchitecture, ArchitectureBuildOptions } from "./architecture.js";
export { architectureFor, supportedModelTypes } from "./registry.js";
export { loadAudioClassificationModel, buildGraph, type ModelSessionOptions } from "./load-model.js";
export { ModelConfigError, UnsupportedModelError, ModelInputError } from "./errors.js";
export * from "./clap/index.js";
