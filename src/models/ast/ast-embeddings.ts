/**
 * ASTEmbeddings: the spectrogram cut into overlapping patches by a Conv2d, then the CLS and
 * distillation tokens in front and learned position embeddings added.
 */
import type { GraphBuilder, Value } from "../../graph/index.js";
import { conv2d, type Weights } from "../../nn/index.js";
import type { AstSettings } from "./ast-config.js";

/** input_values [batch, max_length, num_mel_bins] → embeddings [batch, patches + 2, hidden]. */
export function astEmbeddings(g: GraphBuilder, base: Weights, s: AstSettings, inputValues: Value): Value {
  const w = base.scope("embeddings");
  return g.scope("embeddings", () => {
    const hidden = s.hiddenSize;
    const patches = s.frequencyPatches * s.timePatches;
    // PyTorch: unsqueeze(1).transpose(2, 3) → [batch, 1, bins, frames]: frequency is the conv's height
    const image = g.unsqueeze(g.transpose(inputValues, [0, 2, 1]), [1]);
    w.tensor("patch_embeddings.projection.weight", [hidden, 1, s.patchSize, s.patchSize]);
    const projected = conv2d(g, w, "patch_embeddings.projection", image, { stride: [s.frequencyStride, s.timeStride] });
    // flatten(2).transpose(1, 2): patches in frequency-major order
    const tokens = g.transpose(g.reshape(projected, [0, hidden, patches]), [0, 2, 1]);
    const batchTokens = (name: string): Value => {
      const token = w.param(g, name, [1, 1, hidden]);
      return g.expand(token, g.concat([g.shape(inputValues, 0, 1), g.vector([1, hidden])], 0));
    };
    const sequence = g.concat([batchTokens("cls_token"), batchTokens("distillation_token"), tokens], 1);
    return g.add(sequence, w.param(g, "position_embeddings", [1, patches + 2, hidden]));
  });
}
