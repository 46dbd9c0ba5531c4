/**
 * Tiny random checkpoints of the wav2vec2 family (wav2vec2, HuBERT, WavLM, Data2VecAudio
 * *ForSequenceClassification): a small config.json, every parameter under its Hugging Face name
 * and shape — `weight_g`/`weight_v` for the positional conv as transformers saves it, HuBERT's
 * batch-norm buffers, WavLM's relative-position tables — and a folder holding both.
 *
 * Shapes are derived from the config keys directly (not through src/) so the tests check the
 * model code against an independent reading of the transformers modules.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Tensor } from "../../../src/tensor.js";
import { saveSafetensors } from "../../../src/weights/index.js";
import { type ParameterSpec, layerNormSpecs, linearSpecs, randomCheckpoint } from "./random-checkpoint.js";

export type Wav2Vec2Family = "wav2vec2" | "hubert" | "wavlm" | "data2vec-audio";
export type Json = Record<string, unknown>;

/** base_model_prefix of each *ForSequenceClassification. */
export const FAMILY_PREFIX: Readonly<Record<Wav2Vec2Family, string>> = { wav2vec2: "wav2vec2", hubert: "hubert", wavlm: "wavlm", "data2vec-audio": "data2vec_audio" };

const CLASS_NAME: Readonly<Record<Wav2Vec2Family, string>> = {
  wav2vec2: "Wav2Vec2ForSequenceClassification",
  hubert: "HubertForSequenceClassification",
  wavlm: "WavLMForSequenceClassification",
  "data2vec-audio": "Data2VecAudioForSequenceClassification",
};

/**
 * A small but complete config: 3 convs (receptive field 30 samples, stride 20), width 16, one
 * layer, 4 labels. Keys transformers' config classes default are written out, so the checkpoint
 * generator and the reference can read them without knowing the defaults.
 */
export function tinyWav2Vec2Config(family: Wav2Vec2Family, overrides: Json = {}): Json {
  const config: Json = {
    model_type: family,
    architectures: [CLASS_NAME[family]],
    hidden_size: 16,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 24,
    hidden_act: "gelu",
    layer_norm_eps: 1e-5,
    conv_dim: [8, 8, 8],
    conv_kernel: [10, 3, 3],
    conv_stride: [5, 2, 2],
    conv_bias: false,
    feat_extract_norm: "group",
    feat_extract_activation: "gelu",
    num_conv_pos_embeddings: 8,
    num_conv_pos_embedding_groups: 2,
    do_stable_layer_norm: false,
    use_weighted_layer_sum: false,
    classifier_proj_size: 8,
    mask_time_prob: 0.05,
    id2label: { 0: "yes", 1: "no", 2: "up", 3: "down" },
    ...(family === "hubert" ? { feat_proj_layer_norm: true, conv_pos_batch_norm: false } : {}),
    ...(family === "wavlm" ? { num_buckets: 32, max_bucket_distance: 40 } : {}),
    ...(family === "data2vec-audio" ? { feat_extract_norm: "layer", conv_pos_kernel_size: 5, num_conv_pos_embeddings: 2 } : {}),
  };
  return { ...config, ...overrides };
}

export function get<T>(config: Json, key: string): T {
  const v = config[key];
  if (v === undefined) throw new Error(`tiny wav2vec2 config: "${key}" is missing`);
  return v as T;
}

