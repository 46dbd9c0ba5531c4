/**
 * WhisperEncoder: two Conv1d + GELU (the second with stride 2), learned position embeddings
 * added, pre-LayerNorm BART-style layers (k_proj without bias), final layer_norm.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { BART_ATTENTION_NAMES, type Weights, activation, conv1d, layerNorm, linear, selfAttention } from "../../nn/index.js";
import { layerDropGate } from "../layer-drop.js";
import type { WhisperSettings } from "./whisper-config.js";

export interface WhisperEncoderOptions {
  readonly fused?: boolean;
  /** Training graphs: transformers' dropout rates and encoder LayerDrop (absent: the inference graph). */
  readonly training?: WhisperTrainingSettings;
}

export interface WhisperTrainingSettings {
  /** `dropout`: after the embeddings, the attention output and the feed-forward output. */
  readonly dropout: number;
  readonly attentionDropout: number;
  readonly activationDropout: number;
  readonly layerDrop: number;
}

export interface WhisperEncoderOutput {
  readonly lastHiddenState: Value;
  /**
   * transformers' `hidden_states` (output_hidden_states=True): the embedding output, then the output
   * of every layer but the last, then the final layer_norm output; encoder_layers + 1 in all.
   */
  readonly hiddenStates: readonly Value[];
}

/** Conv stem + positions: input_features [batch, mel bins, frames] → [batch, positions, d_model]. */
function whisperEmbeddings(g: GraphBuilder, w: Weights, s: WhisperSettings, inputFeatures: Value): Value {
  const d = s.dModel;
  w.tensor("conv1.weight", [d, s.numMelBins, 3]);
  w.tensor("conv2.weight", [d, d, 3]);
  // The stem's GELU is F.gelu (exact erf form) whatever activation_function says.
  const h1 = g.gelu(conv1d(g, w, "conv1", inputFeatures, { padding: 1 }));
  const h2 = g.gelu(conv1d(g, w, "conv2", h1, { stride: 2, padding: 1 }));
  const positions = w.param(g, "embed_positions.weight", [s.maxSourcePositions, d]);
  // embed_scale (scale_embedding) is defined in WhisperEncoder but never applied to the encoder input.
  return g.add(g.transpose(h2, [0, 2, 1]), positions);
}

function whisperLayer(g: GraphBuilder, w: Weights, s: WhisperSettings, x: Value, options: WhisperEncoderOptions): Value {
  const [d, ffn] = [s.dModel, s.encoderFfnDim];
  // Linear layers only check their input width; the config fixes the output widths too.
  const shapes: Record<string, number[]> = {
    "self_attn.q_proj.weight": [d, d],
    "self_attn.k_proj.weight": [d, d],
    "self_attn.v_proj.weight": [d, d],
    "self_attn.out_proj.weight": [d, d],
    "fc1.weight": [ffn, d],
    "fc2.weight": [d, ffn],
  };
  for (const [name, shape] of Object.entries(shapes)) w.tensor(name, shape);
  const attended = selfAttention(g, w, "self_attn", layerNorm(g, w, "self_attn_layer_norm", x), {
    numHeads: s.encoderHeads,
    names: BART_ATTENTION_NAMES,
    bias: { key: false },
    // WhisperAttention multiplies the projected queries by head_dim^-0.5
    scaleAt: "query",
    fused: options.fused,
    dropout: options.training?.attentionDropout,
  });
  const dropout = options.training?.dropout ?? 0;
  const h = g.add(x, g.dropout(attended, dropout));
  const expanded = activation(g, linear(g, w, "fc1", layerNorm(g, w, "final_layer_norm", h)), s.activation);
  return g.add(h, g.dropout(linear(g, w, "fc2", g.dropout(expanded, options.training?.activationDropout ?? 0)), dropout));
}

export function whisperEncoder(g: GraphBuilder, encoderWeights: Weights, s: WhisperSettings, inputFeatures: Value, options: WhisperEncoderOptions = {}): WhisperEncoderOutput {
  const w = encoderWeights;
  const hiddenStates: Value[] = [];
  let x = g.dropout(g.scope("embeddings", () => whisperEmbeddings(g, w, s, inputFeatures)), options.training?.dropout ?? 0);
  const layerDrop = options.training?.layerDrop ?? 0;
  const gate = layerDrop > 0 ? layerDropGate(g, s.encoderLayers) : undefined;
  for (let i = 0; i < s.encoderLayers; i++) {
    hiddenStates.push(x);
    const name = `layers.${i}`;
    const input = x;
    const output = g.scope(name, () => whisperLayer(g, w.scope(name), s, input, options));
    x = gate === undefined ? output : gate(i, input, output);
  }
  const lastHiddenState = layerNorm(g, w, "layer_norm", x);
  hiddenStates.push(lastHiddenState);
  return { lastHiddenState, hiddenStates };
}
