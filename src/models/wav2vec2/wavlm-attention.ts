/**
 * WavLM's gated relative-position attention (`WavLMAttention`).
 *
 * The first layer owns `rel_attn_embed` [num_buckets, heads]: bias[h, q, k] =
 * rel_attn_embed[bucket(k − q), h], computed once and handed to every layer. Each layer gates it
 * per head and query from its own attention input x: x per head [B, H, T, head_dim] →
 * `gru_rel_pos_linear` (head_dim → 8) → the two groups of four summed → sigmoid → (a, b), and
 * gate = a · (b · gru_rel_pos_const − 1) + 2 scales the bias row of that query.
 *
 * The attention itself is torch's `multi_head_attention_forward`: projections with bias, Q
 * scaled by 1/√head_dim, scores + gated bias, padded keys (`key_padding_mask = mask != 1`) set
 * to −inf, softmax, output projection. An additive float32-min mask gives the same
 * probabilities, so the shared selfAttention does the work.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { selfAttention, type Weights } from "../../nn/index.js";
import { type LayerAttentionFactory, checkedLinear } from "../speech-encoder/index.js";
import type { Wav2Vec2FamilyConfig } from "./family-config.js";
import { relativePositionBucketTable } from "./relative-position-buckets.js";

/**
 * The ungated position bias [1, heads, T, T] for frames x [batch, T, hidden]; `weights` is scoped
 * to the first layer's `attention` module.
 */
export function relativePositionBias(g: GraphBuilder, weights: Weights, config: Wav2Vec2FamilyConfig, x: Value): Value {
  const embedding = weights.param(g, "rel_attn_embed.weight", [config.numBuckets, config.numHeads]);
  const maxDistance = config.maxBucketDistance;
  return g.scope("rel_attn_embed", () => {
    const table = g.constant({ type: "int64", dims: [2 * maxDistance + 1], data: relativePositionBucketTable(config.numBuckets, maxDistance) });
    const positions = g.range(g.scalar(0, "int64"), g.gather(g.shape(x), 1), g.scalar(1, "int64"));
    const relative = g.sub(g.unsqueeze(positions, [0]), g.unsqueeze(positions, [1])); // [q, k] = k − q
    const index = g.add(g.max(g.min(relative, maxDistance), -maxDistance), maxDistance);
    const buckets = g.gather(table, index, 0); // [T, T]
    const values = g.gather(embedding, buckets, 0); // [T, T, H]
    return g.unsqueeze(g.transpose(values, [2, 0, 1]), [0]);
  });
}

/** Per-layer gate [batch, heads, T, 1] from the attention input x [batch, T, hidden]. */
function relativePositionGate(g: GraphBuilder, weights: Weights, config: Wav2Vec2FamilyConfig, x: Value): Value {
  const heads = config.numHeads;
  const headSize = config.hiddenSize / heads;
  const constant = weights.param(g, "gru_rel_pos_const", [1, heads, 1, 1]);
  return g.scope("gru_rel_pos", () => {
    const perHead = g.transpose(g.reshape(x, [0, 0, heads, headSize]), [0, 2, 1, 3]); // [B, H, T, Dh]
    const projected = checkedLinear(g, weights, "gru_rel_pos_linear", perHead, 8); // [B, H, T, 8]
    const summed = g.reduceSum(g.reshape(projected, [0, 0, 0, 2, 4]), [4], { keepDims: false }); // [B, H, T, 2]
    const [a, b] = g.split(g.sigmoid(summed), [1, 1], 3) as [Value, Value];
    return g.add(g.mul(a, g.sub(g.mul(b, constant), 1)), 2);
  });
}

export interface WavLMAttentionOptions {
  /** The first layer's ungated bias [1, heads, T, T] (relativePositionBias). */
  readonly positionBias: Value;
  /** Additive key mask [batch, 1, 1, T]. */
  readonly attentionMask: Value;
  readonly fused?: boolean;
  /** Dropout on the attention probabilities (training graphs). */
  readonly dropout?: number;
}

/** One layer's attention on x [batch, T, hidden]; `weights` is scoped to the layer. */
export function wavlmAttention(g: GraphBuilder, weights: Weights, config: Wav2Vec2FamilyConfig, x: Value, options: WavLMAttentionOptions): Value {
  const attention = weights.scope("attention");
  const gated = g.scope("attention", () => g.mul(relativePositionGate(g, attention, config, x), options.positionBias));
  return selfAttention(g, weights, "attention", x, {
    numHeads: config.numHeads,
    attentionMask: options.attentionMask,
    positionBias: gated,
    fused: options.fused,
    dropout: options.dropout,
  });
}

/** The encoder's attention for WavLM: the first layer's position bias, gated in every layer. */
export function wavlmLayerAttention(config: Wav2Vec2FamilyConfig): LayerAttentionFactory {
  return (g, encoderWeights, x, mask, options) => {
    const positionBias = g.scope("layers.0", () => relativePositionBias(g, encoderWeights.scope("layers.0.attention"), config, x));
    return (gb, layerWeights, input) =>
      wavlmAttention(gb, layerWeights, config, input, { positionBias, attentionMask: mask, fused: options.fused, dropout: options.dropout });
  };
}
