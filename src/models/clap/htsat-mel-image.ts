/**
 * The first steps of ClapAudioEncoder.forward: BatchNorm over the mel bins (bn0), then
 * reshape_mel2img — the [time, mel] spectrogram stretched by bicubic interpolation to
 * spec_width × spec_height, cut into freq_ratio time slices that are stacked along frequency,
 * giving the square spec_size × spec_size image the Swin transformer reads.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import type { Weights } from "../../nn/index.js";
import { ModelConfigError } from "../errors.js";
import { bicubicResizeAxis } from "./bicubic-resize.js";
import { batchNorm } from "./clap-batch-norm.js";
import type { ClapAudioSettings } from "./clap-config.js";

/**
 * input_features [batch, channels, frames, bins] → image [batch, channels, spec_size, spec_size]
 * (rows: freq_ratio stacks of mel bins, columns: time).
 */
export function melToImage(g: GraphBuilder, weights: Weights, features: Value, settings: ClapAudioSettings): Value {
  const [, channels, frames, bins] = features.shape;
  if (typeof channels !== "number" || typeof frames !== "number" || typeof bins !== "number") {
    throw new ModelConfigError(`HTSAT needs static channels, frames and mel bins, got input_features [${features.shape.join(", ")}]`);
  }
  if (frames > settings.specWidth || bins > settings.specHeight) {
    throw new ModelConfigError(
      `the spectrogram (${frames} frames × ${bins} mel bins) is larger than the model's input (${settings.specWidth} × ${settings.specHeight}); ` +
        "use the checkpoint's preprocessor_config.json (max_length_s, hop_length, feature_size)",
    );
  }
  return g.scope("mel_image", () => {
    let x = batchNorm(g, weights, "batch_norm", features, 3);
    x = bicubicResizeAxis(g, x, 2, frames, settings.specWidth);
    x = bicubicResizeAxis(g, x, 3, bins, settings.specHeight);
    const ratio = settings.freqRatio;
    const time = settings.specWidth;
    const freq = settings.specHeight;
    // [B, C, T, F] → [B, C·r, T/r, F] → [B, C·r, F, T/r] → [B, C, F·r, T/r]
    x = g.reshape(x, [-1, channels * ratio, time / ratio, freq]);
    x = g.transpose(x, [0, 1, 3, 2]);
    return g.reshape(x, [-1, channels, freq * ratio, time / ratio]);
  });
}
