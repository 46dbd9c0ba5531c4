/** A float64 JavaScript forward pass of WhisperForAudioClassification, for one log-mel spectrogram. */
import { ModelConfig } from "../../../src/models/index.js";
import { readWhisperSettings } from "../../../src/models/whisper/index.js";
import { geluExact } from "../../graph/support/reference.js";
import type { Checkpoint } from "./random-checkpoint.js";
import { activationRef, addRef, attentionRef, layerNormRef, linearRef, param } from "./reference-layers.js";

/** Conv1d, kernel 3, padding 1, on x [channels, length] → [out, ⌊(length − 1)/stride⌋ + 1], then exact GELU. */
function convGelu(x: Float64Array, channels: number, length: number, w: Float32Array, b: Float32Array, out: number, stride: number): Float64Array {
  const outLength = Math.floor((length - 1) / stride) + 1;
  const y = new Float64Array(out * outLength);
  for (let o = 0; o < out; o++) {
    for (let t = 0; t < outLength; t++) {
      let s = b[o]!;
      for (let c = 0; c < channels; c++) {
        for (let k = 0; k < 3; k++) {
          const at = t * stride + k - 1;
          if (at >= 0 && at < length) s += w[(o * channels + c) * 3 + k]! * x[c * length + at]!;
        }
      }
      y[o * outLength + t] = geluExact(s);
    }
  }
  return y;
}

/** features [num_mel_bins, 2·max_source_positions] → logits [num_labels]. */
export function whisperReference(config: Readonly<Record<string, unknown>>, checkpoint: Checkpoint, features: Float64Array): Float64Array {
  const s = readWhisperSettings(new ModelConfig(config));
  const p = (name: string) => param(checkpoint, name);
  const [d, positions] = [s.dModel, s.maxSourcePositions];
  const frames = positions * 2;
  const h1 = convGelu(features, s.numMelBins, frames, p("encoder.conv1.weight"), p("encoder.conv1.bias"), d, 1);
  const h2 = convGelu(h1, d, frames, p("encoder.conv2.weight"), p("encoder.conv2.bias"), d, 2);
  // [d, positions] → [positions, d], plus the position embeddings
  const embed = p("encoder.embed_positions.weight");
  let hidden: Float64Array = new Float64Array(positions * d).map((_, i) => h2[(i % d) * positions + Math.floor(i / d)]! + embed[i]!);
  const states: Float64Array[] = [];
  const ln = (v: Float64Array, name: string) => layerNormRef(v, positions, p(`${name}.weight`), p(`${name}.bias`), 1e-5);
  for (let i = 0; i < s.encoderLayers; i++) {
    states.push(hidden);
    const l = `encoder.layers.${i}`;
    const a = `${l}.self_attn`;
    hidden = addRef(hidden, attentionRef(checkpoint, ln(hidden, `${l}.self_attn_layer_norm`), positions, d, s.encoderHeads, { q: `${a}.q_proj`, k: `${a}.k_proj`, v: `${a}.v_proj`, o: `${a}.out_proj` }));
    const inner = activationRef(linearRef(ln(hidden, `${l}.final_layer_norm`), positions, p(`${l}.fc1.weight`), p(`${l}.fc1.bias`), s.encoderFfnDim), s.activation);
    hidden = addRef(hidden, linearRef(inner, positions, p(`${l}.fc2.weight`), p(`${l}.fc2.bias`), d));
  }
  hidden = ln(hidden, "encoder.layer_norm");
  states.push(hidden);
  if (s.useWeightedLayerSum) {
    const logits = Array.from(p("layer_weights"));
    const max = Math.max(...logits);
    const e = logits.map((v) => Math.exp(v - max));
    const total = e.reduce((a, b) => a + b, 0);
    hidden = new Float64Array(positions * d).map((_, i) => states.reduce((acc, st, k) => acc + (e[k]! / total) * st[i]!, 0));
  }
  const projected = linearRef(hidden, positions, p("projector.weight"), p("projector.bias"), s.classifierProjSize);
  const pooled = new Float64Array(s.classifierProjSize).map((_, c) => {
    let sum = 0;
    for (let t = 0; t < positions; t++) sum += projected[t * s.classifierProjSize + c]!;
    return sum / positions;
  });
  return linearRef(pooled, 1, p("classifier.weight"), p("classifier.bias"), s.numLabels);
}
