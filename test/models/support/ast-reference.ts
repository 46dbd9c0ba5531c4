/** A float64 JavaScript forward pass of ASTForAudioClassification, for one spectrogram. */
import { readAstSettings } from "../../../src/models/ast/index.js";
import { ModelConfig } from "../../../src/models/index.js";
import type { Checkpoint } from "./random-checkpoint.js";
import { activationRef, addRef, attentionRef, layerNormRef, linearRef, param } from "./reference-layers.js";

/** spectrogram [max_length, num_mel_bins] → logits [num_labels]. */
export function astReference(config: Readonly<Record<string, unknown>>, checkpoint: Checkpoint, spectrogram: Float64Array): Float64Array {
  const s = readAstSettings(new ModelConfig(config));
  const p = (name: string) => param(checkpoint, `audio_spectrogram_transformer.${name}`);
  const [h, size] = [s.hiddenSize, s.patchSize];
  const tokens = s.frequencyPatches * s.timePatches + 2;
  const x = new Float64Array(tokens * h);
  x.set(p("embeddings.cls_token"), 0);
  x.set(p("embeddings.distillation_token"), h);
  const kernel = p("embeddings.patch_embeddings.projection.weight");
  const kernelBias = p("embeddings.patch_embeddings.projection.bias");
  // Patch (f, t) covers mel bins f·fstride… and frames t·tstride…; patches in frequency-major order.
  for (let f = 0; f < s.frequencyPatches; f++) {
    for (let t = 0; t < s.timePatches; t++) {
      const row = 2 + f * s.timePatches + t;
      for (let o = 0; o < h; o++) {
        let sum = kernelBias[o]!;
        for (let kf = 0; kf < size; kf++) {
          for (let kt = 0; kt < size; kt++) {
            const frame = t * s.timeStride + kt;
            const bin = f * s.frequencyStride + kf;
            sum += kernel[(o * size + kf) * size + kt]! * spectrogram[frame * s.numMelBins + bin]!;
          }
        }
        x[row * h + o] = sum;
      }
    }
  }
  let hidden = addRef(x, p("embeddings.position_embeddings"));
  const eps = s.layerNormEps;
  for (let i = 0; i < s.numLayers; i++) {
    const l = `audio_spectrogram_transformer.encoder.layer.${i}`;
    const ln = (v: Float64Array, name: string) => layerNormRef(v, tokens, param(checkpoint, `${l}.${name}.weight`), param(checkpoint, `${l}.${name}.bias`), eps);
    const a = `${l}.attention.attention`;
    const attended = attentionRef(checkpoint, ln(hidden, "layernorm_before"), tokens, h, s.numHeads, { q: `${a}.query`, k: `${a}.key`, v: `${a}.value`, o: `${l}.attention.output.dense` });
    hidden = addRef(attended, hidden);
    const inner = activationRef(linearRef(ln(hidden, "layernorm_after"), tokens, param(checkpoint, `${l}.intermediate.dense.weight`), param(checkpoint, `${l}.intermediate.dense.bias`), s.intermediateSize), s.hiddenAct);
    hidden = addRef(linearRef(inner, tokens, param(checkpoint, `${l}.output.dense.weight`), param(checkpoint, `${l}.output.dense.bias`), h), hidden);
  }
  const normed = layerNormRef(hidden, tokens, p("layernorm.weight"), p("layernorm.bias"), eps);
  const pooled = new Float64Array(h).map((_, i) => (normed[i]! + normed[h + i]!) / 2);
  const headIn = layerNormRef(pooled, 1, param(checkpoint, "classifier.layernorm.weight"), param(checkpoint, "classifier.layernorm.bias"), eps);
  return linearRef(headIn, 1, param(checkpoint, "classifier.dense.weight"), param(checkpoint, "classifier.dense.bias"), s.numLabels);
}
