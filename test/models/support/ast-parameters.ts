/**
 * Every parameter of an ASTForAudioClassification with its Hugging Face name and shape, from a
 * config.json object (transformers' ASTConfig defaults apply to missing keys): src/models' list,
 * taking the plain object tests write into config.json.
 */
import { ModelConfig, type ParameterSpec } from "../../../src/models/index.js";
import { astParameters as srcAstParameters } from "../../../src/models/ast/index.js";

export function astParameters(config: Readonly<Record<string, unknown>>): ParameterSpec[] {
  return srcAstParameters(new ModelConfig(config));
}
