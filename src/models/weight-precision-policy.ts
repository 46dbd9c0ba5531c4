/**
 * Which layers keep float32 weights when a model is loaded with dtype "q8" or "fp16" — the one
 * place this is decided, for every family. runtime/weight-precision-pass.ts converts whatever it
 * can (q8: matrix products with a weight; fp16: weights of rank ≥ 2) except what this keeps.
 *
 * Kept float32:
 * - the heads: `classifier`, `projector` (wav2vec2 family, Whisper), CLAP's `audio_projection`,
 *   `text_projection` and RoBERTa's `pooler`. They run once per clip (no time axis), so int8 saves
 *   no time and a few hundred KB at most, while their error lands directly on the logits or
 *   embeddings. Measured with q8, heads int8 → heads float32: the fixture models' max |Δ logit| over
 *   every case, HuBERT 0.17 → 0.09, WavLM 0.15 → 0.09, Whisper 0.069 → 0.052, AST 0.225 → 0.219,
 *   wav2vec2 0.144 → 0.141; the default model over all 2000 FSDD clips, mean |Δ logit| 0.023 →
 *   0.017 (max 0.32 → 0.31; top-1 agreement 100 % either way).
 * - by construction (the pass never touches them): convolutions (AST's patch embedding, the
 *   wav2vec2 family's feature encoder and positional convolution, HTSAT's patch embedding) under
 *   q8, and norms and biases (vectors) under both.
 *
 * Changing this list changes the converted weights: bump WEIGHT_PRECISION_POLICY_VERSION so cached
 * conversions (converted-weights-cache.ts) are redone.
 */
import type { NodeInfo } from "../graph/index.js";

const FLOAT_SCOPES = new Set(["classifier", "projector", "audio_projection", "text_projection", "pooler"]);

export const WEIGHT_PRECISION_POLICY_VERSION = 1;

/** Whether the weights `node` reads stay float32 under "q8" and "fp16". */
export function keepsFloatWeights(node: NodeInfo): boolean {
  return node.scope.split("/").some((segment) => FLOAT_SCOPES.has(segment));
}
