/**
 * ClapAudioPatchEmbed: the spectrogram image cut into patches by a strided convolution,
 * flattened to a token sequence and layer-normed. With enable_fusion, channel 0 (the whole clip,
 * shrunk) goes through `proj` while channels 1–3 (three crops) go through `mel_conv2d`, whose
 * 3× wider stride makes each crop a third of the width; the crops are laid side by side,
 * zero-padded to the global width and fused in by the AFF block — for the clips flagged
 * is_longer only, the others keep their global embedding.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { type Weights, conv2d, layerNorm } from "../../nn/index.js";
import { ModelConfigError } from "../errors.js";
import type { ClapAudioSettings } from "./clap-config.js";
import { attentionalFeatureFusion } from "./htsat-feature-fusion.js";

/** image [batch, channels, S, S] (+ is_longer [batch, 1] bool when fused) → tokens [batch, grid², hidden]. */
export function patchEmbed(g: GraphBuilder, weights: Weights, image: Value, isLonger: Value | undefined, settings: ClapAudioSettings): Value {
  const w = weights.scope("patch_embed");
  const [, channels, height, width] = image.shape;
  if (height !== settings.specSize || width !== settings.specSize) {
    throw new ModelConfigError(`Input audio size (${height}*${width}) doesn't match model (${settings.specSize}*${settings.specSize}): spec_size and num_mel_bins do not fit together`);
  }
  const padding = [0, 1].map((i) => Math.floor((settings.patchSize[i]! - settings.patchStride[i]!) / 2));
  const stride = settings.patchStride;
  return g.scope("patch_embed", () => {
    let x: Value;
    if (!settings.enableFusion) {
      if (channels !== settings.patchEmbedInputChannels) {
        throw new ModelConfigError(
          `this CLAP model does not fuse (enable_fusion false) and takes ${settings.patchEmbedInputChannels}-channel features, not ${channels}: ` +
            'use truncation "rand_trunc" features (the 4-channel ones come from truncation "fusion")',
        );
      }
      x = conv2d(g, w, "proj", image, { stride, padding });
    } else {
      if (isLonger === undefined) throw new ModelConfigError("a fused CLAP audio model needs the is_longer input");
      const global = conv2d(g, w, "proj", g.sliceAxis(image, 1, 0, 1), { stride, padding });
      // one-channel (rand_trunc) features on a fused model: Python fuses an empty crop embedding, zeros
      const side = channels === 1 ? g.constantOfShape(g.shape(global), 0) : cropEmbedding(g, w, image, global, stride, padding);
      const fused = attentionalFeatureFusion(g, w, "fusion_model", global, side);
      x = g.where(g.reshape(g.cast(isLonger, "bool"), [-1, 1, 1, 1]), fused, global);
    }
    const hidden = x.shape[1] as number;
    const tokens = g.transpose(g.reshape(x, [0, hidden, -1]), [0, 2, 1]);
    return settings.enablePatchLayerNorm ? layerNorm(g, w, "norm", tokens) : tokens;
  });
}

/** Channels 1… (the crops) through mel_conv2d, side by side along time, fitted to the global width. */
function cropEmbedding(g: GraphBuilder, w: Weights, image: Value, global: Value, stride: [number, number], padding: number[]): Value {
  const [, channels, height, width] = image.shape as [unknown, number, number, number];
  const crops = channels - 1;
  // every crop as a one-channel image: [B·crops, 1, S, S]
  const local = conv2d(g, w, "mel_conv2d", g.reshape(g.sliceAxis(image, 1, 1), [-1, 1, height, width]), {
    stride: [stride[0], stride[1] * 3],
    padding,
  });
  const [, hidden, rows, cropWidth] = local.shape as [unknown, number, number, number];
  // [B·crops, D, H, w] → [B, D, H, crops·w]
  let side = g.transpose(g.reshape(local, [-1, crops, hidden, rows, cropWidth]), [0, 2, 3, 1, 4]);
  side = g.reshape(side, [-1, hidden, rows, crops * cropWidth]);
  const globalWidth = global.shape[3] as number;
  const extra = globalWidth - crops * cropWidth;
  // torch's F.pad: a positive amount pads with zeros, a negative one crops
  if (extra > 0) return g.pad(side, [0, 0, 0, 0, 0, 0, 0, extra]);
  if (extra < 0) return g.sliceAxis(side, 3, 0, globalWidth);
  return side;
}
