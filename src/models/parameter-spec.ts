/**
 * Every parameter of a model described from its config alone: Hugging Face name, shape, what it
 * is (role) and how transformers' `_init_weights` starts it (init). Architectures list these
 * (AudioClassificationArchitecture.parameters) so a config can become a fresh model, a
 * checkpoint can be checked for completeness, and tests can make random checkpoints.
 */

/**
 * What a parameter is: Linear/Conv weights scale with their fan-in, norms start near 1 / 0,
 * embeddings (tokens, positions) and layer weights are free, buffers are not trained.
 */
export type ParameterRole = "linear" | "conv" | "bias" | "norm-weight" | "norm-bias" | "embedding" | "layer-weights" | "buffer";

/**
 * How a fresh parameter is filled, in row-major order:
 * - normal: N(0, std²), redrawn outside `truncate` (torch's trunc_normal_ uses absolute bounds);
 * - uniform: U(low, high);
 * - fill: a constant;
 * - sinusoids: Whisper's fixed position table [length, channels] (sin half, then cos half);
 * - values: fixed values given in full (a computed buffer such as rotary inverse frequencies);
 * - weight-norm-magnitude: torch weight_norm's `g` for the `v` named `of`: the L2 norm of v over
 *   every axis except `dim`, so that g·v/‖v‖ = v at the start.
 */
export type ParameterInit =
  | { readonly kind: "normal"; readonly std: number; readonly truncate?: readonly [number, number] }
  | { readonly kind: "uniform"; readonly low: number; readonly high: number }
  | { readonly kind: "fill"; readonly value: number }
  | { readonly kind: "sinusoids" }
  | { readonly kind: "values"; readonly values: readonly number[] }
  | { readonly kind: "weight-norm-magnitude"; readonly of: string; readonly dim: number };

export interface ParameterSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly role: ParameterRole;
  readonly init: ParameterInit;
  /**
   * False for tensors transformers keeps out of training: buffers (BatchNorm statistics) and
   * parameters with requires_grad False (Whisper's sinusoidal embed_positions). Default true.
   */
  readonly trainable?: boolean;
  /** Stored dtype when not float32 (BatchNorm's int64 num_batches_tracked). */
  readonly dtype?: "int64";
  /** Head parameters whose shape depends on the number of labels (the classifier): a new label set replaces them. */
  readonly labelDependent?: boolean;
}

export const zerosInit: ParameterInit = { kind: "fill", value: 0 };
export const onesInit: ParameterInit = { kind: "fill", value: 1 };

export function normalInit(std: number, truncate?: readonly [number, number]): ParameterInit {
  return truncate === undefined ? { kind: "normal", std } : { kind: "normal", std, truncate };
}

/** U(−bound, bound). */
export function symmetricUniform(bound: number): ParameterInit {
  return { kind: "uniform", low: -bound, high: bound };
}

/** torch.nn.init.kaiming_normal_ defaults (fan_in, leaky_relu with a = 0): N(0, 2 / fan_in). */
export function kaimingNormal(fanIn: number): ParameterInit {
  return { kind: "normal", std: Math.sqrt(2 / fanIn) };
}

/** Specs of a PyTorch Linear `${name}.weight` [out, in] (+ `${name}.bias` [out]). */
export function linearSpecs(name: string, out: number, inFeatures: number, options: { bias?: boolean; weight?: ParameterInit; biasInit?: ParameterInit } = {}): ParameterSpec[] {
  const specs: ParameterSpec[] = [{ name: `${name}.weight`, shape: [out, inFeatures], role: "linear", init: options.weight ?? zerosInit }];
  if (options.bias !== false) specs.push({ name: `${name}.bias`, shape: [out], role: "bias", init: options.biasInit ?? zerosInit });
  return specs;
}

/** A LayerNorm / GroupNorm's affine parameters, 1 and 0 as every `_init_weights` here sets them. */
export function layerNormSpecs(name: string, features: number): ParameterSpec[] {
  return [
    { name: `${name}.weight`, shape: [features], role: "norm-weight", init: onesInit },
    { name: `${name}.bias`, shape: [features], role: "norm-bias", init: zerosInit },
  ];
}

