/**
 * The two graphs of a ClapModel, one per tower, so that a label set's text embeddings can be
 * computed once and reused for every clip:
 *  - audio: input_features [batch, channels, frames, bins] (+ is_longer [batch, 1] bool when the
 *    model fuses) → audio_embeds [batch, projection_dim] (get_audio_features, unit length);
 *  - text: input_ids, attention_mask [batch, sequence] int64 → text_embeds (get_text_features).
 * The logit scales stay outside the graphs (see ClapModel).
 */
import { GraphBuilder, type GraphModel } from "../../graph/index.js";
import type { Weights } from "../../nn/index.js";
import type { ClapSettings } from "./clap-config.js";
import { htsatEncoder } from "./htsat-encoder.js";
import { l2Normalize, projection } from "./clap-projection.js";
import { robertaTextEncoder } from "./roberta-text-encoder.js";

export interface ClapGraphOptions {
  /** onnxruntime's fused attention kernels (com.microsoft.MultiHeadAttention). */
  readonly fused?: boolean;
}

export interface AudioInputShape {
  /** 1 for rand_trunc features, 4 for fusion features. */
  readonly channels: number;
  /** Mel frames per clip (max_length // hop_length + 1: 1001 for 10 s at 48 kHz, hop 480). */
  readonly frames: number;
  /** Mel bins (feature_size). */
  readonly bins: number;
}

export function buildClapAudioGraph(settings: ClapSettings, weights: Weights, input: AudioInputShape, options: ClapGraphOptions = {}): GraphModel {
  const g = new GraphBuilder({ name: "clap-audio" });
  const features = g.input("input_features", "float32", ["batch", input.channels, input.frames, input.bins]);
  const isLonger = settings.audio.enableFusion ? g.input("is_longer", "bool", ["batch", 1]) : undefined;
  const pooled = htsatEncoder(g, weights.scope("audio_model.audio_encoder"), features, isLonger, settings.audio, options);
  g.output("audio_embeds", l2Normalize(g, projection(g, weights, "audio_projection", pooled, settings.projectionHiddenAct)));
  return g.build();
}

export function buildClapTextGraph(settings: ClapSettings, weights: Weights, options: ClapGraphOptions = {}): GraphModel {
  const g = new GraphBuilder({ name: "clap-text" });
  const inputIds = g.input("input_ids", "int64", ["batch", "sequence"]);
  const attentionMask = g.input("attention_mask", "int64", ["batch", "sequence"]);
  const pooled = robertaTextEncoder(g, weights.scope("text_model"), inputIds, attentionMask, settings.text, options);
  g.output("text_embeds", l2Normalize(g, projection(g, weights, "text_projection", pooled, settings.projectionHiddenAct)));
  return g.build();
}
