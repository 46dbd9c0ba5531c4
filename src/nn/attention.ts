import type { GraphBuilder } from "../graph/graph-builder.js";
import type { Value } from "../graph/value.js";
import { LayerConfigError } from "./errors.js";
import { type LinearForm, linear } from "./linear.js";
import { type WeightMap, Weights, featureDim } from "./weights.js";

/** Parameter names of the four projections, relative to the attention module's name. */
export interface AttentionNames {
  readonly query: string;
  readonly key: string;
  readonly value: string;
  readonly output: string;
}

/** wav2vec2 / HuBERT / WavLM / Whisper / CLAP-text style names. */
export const BART_ATTENTION_NAMES: AttentionNames = { query: "q_proj", key: "k_proj", value: "v_proj", output: "out_proj" };
/** ViT / AST / BERT / RoBERTa style names (attention.attention.query …, attention.output.dense). */
export const BERT_ATTENTION_NAMES: AttentionNames = { query: "attention.query", key: "attention.key", value: "attention.value", output: "output.dense" };

export interface SelfAttentionOptions {
  readonly numHeads: number;
  /** Projection names (default BART style: q_proj, k_proj, v_proj, out_proj). */
  readonly names?: AttentionNames;
  /** Which projections have a bias (default all; Whisper's k_proj has none). */
  readonly bias?: Partial<Record<keyof AttentionNames, boolean>>;
  /** Score scale (default 1/√head_size). */
  readonly scaling?: number;
  /**
   * Where the scale is applied: "query" multiplies Q before Q·Kᵀ (wav2vec2, Whisper), "scores"
   * divides Q·Kᵀ by 1/scale (BERT, ViT/AST). Mathematically equal; this matches rounding.
   */
  readonly scaleAt?: "query" | "scores";
  /** Additive mask broadcastable to [batch, heads, queries, keys] (see additiveAttentionMask). */
  readonly attentionMask?: Value;
  /** Additive position bias [batch or 1, heads, queries, keys] (WavLM, Swin). */
  readonly positionBias?: Value;
  /** Use ONNX Runtime's fused com.microsoft.MultiHeadAttention kernel (CPU, float32). */
  readonly fused?: boolean;
  /**
   * Dropout on the attention probabilities (training graphs; 0 adds nothing). The fused kernel
   * has no dropout, so a rate above 0 takes the unfused path.
   */
  readonly dropout?: number;
  readonly linearForm?: LinearForm;
}

/**
 * Multi-head self-attention with PyTorch/Hugging Face semantics on x [batch, time, hidden]:
 * projections, per-head softmax(Q·Kᵀ·scale + mask + position bias)·V, heads merged, output
 * projection. Returns [batch, time, hidden].
 */
export function selfAttention(g: GraphBuilder, weights: WeightMap | Weights, name: string, x: Value, options: SelfAttentionOptions): Value {
  const w = Weights.from(weights).scope(name);
  const names = options.names ?? BART_ATTENTION_NAMES;
  const hidden = featureDim(x);
  const heads = options.numHeads;
  if (x.rank !== 3) throw new LayerConfigError(`selfAttention "${name}": input must be [batch, time, hidden], got [${x.shape.join(", ")}]`);
  if (typeof hidden !== "number" || !Number.isInteger(heads) || heads < 1 || hidden % heads !== 0) {
    throw new LayerConfigError(`selfAttention "${name}": hidden size ${hidden} must be a static multiple of numHeads ${heads}`);
  }
  const headSize = hidden / heads;
  const scaling = options.scaling ?? headSize ** -0.5;
  const hasBias = (k: keyof AttentionNames): boolean => options.bias?.[k] !== false;
  const form = options.linearForm;
  return g.scope(name, () => {
    const dropout = options.dropout ?? 0;
    if (options.fused && dropout === 0) return fusedAttention(g, w, names, x, { heads, scaling, hasBias, options });
    const project = (k: keyof AttentionNames): Value => linear(g, w, names[k], x, { bias: hasBias(k), form });
    let q = project("query");
    if (options.scaleAt !== "scores") q = g.mul(q, scaling);
    const k = project("key");
    const v = project("value");
    // [B, T, D] → [B, H, T, Dh] (K as [B, H, Dh, T], ready for the product)
    const split = (t: Value, perm: number[]): Value => g.transpose(g.reshape(t, [0, 0, heads, headSize]), perm);
    let scores = g.matMul(split(q, [0, 2, 1, 3]), split(k, [0, 2, 3, 1]));
    // BERT/ViT divide by √head_size; use that exact divisor when the scale is the default
    if (options.scaleAt === "scores") scores = g.div(scores, options.scaling === undefined ? Math.sqrt(headSize) : 1 / scaling);
    if (options.attentionMask !== undefined) scores = g.add(scores, options.attentionMask);
    if (options.positionBias !== undefined) scores = g.add(scores, options.positionBias);
    const probs = g.dropout(g.softmax(scores, -1), dropout);
    const context = g.matMul(probs, split(v, [0, 2, 1, 3]));
    const merged = g.reshape(g.transpose(context, [0, 2, 1, 3]), [0, 0, hidden]);
    return linear(g, w, names.output, merged, { bias: hasBias("output"), form });
  });
}

function fusedAttention(
  g: GraphBuilder,
  w: Weights,
  names: AttentionNames,
  x: Value,
  p: { heads: number; scaling: number; hasBias: (k: keyof AttentionNames) => boolean; options: SelfAttentionOptions },
): Value {
  const hidden = featureDim(x) as number;
  // Projections without bias; the three biases go into the kernel as one [3 × hidden] input.
  const [q, k, v] = (["query", "key", "value"] as const).map((key) => linear(g, w, names[key], x, { bias: false, form: p.options.linearForm }));
  const biases = (["query", "key", "value"] as const).map((key) =>
    p.hasBias(key) ? w.param(g, `${names[key]}.bias`, [hidden]) : g.constant({ type: "float32", dims: [hidden], data: new Float32Array(hidden) }),
  );
  const bias = g.concat(biases, 0);
  let attentionBias: Value | undefined;
  for (const extra of [p.options.attentionMask, p.options.positionBias]) {
    if (extra === undefined) continue;
    attentionBias = attentionBias === undefined ? extra : g.add(attentionBias, extra);
  }
  if (attentionBias !== undefined) {
    if (attentionBias.rank !== 4) throw new LayerConfigError(`fused attention: mask/bias must be 4-D [batch, heads, queries, keys], got [${attentionBias.shape.join(", ")}]`);
    // The kernel broadcasts batch and heads but not the query axis: expand [B, H, 1, T] masks.
    if (attentionBias.shape[2] === 1) attentionBias = g.expand(attentionBias, g.concat([g.vector([1, 1]), g.shape(x, 1, 2), g.vector([1])], 0));
  }
  const attended = g.multiHeadAttention(q!, k!, v!, { numHeads: p.heads, scale: p.scaling, bias, attentionBias });
  return linear(g, w, names.output, attended, { bias: p.hasBias("output"), form: p.options.linearForm });
}
