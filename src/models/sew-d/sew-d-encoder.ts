/**
 * SEW-D's transformer (`encoder.encoder`, a DeBERTa-v2 encoder without its conv layer): the
 * relative-position rows shared by all layers, then layers of disentangled attention →
 * intermediate dense + activation → output dense → LayerNorm(· + attention output). No LayerNorm
 * or dropout before the first layer (unlike SEW), no LayerDrop.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { activation, additiveAttentionMask, layerNorm, type Weights } from "../../nn/index.js";
import { checkedLinear } from "../speech-encoder/index.js";
import { type RelativePositions, disentangledAttention } from "./disentangled-attention.js";
import { attentionRowTable } from "./position-buckets.js";
import type { SewDConfig } from "./sew-d-config.js";

/** Dropout rates of a training graph (all 0 for inference). */
export interface SewDDropout {
  readonly attention: number;
  readonly activation: number;
}

function relativePositions(g: GraphBuilder, weights: Weights, config: SewDConfig, x: Value): RelativePositions {
  const span = config.attentionSpan;
  return g.scope("rel_embeddings", () => {
    let embeddings = weights.param(g, "rel_embeddings.weight", [2 * span, config.hiddenSize]);
    if (config.normRelativeEmbeddings) embeddings = layerNorm(g, weights, "LayerNorm", embeddings, { epsilon: config.layerNormEps });
    const { distance, rows } = attentionRowTable(config.positionBuckets, config.maxRelativePositions, span);
    const table = g.constant({ type: "int64", dims: [rows.length], data: rows });
    const positions = g.range(g.scalar(0, "int64"), g.gather(g.shape(x), 1), g.scalar(1, "int64"));
    const relative = g.sub(g.unsqueeze(positions, [1]), g.unsqueeze(positions, [0])); // [i, j] = i − j
    const row = g.gather(table, g.add(g.max(g.min(relative, distance), -distance), distance), 0); // [T, T]
    return {
      embeddings,
      c2pIndex: g.add(g.mul(g.unsqueeze(positions, [1]), 2 * span), row),
      p2cIndex: g.add(g.mul(g.unsqueeze(positions, [0]), 2 * span), row),
    };
  });
}

/**
 * x [B, T2, hidden] (squeezed), `valid` bool [B, T2]; `weights` is scoped to `encoder.encoder`.
 * Returns [x, layer 1, …, layer N].
 */
export function sewDTransformer(g: GraphBuilder, weights: Weights, config: SewDConfig, x: Value, valid: Value, dropout: SewDDropout): Value[] {
  const mask = g.scope("attention_mask", () => additiveAttentionMask(g, valid));
  const positions = config.relativeAttention ? relativePositions(g, weights, config, x) : undefined;
  const states: Value[] = [x];
  let h = x;
  for (let i = 0; i < config.numLayers; i++) {
    const name = `layer.${i}`;
    const w = weights.scope(name);
    const input = h;
    h = g.scope(name, () => {
      const attended = disentangledAttention(g, w.scope("attention"), config, input, {
        attentionMask: mask,
        positions,
        dropout: { attention: dropout.attention, output: dropout.activation, positions: dropout.activation },
      });
      const inner = g.scope("intermediate", () => activation(g, checkedLinear(g, w.scope("intermediate"), "dense", attended, config.intermediateSize), config.hiddenAct));
      return g.scope("output", () => {
        const out = g.dropout(checkedLinear(g, w.scope("output"), "dense", inner, config.hiddenSize), dropout.activation);
        return layerNorm(g, w.scope("output"), "LayerNorm", g.add(out, attended), { epsilon: config.layerNormEps });
      });
    });
    states.push(h);
  }
  return states;
}
