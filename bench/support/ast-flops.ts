/** Floating-point operations of an AST (Audio Spectrogram Transformer) from its config.json alone. */

export interface AstFlops {
  /** Patches + the CLS and distillation tokens. */
  readonly tokens: number;
  /** Multiply-adds × 2 of one encoder layer: Q/K/V and output projections, QKᵀ, softmax·V, FFN. */
  readonly layer: number;
  /** Of the whole model at batch 1: every layer, the patch-embedding conv and the classifier. */
  readonly model: number;
}

/** transformers' ASTConfig defaults for the keys used here. */
const DEFAULTS = { hidden_size: 768, num_hidden_layers: 12, intermediate_size: 3072, patch_size: 16, frequency_stride: 10, time_stride: 10, max_length: 1024, num_mel_bins: 128 };

export function astFlops(config: Readonly<Record<string, unknown>>): AstFlops {
  const c = { ...DEFAULTS, ...config } as typeof DEFAULTS & { id2label?: Record<string, string>; num_labels?: number };
  const h = c.hidden_size;
  const patches = (Math.floor((c.num_mel_bins - c.patch_size) / c.frequency_stride) + 1) * (Math.floor((c.max_length - c.patch_size) / c.time_stride) + 1);
  const t = patches + 2;
  const layer = 2 * t * h * 3 * h + 2 * 2 * t * t * h + 2 * t * h * h + 2 * 2 * t * h * c.intermediate_size;
  const labels = c.id2label === undefined ? (c.num_labels ?? 2) : Object.keys(c.id2label).length;
  const model = c.num_hidden_layers * layer + 2 * patches * c.patch_size * c.patch_size * h + 2 * h * labels;
  return { tokens: t, layer, model };
}
