/**
 * The parameters (and buffers) a ClapModel with a given config.json holds, by Hugging Face name
 * with their shapes — what `ClapModel(config)` creates in Python. Used to initialise a model from
 * a config (random weights for benchmarks and tests, or training from scratch).
 */
import { ModelConfigError } from "../errors.js";
import type { ModelConfig } from "../model-config.js";
import { readClapSettings } from "./clap-config.js";

export type ParameterShapes = Map<string, number[]>;

function batchNormShapes(out: ParameterShapes, name: string, channels: number): void {
  for (const p of ["weight", "bias", "running_mean", "running_var"]) out.set(`${name}.${p}`, [channels]);
}

function linearShapes(out: ParameterShapes, name: string, inFeatures: number, outFeatures: number, bias = true): void {
  out.set(`${name}.weight`, [outFeatures, inFeatures]);
  if (bias) out.set(`${name}.bias`, [outFeatures]);
}

function layerNormShapes(out: ParameterShapes, name: string, features: number): void {
  out.set(`${name}.weight`, [features]);
  out.set(`${name}.bias`, [features]);
}

function audioShapes(out: ParameterShapes, config: ModelConfig, projectionDim: number): void {
  const audio = config.sub("audio_config");
  const s = readClapSettings(config).audio;
  const prefix = "audio_model.audio_encoder";
  const embed = audio.int("patch_embeds_hidden_size", 96);
  const mlpRatio = audio.number("mlp_ratio", 4);
  const qkvBias = audio.bool("qkv_bias", true);
  const inChannels = s.patchEmbedInputChannels;
  batchNormShapes(out, `${prefix}.batch_norm`, s.numMelBins);
  out.set(`${prefix}.patch_embed.proj.weight`, [embed, inChannels, ...s.patchSize]);
  out.set(`${prefix}.patch_embed.proj.bias`, [embed]);
  if (s.enablePatchLayerNorm) layerNormShapes(out, `${prefix}.patch_embed.norm`, embed);
  if (s.enableFusion) {
    out.set(`${prefix}.patch_embed.mel_conv2d.weight`, [embed, inChannels, s.patchSize[0], s.patchSize[1] * 3]);
    out.set(`${prefix}.patch_embed.mel_conv2d.bias`, [embed]);
    const inter = Math.floor(embed / audio.int("aff_block_r", 4));
    const fusion = `${prefix}.patch_embed.fusion_model`;
    for (const [branch, first] of [["local_att", 0], ["global_att", 1]] as const) {
      out.set(`${fusion}.${branch}.${first}.weight`, [inter, embed, 1, 1]);
      out.set(`${fusion}.${branch}.${first}.bias`, [inter]);
      batchNormShapes(out, `${fusion}.${branch}.${first + 1}`, inter);
      out.set(`${fusion}.${branch}.${first + 3}.weight`, [embed, inter, 1, 1]);
      out.set(`${fusion}.${branch}.${first + 3}.bias`, [embed]);
      batchNormShapes(out, `${fusion}.${branch}.${first + 4}`, embed);
    }
  }
  let dim = embed;
  s.depths.forEach((depth, i) => {
    for (let j = 0; j < depth; j++) {
      const block = `${prefix}.layers.${i}.blocks.${j}`;
      layerNormShapes(out, `${block}.layernorm_before`, dim);
      out.set(`${block}.attention.self.relative_position_bias_table`, [(2 * s.windowSize - 1) ** 2, s.numAttentionHeads[i]!]);
      for (const p of ["query", "key", "value"]) linearShapes(out, `${block}.attention.self.${p}`, dim, dim, qkvBias);
      linearShapes(out, `${block}.attention.output.dense`, dim, dim);
      layerNormShapes(out, `${block}.layernorm_after`, dim);
      const hidden = Math.trunc(mlpRatio * dim);
      linearShapes(out, `${block}.intermediate.dense`, dim, hidden);
      linearShapes(out, `${block}.output.dense`, hidden, dim);
    }
    if (i < s.depths.length - 1) {
      layerNormShapes(out, `${prefix}.layers.${i}.downsample.norm`, 4 * dim);
      linearShapes(out, `${prefix}.layers.${i}.downsample.reduction`, 4 * dim, 2 * dim, false);
      dim *= 2;
    }
  });
  layerNormShapes(out, `${prefix}.norm`, dim);
  const hiddenSize = audio.int("hidden_size", 768);
  if (hiddenSize !== dim) {
    throw new ModelConfigError(`${audio.source}: "hidden_size" ${hiddenSize} must equal the last stage's width patch_embeds_hidden_size·2^(stages−1) = ${dim}`);
  }
  linearShapes(out, "audio_projection.linear1", dim, projectionDim);
  linearShapes(out, "audio_projection.linear2", projectionDim, projectionDim);
}

function textShapes(out: ParameterShapes, config: ModelConfig, projectionDim: number): void {
  const text = config.sub("text_config");
  const s = readClapSettings(config).text;
  const hidden = text.int("hidden_size", 768);
  const intermediate = text.int("intermediate_size", 3072);
  out.set("text_model.embeddings.word_embeddings.weight", [text.int("vocab_size", 50265), hidden]);
  out.set("text_model.embeddings.position_embeddings.weight", [s.maxPositionEmbeddings, hidden]);
  out.set("text_model.embeddings.token_type_embeddings.weight", [text.int("type_vocab_size", 1), hidden]);
  layerNormShapes(out, "text_model.embeddings.LayerNorm", hidden);
  for (let i = 0; i < s.numHiddenLayers; i++) {
    const layer = `text_model.encoder.layer.${i}`;
    for (const p of ["query", "key", "value"]) linearShapes(out, `${layer}.attention.self.${p}`, hidden, hidden);
    linearShapes(out, `${layer}.attention.output.dense`, hidden, hidden);
    layerNormShapes(out, `${layer}.attention.output.LayerNorm`, hidden);
    linearShapes(out, `${layer}.intermediate.dense`, hidden, intermediate);
    linearShapes(out, `${layer}.output.dense`, intermediate, hidden);
    layerNormShapes(out, `${layer}.output.LayerNorm`, hidden);
  }
  linearShapes(out, "text_model.pooler.dense", hidden, hidden);
  linearShapes(out, "text_projection.linear1", hidden, projectionDim);
  linearShapes(out, "text_projection.linear2", projectionDim, projectionDim);
}

/** Every floating-point parameter of the ClapModel `config` describes, name → shape. */
export function clapParameterShapes(config: ModelConfig): ParameterShapes {
  const out: ParameterShapes = new Map();
  const projectionDim = config.int("projection_dim", 512);
  out.set("logit_scale_a", []);
  out.set("logit_scale_t", []);
  audioShapes(out, config, projectionDim);
  textShapes(out, config, projectionDim);
  return out;
}
