/**
 * SEW-D configs (SEWDConfig): SEW's squeezed encoder with DeBERTa-v2 layers — disentangled
 * attention over log-bucketed relative positions (`position_buckets`, `max_position_embeddings`,
 * `share_att_key`, `pos_att_type`, `norm_rel_ebd`) — and SEWDConfig's defaults.
 */
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";
import { positiveInt, readHeadSettings, readTransformerSizes, readWeightNormPositionalConv, rejectAddAdapter } from "../speech-encoder/index.js";
import { type SewConfig, readSewEncoderParts } from "../sew/index.js";

export type PositionAttention = "c2p" | "p2c";

export interface SewDConfig extends SewConfig {
  /** Relative positions are bucketed when > 0; the embedding table has 2·span rows. */
  readonly positionBuckets: number;
  readonly maxRelativePositions: number;
  /** Rows of rel_embeddings used on each side: position_buckets, or max_relative_positions without buckets. */
  readonly attentionSpan: number;
  readonly relativeAttention: boolean;
  readonly shareAttKey: boolean;
  readonly positionAttention: readonly PositionAttention[];
  /** LayerNorm over rel_embeddings (`norm_rel_ebd` contains "layer_norm"). */
  readonly normRelativeEmbeddings: boolean;
}

function readPositionAttention(config: ModelConfig): PositionAttention[] {
  const raw = config.raw["pos_att_type"] ?? ["p2c", "c2p"];
  const list = typeof raw === "string" ? raw.toLowerCase().split("|").map((s) => s.trim()) : raw;
  if (!Array.isArray(list) || !list.every((v) => v === "c2p" || v === "p2c" || v === "none" || v === "")) {
    throw new ModelConfigError(`${config.source}: "pos_att_type" must list "c2p" and/or "p2c" (e.g. ["p2c", "c2p"]), got ${JSON.stringify(raw)}`);
  }
  return (list as string[]).filter((v): v is PositionAttention => v === "c2p" || v === "p2c");
}

export function readSewDConfig(config: ModelConfig): SewDConfig {
  rejectAddAdapter(config);
  const sizes = readTransformerSizes(config, { hiddenAct: "gelu_python" });
  const layerNormEps = config.number("layer_norm_eps", 1e-7);
  const parts = readSewEncoderParts(config, "feature_layer_norm_eps");
  const relativeAttention = config.bool("relative_attention", true);
  const positionBuckets = config.int("position_buckets", 256);
  const configuredMax = config.int("max_relative_positions", -1);
  const maxRelativePositions = configuredMax < 1 ? positiveInt(config, "max_position_embeddings", 512) : configuredMax;
  const attentionSpan = positionBuckets > 0 ? positionBuckets : maxRelativePositions;
  if (relativeAttention && positionBuckets > 0) {
    // make_log_bucket_position divides by log((max_position − 1) / (position_buckets / 2)).
    const mid = Math.floor(positionBuckets / 2);
    if (mid < 1 || maxRelativePositions - 1 <= mid) {
      throw new ModelConfigError(
        `${config.source}: "position_buckets" ${positionBuckets} needs max relative positions ("max_position_embeddings") above position_buckets / 2 + 1, got ${maxRelativePositions}`,
      );
    }
  }
  const normRelEbd = config.string("norm_rel_ebd", "layer_norm").toLowerCase().split("|").map((s) => s.trim());
  return {
    ...sizes,
    layerNormEps,
    ...parts,
    projectFeatures: parts.convDim[parts.convDim.length - 1] !== sizes.hiddenSize,
    featProjLayerNorm: false,
    positionalConv: readWeightNormPositionalConv(config, sizes.hiddenSize),
    doStableLayerNorm: false,
    adapterAttnDim: undefined,
    positionBuckets,
    maxRelativePositions,
    attentionSpan,
    relativeAttention,
    shareAttKey: config.bool("share_att_key", true),
    positionAttention: relativeAttention ? readPositionAttention(config) : [],
    normRelativeEmbeddings: normRelEbd.includes("layer_norm"),
    ...readHeadSettings(config),
  };
}
