/**
 * preprocessor_config.json for a model that has none (a config.json alone, trained from
 * scratch): the model family's own default (its descriptor's defaultPreprocessorConfig), with a
 * config the family cannot pair with an extractor reported against the `model` option.
 */
import { type ModelConfig, ModelConfigError, architectureFor } from "../models/index.js";
import { TrainerOptionsError } from "./errors.js";

export function defaultPreprocessorConfig(config: ModelConfig): Record<string, unknown> {
  try {
    return architectureFor(config).defaultPreprocessorConfig(config);
  } catch (error) {
    if (error instanceof ModelConfigError) throw new TrainerOptionsError(error.message, "model");
    throw error;
  }
}