/** Every parameter of the *ForSequenceClassification model the config describes (float32 ones). */
export function wav2vec2FamilyParameters(config: Json): ParameterSpec[] {
  const family = get<Wav2Vec2Family>(config, "model_type");
  const p = FAMILY_PREFIX[family];
  const d = get<number>(config, "hidden_size");
  const heads = get<number>(config, "num_attention_heads");
  const convDim = get<number[]>(config, "conv_dim");
  const convKernel = get<number[]>(config, "conv_kernel");
  const groups = get<number>(config, "num_conv_pos_embedding_groups");
  const layerNormFeatures = family === "data2vec-audio" || get<string>(config, "feat_extract_norm") === "layer";
  const specs: ParameterSpec[] = [];

  convDim.forEach((channels, i) => {
    const layer = `${p}.feature_extractor.conv_layers.${i}`;
    specs.push({ name: `${layer}.conv.weight`, shape: [channels, i === 0 ? 1 : convDim[i - 1]!, convKernel[i]!], role: "conv" });
    if (config["conv_bias"] === true) specs.push({ name: `${layer}.conv.bias`, shape: [channels], role: "bias" });
    if (layerNormFeatures || i === 0) specs.push(...layerNormSpecs(`${layer}.layer_norm`, channels));
  });
  const last = convDim[convDim.length - 1]!;
  if (!(family === "hubert" && config["feat_proj_layer_norm"] === false)) specs.push(...layerNormSpecs(`${p}.feature_projection.layer_norm`, last));
  specs.push(...linearSpecs(`${p}.feature_projection.projection`, d, last));

  const pos = `${p}.encoder.pos_conv_embed`;
  if (family === "data2vec-audio") {
    const kernel = get<number>(config, "conv_pos_kernel_size");
    for (let i = 0; i < get<number>(config, "num_conv_pos_embeddings"); i++) {
      specs.push({ name: `${pos}.layers.${i}.conv.weight`, shape: [d, d / groups, kernel], role: "conv" }, { name: `${pos}.layers.${i}.conv.bias`, shape: [d], role: "bias" });
    }
  } else {
    const kernel = get<number>(config, "num_conv_pos_embeddings");
    if (family === "hubert" && config["conv_pos_batch_norm"] === true) {
      specs.push(
        { name: `${pos}.batch_norm.weight`, shape: [d], role: "norm-weight" },
        { name: `${pos}.batch_norm.bias`, shape: [d], role: "norm-bias" },
        { name: `${pos}.batch_norm.running_mean`, shape: [d], role: "norm-bias" },
        { name: `${pos}.batch_norm.running_var`, shape: [d], role: "norm-weight" },
        { name: `${pos}.conv.weight`, shape: [d, d / groups, kernel], role: "conv" },
      );
    } else {
      // torch's weight_norm(dim=2): one magnitude per kernel tap
      specs.push({ name: `${pos}.conv.weight_g`, shape: [1, 1, kernel], role: "norm-weight" }, { name: `${pos}.conv.weight_v`, shape: [d, d / groups, kernel], role: "conv" });
    }
    specs.push({ name: `${pos}.conv.bias`, shape: [d], role: "bias" });
  }
  specs.push(...layerNormSpecs(`${p}.encoder.layer_norm`, d));

  const intermediate = get<number>(config, "intermediate_size");
  const adapter = family === "wav2vec2" && config["do_stable_layer_norm"] === true ? (config["adapter_attn_dim"] as number | null | undefined) : undefined;
  for (let i = 0; i < get<number>(config, "num_hidden_layers"); i++) {
    const layer = `${p}.encoder.layers.${i}`;
    for (const proj of ["q_proj", "k_proj", "v_proj", "out_proj"]) specs.push(...linearSpecs(`${layer}.attention.${proj}`, d, d));
    if (family === "wavlm") {
      specs.push({ name: `${layer}.attention.gru_rel_pos_const`, shape: [1, heads, 1, 1], role: "norm-weight" }, ...linearSpecs(`${layer}.attention.gru_rel_pos_linear`, 8, d / heads));
      if (i === 0) specs.push({ name: `${layer}.attention.rel_attn_embed.weight`, shape: [get<number>(config, "num_buckets"), heads], role: "embedding" });
    }
    specs.push(
      ...layerNormSpecs(`${layer}.layer_norm`, d),
      ...linearSpecs(`${layer}.feed_forward.intermediate_dense`, intermediate, d),
      ...linearSpecs(`${layer}.feed_forward.output_dense`, d, intermediate),
      ...layerNormSpecs(`${layer}.final_layer_norm`, d),
    );
    if (typeof adapter === "number") {
      specs.push(...layerNormSpecs(`${layer}.adapter_layer.norm`, d), ...linearSpecs(`${layer}.adapter_layer.linear_1`, adapter, d), ...linearSpecs(`${layer}.adapter_layer.linear_2`, d, adapter));
    }
  }
  if (config["use_weighted_layer_sum"] === true) specs.push({ name: "layer_weights", shape: [get<number>(config, "num_hidden_layers") + 1], role: "layer-weights" });
  const proj = get<number>(config, "classifier_proj_size");
  const labels = Object.keys(get<Json>(config, "id2label")).length;
  specs.push(...linearSpecs("projector", proj, d), ...linearSpecs("classifier", labels, proj));
  return specs;
}

export type TensorMap = Map<string, Tensor>;

export interface TinyCheckpointOptions {
  readonly seed?: number;
  /** Add what real checkpoints carry but classification does not use: masked_spec_embed, a pre-training quantizer. */
  readonly trainingOnly?: boolean;
}

/** Seeded random weights for the config; HuBERT's batch norm also gets its int64 step counter. */
export function tinyWav2Vec2Checkpoint(config: Json, options: TinyCheckpointOptions = {}): TensorMap {
  const family = get<Wav2Vec2Family>(config, "model_type");
  const p = FAMILY_PREFIX[family];
  const specs = wav2vec2FamilyParameters(config);
  if (options.trainingOnly) {
    const d = get<number>(config, "hidden_size");
    specs.push(
      { name: `${p}.masked_spec_embed`, shape: [d], role: "embedding" },
      { name: "quantizer.codevectors", shape: [1, 8, 4], role: "embedding" },
      ...linearSpecs("quantizer.weight_proj", 8, get<number[]>(config, "conv_dim").at(-1)!),
      ...linearSpecs("project_q", 4, 4),
      ...linearSpecs("project_hid", 4, d),
    );
  }
  const checkpoint: TensorMap = new Map(randomCheckpoint(specs, options.seed ?? 1));
  if (family === "hubert" && config["conv_pos_batch_norm"] === true) {
    checkpoint.set(`${p}.encoder.pos_conv_embed.batch_norm.num_batches_tracked`, { type: "int64", dims: [], data: BigInt64Array.of(1000n) });
  }
  return checkpoint;
}

/** Writes config.json and model.safetensors into a fresh folder under the OS temp dir. */
export async function writeTinyWav2Vec2Model(config: Json, checkpoint: TensorMap): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "audioclass-wav2vec2-"));
  await writeFile(join(dir, "config.json"), JSON.stringify(config, null, 2));
  await saveSafetensors(join(dir, "model.safetensors"), checkpoint);
  return dir;
}
