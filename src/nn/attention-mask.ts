import type { GraphBuilder } from "../graph/graph-builder.js";
import type { Value } from "../graph/value.js";
import { LayerConfigError } from "./errors.js";

/** torch.finfo(torch.float32).min: what Hugging Face adds at masked positions. */
export const FLOAT32_MIN = -3.4028234663852886e38;

/**
 * Hugging Face's additive attention mask from a [batch, keys] mask of 1 (attend) and 0 (padding):
 * 0 where the mask is 1 and float32 min elsewhere, shaped [batch, 1, 1, keys] to broadcast over
 * heads and queries (transformers' `_prepare_4d_attention_mask`).
 */
export function additiveAttentionMask(g: GraphBuilder, mask: Value): Value {
  if (mask.rank !== 2) throw new LayerConfigError(`attention mask must be [batch, length], got [${mask.shape.join(", ")}]`);
  const attend = g.equal(g.cast(mask, "float32"), 1);
  const additive = g.where(attend, g.scalar(0), g.scalar(FLOAT32_MIN));
  return g.unsqueeze(additive, [1, 2]);
}
