/**
 * Tiny CLAP checkpoints with seeded random weights, for the configurations the public fixture
 * does not cover (fusion, shifted windows, padded windows, odd grids): config.json,
 * preprocessor_config.json, model.safetensors and the fixture's tokenizer files in a temp folder.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clapParameterShapes } from "../../../src/models/clap/index.js";
import { ModelConfig } from "../../../src/models/model-config.js";
import type { Tensor } from "../../../src/tensor.js";
import { saveSafetensors } from "../../../src/weights/index.js";
import { modelDir } from "../../helpers/fixtures.js";

export interface TinyClapOptions {
  /** Overrides of the fixture's audio_config. */
  audio?: Record<string, unknown>;
  /** Overrides of preprocessor_config.json. */
  preprocessor?: Record<string, unknown>;
  seed?: number;
}

const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt"];

/** mulberry32: small, seedable, good enough for test weights. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tinyClapConfig(options: TinyClapOptions = {}): Record<string, unknown> {
  return {
    architectures: ["ClapModel"],
    model_type: "clap",
    projection_dim: 16,
    projection_hidden_act: "relu",
    logit_scale_init_value: 14.285714285714285,
    hidden_size: 32,
    audio_config: {
      model_type: "clap_audio_model",
      depths: [1, 1],
      hidden_size: 32,
      num_attention_heads: [2, 4],
      patch_embeds_hidden_size: 16,
      projection_dim: 16,
      ...options.audio,
    },
    text_config: {
      model_type: "clap_text_model",
      hidden_size: 32,
      intermediate_size: 64,
      max_position_embeddings: 66,
      num_attention_heads: 2,
      num_hidden_layers: 2,
      projection_dim: 16,
      vocab_size: 327,
    },
  };
}

/** Random weights for every parameter of `config`, scaled so activations stay O(1) but distinct. */
export function randomClapWeights(config: ModelConfig, seed = 1): Map<string, Tensor<"float32">> {
  const random = seededRandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const out = new Map<string, Tensor<"float32">>();
  for (const [name, dims] of clapParameterShapes(config)) {
    const count = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(count);
    const fanIn = dims.length >= 2 ? dims.slice(1).reduce((a, b) => a * b, 1) : 1;
    const leaf = name.slice(name.lastIndexOf(".") + 1);
    for (let i = 0; i < count; i++) {
      const z = normal();
      if (name.startsWith("logit_scale")) data[i] = Math.log(10);
      else if (leaf === "running_var") data[i] = 0.5 + random();
      else if (leaf === "running_mean") data[i] = 0.3 * z;
      else if (dims.length === 1 && leaf === "weight") data[i] = 1 + 0.2 * z; // norms
      else if (leaf === "bias") data[i] = 0.1 * z;
      else if (leaf === "relative_position_bias_table") data[i] = 1.5 * z; // strong, so window mistakes show
      else data[i] = (1.5 * z) / Math.sqrt(fanIn);
    }
    out.set(name, { type: "float32", dims, data });
  }
  return out;
}

export interface TinyClapCheckpoint {
  dir: string;
  config: Record<string, unknown>;
  cleanup(): void;
}

/** Writes a complete CLAP checkpoint folder (tokenizer from the fixture) and returns it. */
export async function writeTinyClapCheckpoint(options: TinyClapOptions = {}): Promise<TinyClapCheckpoint> {
  const dir = mkdtempSync(join(tmpdir(), "audioclass-clap-"));
  const config = tinyClapConfig(options);
  const fused = (config["audio_config"] as Record<string, unknown>)["enable_fusion"] === true;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify(config, null, 2));
  const preprocessor = {
    feature_extractor_type: "ClapFeatureExtractor",
    feature_size: 64,
    fft_window_size: 1024,
    frequency_max: 14000,
    frequency_min: 50,
    hop_length: 480,
    max_length_s: 10,
    padding: "repeatpad",
    sampling_rate: 48000,
    truncation: fused ? "fusion" : "rand_trunc",
    ...options.preprocessor,
  };
  writeFileSync(join(dir, "preprocessor_config.json"), JSON.stringify(preprocessor, null, 2));
  for (const file of TOKENIZER_FILES) copyFileSync(join(modelDir("clap"), file), join(dir, file));
  await saveSafetensors(join(dir, "model.safetensors"), randomClapWeights(new ModelConfig(config), options.seed ?? 1));
  return { dir, config, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
