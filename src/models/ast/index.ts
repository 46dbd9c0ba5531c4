// The Audio Spectrogram Transformer family (ASTForAudioClassification).
import type { AudioClassificationArchitecture } from "../architecture.js";
import { AST_BASE_PREFIX, buildAst } from "./ast-architecture.js";
import { checkAstInputs } from "./ast-inputs.js";

/** The architecture, plus an input check that gives clear errors before ONNX Runtime sees the features. */
export const astArchitecture: AudioClassificationArchitecture & { readonly checkInputs: typeof checkAstInputs } = {
  name: "Audio Spectrogram Transformer",
  modelTypes: ["audio-spectrogram-transformer"],
  basePrefix: () => AST_BASE_PREFIX,
  build: buildAst,
  /** Throws a ModelInputError when features do not fit the model (call before session.run). */
  checkInputs: checkAstInputs,
};

export { AST_BASE_PREFIX, buildAst } from "./ast-architecture.js";
export { readAstSettings, patchCount, type AstSettings } from "./ast-config.js";
export { checkAstInputs } from "./ast-inputs.js";
