/**
 * Which parameters get weight decay, by the Hugging Face Trainer's rule
 * (`Trainer.get_decay_parameter_names`): none for biases and normalisation layers. transformers
 * tests each lower-cased parameter name against the patterns below and also skips every parameter
 * of an `nn.LayerNorm` module. We only have names, so the module-type test becomes an optional
 * list of layer-norm module names; the name patterns already cover every layer norm of the
 * architectures we build (`layernorm_before`, `layer_norm`, `final_layer_norm`,
 * `self_attn_layer_norm`, `LayerNorm`).
 */
const NO_DECAY_PATTERNS: readonly RegExp[] = [/bias/, /layernorm/, /rmsnorm/, /(?:^|\.)norm(?:$|\.)/, /_norm(?:$|\.)/];

export interface DecayParameterOptions {
  /**
   * Module names (e.g. "encoder.ln") known to be layer norms even though their names match no
   * pattern: all their parameters are excluded, as transformers excludes nn.LayerNorm modules.
   */
  readonly layerNormModules?: Iterable<string>;
}

/** True when `name` gets weight decay under the Trainer's rule. */
export function isDecayParameter(name: string, options: DecayParameterOptions = {}): boolean {
  const lower = name.toLowerCase();
  if (NO_DECAY_PATTERNS.some((pattern) => pattern.test(lower))) return false;
  for (const module of options.layerNormModules ?? []) {
    if (name.startsWith(`${module}.`)) return false;
  }
  return true;
}

/** The names among `names` that get weight decay, in their given order. */
export function decayParameterNames(names: Iterable<string>, options: DecayParameterOptions = {}): string[] {
  const modules = [...(options.layerNormModules ?? [])];
  return [...names].filter((name) => isDecayParameter(name, { layerNormModules: modules }));
}
