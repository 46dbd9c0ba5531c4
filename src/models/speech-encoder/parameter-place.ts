/** Where a speech-encoder parameter sits, for freezing (see ParameterPlace). */
import type { ParameterPlace } from "../architecture.js";
import type { SpeechEncoderConfig } from "./speech-encoder-config.js";

export function speechParameterPlace(config: SpeechEncoderConfig, prefix: string, name: string): ParameterPlace {
  if (!name.startsWith(`${prefix}.`)) return { part: "head" };
  const local = name.slice(prefix.length + 1);
  if (local.startsWith("feature_extractor.")) return { part: "feature-encoder" };
  const layer = /^encoder\.layers\.(\d+)\./.exec(local);
  if (layer) return { part: "layer", layer: Number(layer[1]) };
  // encoder.layer_norm runs before the layers in the post-LN layout and after them in the stable one.
  if (local.startsWith("encoder.layer_norm.") && config.doStableLayerNorm) return { part: "post-layers" };
  return { part: "embeddings" };
}
