/**
 * Tiny random checkpoints of the wav2vec2 family (wav2vec2, HuBERT, WavLM, Data2VecAudio
 * *ForSequenceClassification): a small config.json, every parameter under its Hugging Face name
 * and shape — `weight_g`/`weight_v` for the positional conv as transformers saves it, HuBERT's
 * batch-norm buffers, WavLM's relative-position tables — and a folder holding both.
 *
 * The parameter list is src/models' (parameters(config)); the fixture tests check it against
 * checkpoints transformers wrote, so it cannot drift from what the builders read.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Tensor } from "../../../src/tensor.js";
import { saveSafetensors } from "../../../src/weights/index.js";
import { ModelConfig, architectureFor } from "../../../src/models/index.js";
import { type ParameterSpec, linearSpecs, randomCheckpoint } from "./random-checkpoint.js";

export type Wav2Vec2Family = "wav2vec2" | "hubert" | "wavlm" | "data2vec-audio" | "unispeech" | "unispeech-sat";
export type Json = Record<string, unknown>;

/** base_model_prefix of each *ForSequenceClassification. */
export const FAMILY_PREFIX: Readonly<Record<Wav2Vec2Family, string>> = { wav2vec2: "wav2vec2", hubert: "hubert", wavlm: "wavlm", "data2vec-audio": "data2vec_audio", unispeech: "unispeech", "unispeech-sat": "unispeech_sat" };

const CLASS_NAME: Readonly<Record<Wav2Vec2Family, string>> = {
  wav2vec2: "Wav2Vec2ForSequenceClassification",
  hubert: "HubertForSequenceClassification",
  wavlm: "WavLMForSequenceClassification",
  "data2vec-audio": "Data2VecAudioForSequenceClassification",
  unispeech: "UniSpeechForSequenceClassification",
  "unispeech-sat": "UniSpeechSatForSequenceClassification",
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

/** Every parameter of the *ForSequenceClassification model the config describes (src/models' list). */
export function wav2vec2FamilyParameters(config: Json): ParameterSpec[] {
  const model = new ModelConfig(config);
  return architectureFor(model).parameters(model);
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
    if (!specs.some((s) => s.name === `${p}.masked_spec_embed`)) specs.push({ name: `${p}.masked_spec_embed`, shape: [d], role: "embedding", init: { kind: "fill", value: 0 } });
    specs.push(
      { name: "quantizer.codevectors", shape: [1, 8, 4], role: "embedding", init: { kind: "fill", value: 0 } },
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
