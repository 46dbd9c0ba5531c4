/**
 * ClapAudioEncoder (HTSAT) up to its pooled output: mel image → patch embedding (with feature
 * fusion when enabled) → Swin stages with patch merging → final LayerNorm → the average over
 * all tokens (Python's reshape/permute before AdaptiveAvgPool1d only reorders the tokens it
 * averages).
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { type Weights, layerNorm } from "../../nn/index.js";
import { ModelConfigError } from "../errors.js";
import type { ClapAudioSettings } from "./clap-config.js";
import { melToImage } from "./htsat-mel-image.js";
import { patchEmbed } from "./htsat-patch-embed.js";
import { htsatStage } from "./htsat-stage.js";

export interface HtsatOptions {
  readonly fused?: boolean;
}

/** input_features [B, channels, frames, bins] (+ is_longer) → pooler_output [B, hidden]. */
export function htsatEncoder(g: GraphBuilder, weights: Weights, features: Value, isLonger: Value | undefined, s: ClapAudioSettings, options: HtsatOptions = {}): Value {
  if (!s.flattenPatchEmbeds) throw new ModelConfigError('HTSAT needs "flatten_patch_embeds": true (the Swin stages read a token sequence)');
  return g.scope("audio_encoder", () => {
    const image = melToImage(g, weights, features, s);
    const embedded = patchEmbed(g, weights, image, isLonger, s);
    // The stages work on 2-D token rows [B·tokens, C]: every Linear is then a plain Gemm
    let x = g.reshape(embedded, [-1, embedded.shape[2] as number]);
    const stages = s.depths.length;
    let [height, width] = s.grid;
    for (let i = 0; i < stages; i++) {
      // Python runs stage i at grid // 2**i; patch merging must land there
      const expected = [Math.floor(s.grid[0] / 2 ** i), Math.floor(s.grid[1] / 2 ** i)];
      if (height !== expected[0] || width !== expected[1]) {
        throw new ModelConfigError(`HTSAT stage ${i} would see a ${height}×${width} grid where the model expects ${expected.join("×")}: spec_size / patch_stride must halve evenly ${stages - 1} times`);
      }
      const layer = weights.scope(`layers.${i}`);
      x = g.scope(`layers.${i}`, () =>
        htsatStage(g, layer, x, {
          height,
          width,
          depth: s.depths[i]!,
          numHeads: s.numAttentionHeads[i]!,
          windowSize: s.windowSize,
          layerNormEps: s.layerNormEps,
          hiddenAct: s.hiddenAct,
          downsample: i < stages - 1,
          fused: options.fused,
        }),
      );
      if (i < stages - 1) [height, width] = [Math.ceil(height / 2), Math.ceil(width / 2)];
    }
    const normed = layerNorm(g, weights, "norm", x);
    return g.reduceMean(g.reshape(normed, [-1, height * width, normed.shape[1] as number]), [1], { keepDims: false });
  });
}
