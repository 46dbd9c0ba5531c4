/**
 * ASTForAudioClassification (model_type "audio-spectrogram-transformer"): patch embeddings, ViT
 * encoder, final layernorm, pooled = mean of the CLS and distillation tokens, then the MLP head
 * (LayerNorm + Linear).
 */
import { GraphBuilder, type GraphModel } from "../../graph/index.js";
import { type Weights, layerNorm, linear } from "../../nn/index.js";
import type { ArchitectureBuildOptions } from "../architecture.js";
import type { ModelConfig } from "../model-config.js";
import { readAstSettings } from "./ast-config.js";
import { astEmbeddings } from "./ast-embeddings.js";
import { astEncoder } from "./ast-encoder.js";

/** transformers' ASTPreTrainedModel.base_model_prefix. */
export const AST_BASE_PREFIX = "audio_spectrogram_transformer";

export function buildAst(config: ModelConfig, weights: Weights, options: ArchitectureBuildOptions = {}): GraphModel {
  const s = readAstSettings(config);
  const g = new GraphBuilder({ name: "ASTForAudioClassification" });
  const inputValues = g.input("input_values", "float32", ["batch", s.maxLength, s.numMelBins]);
  const base = weights.scope(AST_BASE_PREFIX);
  // Training graphs get ViT's dropout sites (hidden_dropout_prob, attention_probs_dropout_prob); inference graphs none.
  const dropout = options.training === true
    ? { hidden: config.probability("hidden_dropout_prob", 0), attention: config.probability("attention_probs_dropout_prob", 0) }
    : { hidden: 0, attention: 0 };
  const embeddings = g.dropout(astEmbeddings(g, base, s, inputValues), dropout.hidden);
  const hidden = astEncoder(g, base, s, embeddings, { fused: options.fused, dropout });
  // LayerNorm works token by token, so normalising only the two pooled tokens gives the same values.
  const pooledTokens = layerNorm(g, base, "layernorm", g.sliceAxis(hidden, 1, 0, 2), { epsilon: s.layerNormEps });
  const pooled = g.div(g.add(g.gather(pooledTokens, 0, 1), g.gather(pooledTokens, 1, 1)), 2);
  const head = weights.scope("classifier");
  head.tensor("dense.weight", [s.numLabels, s.hiddenSize]);
  const logits = g.scope("classifier", () => linear(g, head, "dense", layerNorm(g, head, "layernorm", pooled, { epsilon: s.layerNormEps })));
  g.output("logits", logits);
  return g.build({ metadata: { model_type: "audio-spectrogram-transformer", architecture: "ASTForAudioClassification" } });
}
