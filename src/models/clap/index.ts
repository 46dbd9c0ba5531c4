// models/clap/: CLAP (HTSAT audio tower + RoBERTa text tower) for zero-shot audio classification and retrieval.
import "../node-platform.js";
export { ClapModel, type ClapLoadOptions, type ClapLoadReport, type ClapOutput } from "./clap-model.js";
export { buildClapAudioGraph, buildClapTextGraph, type AudioInputShape, type ClapGraphOptions } from "./clap-graphs.js";
export { readClapSettings, readAudioSettings, readTextSettings, type ClapSettings, type ClapAudioSettings, type ClapTextSettings } from "./clap-config.js";
export { clapParameterShapes } from "./clap-parameters.js";
