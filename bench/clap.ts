// CLAP speed at full size: random weights with the exact config of laion/clap-htsat-unfused
// (HTSAT-tiny audio tower, RoBERTa-base text tower, 512-d projections).
//   node --import tsx bench/clap.ts [--quick]
// Reports ms per 10 s clip for the audio tower (feature extraction separately), ms per label for
// the text tower. Wall-clock on a shared machine: compare ratios within one run.
import { availableParallelism } from "node:os";
import { ClapFeatureExtractor } from "../src/features/index.js";
import type { GraphTensor } from "../src/graph/index.js";
import { buildClapAudioGraph, buildClapTextGraph, clapParameterShapes, readClapSettings } from "../src/models/clap/index.js";
import { ModelConfig } from "../src/models/model-config.js";
import { Weights } from "../src/nn/index.js";
import { type Session, createSession } from "../src/runtime/index.js";
import type { Tensor } from "../src/tensor.js";

const quick = process.argv.includes("--quick");
const threads = availableParallelism();

/** config.json of laion/clap-htsat-unfused (the values that shape the model). */
const UNFUSED_CONFIG = {
  architectures: ["ClapModel"],
  model_type: "clap",
  hidden_size: 768,
  projection_dim: 512,
  projection_hidden_act: "relu",
  logit_scale_init_value: 14.285714285714285,
  num_hidden_layers: 16,
  audio_config: {
    model_type: "clap_audio_model",
    aff_block_r: 4,
    depths: [2, 2, 6, 2],
    enable_fusion: false,
    enable_patch_layer_norm: true,
    flatten_patch_embeds: true,
    fusion_type: null,
    hidden_act: "gelu",
    hidden_size: 768,
    layer_norm_eps: 1e-5,
    mlp_ratio: 4.0,
    num_attention_heads: [4, 8, 16, 32],
    num_mel_bins: 64,
    patch_embed_input_channels: 1,
    patch_embeds_hidden_size: 96,
    patch_size: 4,
    patch_stride: [4, 4],
    projection_dim: 512,
    qkv_bias: true,
    spec_size: 256,
    window_size: 8,
  },
  text_config: {
    model_type: "clap_text_model",
    hidden_act: "gelu",
    hidden_size: 768,
    intermediate_size: 3072,
    layer_norm_eps: 1e-12,
    max_position_embeddings: 514,
    num_attention_heads: 12,
    num_hidden_layers: 12,
    pad_token_id: 1,
    projection_dim: 512,
    type_vocab_size: 1,
    vocab_size: 50265,
  },
};

/** preprocessor_config.json of laion/clap-htsat-unfused. */
const UNFUSED_PREPROCESSOR = {
  feature_extractor_type: "ClapFeatureExtractor",
  feature_size: 64,
  fft_window_size: 1024,
  frequency_max: 14000,
  frequency_min: 50,
  hop_length: 480,
  max_length_s: 10,
  padding: "repeatpad",
  sampling_rate: 48000,
  truncation: "rand_trunc",
};

function filled(n: number, seed: number, scale: number, offset = 0): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = offset + (s / 4294967296 - 0.5) * scale;
  }
  return out;
}

function randomWeights(config: ModelConfig): Map<string, GraphTensor> {
  const out = new Map<string, GraphTensor>();
  let seed = 1;
  for (const [name, dims] of clapParameterShapes(config)) {
    const n = dims.reduce((a, b) => a * b, 1);
    const fanIn = dims.length >= 2 ? dims.slice(1).reduce((a, b) => a * b, 1) : 1;
    const leaf = name.slice(name.lastIndexOf(".") + 1);
    const data =
      leaf === "running_var" ? filled(n, seed++, 0.5, 1)
      : dims.length === 1 && leaf === "weight" ? filled(n, seed++, 0.2, 1)
      : filled(n, seed++, 2 / Math.sqrt(fanIn));
    out.set(name, { type: "float32", dims, data });
  }
  return out;
}

/**
 * Best and median wall-clock ms per run after one warm-up run, and the median CPU ms (all
 * threads): on a machine shared with other jobs the CPU time is the steadier figure.
 */
async function time(session: Session, feeds: Record<string, Tensor>, runs: number): Promise<{ best: number; median: number; cpu: number }> {
  await session.run(feeds);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { best: times[0]!, median: times[Math.floor(times.length / 2)]!, cpu: cpu[Math.floor(cpu.length / 2)]! };
}

const fmt = (v: number): string => v.toFixed(1);

async function main(): Promise<void> {
  const summary: string[] = [];
  const config = new ModelConfig(UNFUSED_CONFIG, "laion/clap-htsat-unfused config.json");
  const settings = readClapSettings(config);
  let t0 = performance.now();
  const weights = Weights.from(randomWeights(config));
  const params = [...clapParameterShapes(config).values()].reduce((n, d) => n + d.reduce((a, b) => a * b, 1), 0);
  console.log(`# CLAP (laion/clap-htsat-unfused config, random weights): ${(params / 1e6).toFixed(1)} M parameters, ${threads} threads`);
  console.log(`random weights: ${fmt(performance.now() - t0)} ms`);

  // feature extraction of one 10 s clip at 48 kHz (JS, single-threaded)
  const fe = new ClapFeatureExtractor(UNFUSED_PREPROCESSOR);
  const clip = filled(480000, 7, 0.5);
  fe(clip, { samplingRate: 48000 });
  const feTimes: number[] = [];
  for (let i = 0; i < (quick ? 3 : 10); i++) {
    const t = performance.now();
    fe(clip, { samplingRate: 48000 });
    feTimes.push(performance.now() - t);
  }
  feTimes.sort((a, b) => a - b);
  console.log(`\n## ClapFeatureExtractor: ${fmt(feTimes[0]!)} ms per 10 s clip (best; median ${fmt(feTimes[Math.floor(feTimes.length / 2)]!)})`);

  console.log("\n## Audio tower (HTSAT-tiny + projection), input_features [batch, 1, 1001, 64]");
  for (const fused of [false, true]) {
    t0 = performance.now();
    const graph = buildClapAudioGraph(settings, weights, { channels: 1, frames: 1001, bins: 64 }, { fused });
    const built = performance.now() - t0;
    const session = await createSession(graph, { threads });
    const label = fused ? "fused attention  " : "plain attention  ";
    console.log(`${label} build ${fmt(built)} ms, serialise ${fmt(session.timings.serializeMs)} ms, load ${fmt(session.timings.loadMs)} ms`);
    for (const batch of quick ? [1] : [1, 4]) {
      const features: Tensor = { type: "float32", dims: [batch, 1, 1001, 64], data: filled(batch * 1001 * 64, 3, 40, -40) };
      const { best, median, cpu } = await time(session, { input_features: features }, quick ? 3 : batch === 1 ? 20 : 8);
      console.log(`${label} batch ${batch}: ${fmt(best / batch)} ms per 10 s clip (best; median ${fmt(median / batch)}; CPU ${fmt(cpu / batch)} ms)`);
      if (!fused && batch === 1) summary.push(`audio tower ${fmt(best)} ms per 10 s clip (CPU ${fmt(cpu)} ms)`);
    }
    await session.dispose();
  }

  console.log("\n## Text tower (RoBERTa-base + projection)");
  t0 = performance.now();
  const textGraph = buildClapTextGraph(settings, weights);
  const built = performance.now() - t0;
  const text = await createSession(textGraph, { threads });
  console.log(`build ${fmt(built)} ms, serialise ${fmt(text.timings.serializeMs)} ms, load ${fmt(text.timings.loadMs)} ms`);
  // "This is a sound of <label>." is 9–12 tokens with <s> and </s>
  for (const [labels, length] of [[1, 10], [10, 12], [100, 12]] as const) {
    if (quick && labels === 100) continue;
    const ids = BigInt64Array.from(filled(labels * length, 5, 1, 0.5), (v) => BigInt(4 + Math.floor(v * 50000)));
    for (let b = 0; b < labels; b++) {
      ids[b * length] = 0n;
      ids[b * length + length - 1] = 2n;
    }
    const feeds: Record<string, Tensor> = {
      input_ids: { type: "int64", dims: [labels, length], data: ids },
      attention_mask: { type: "int64", dims: [labels, length], data: new BigInt64Array(labels * length).fill(1n) },
    };
    const { best, median, cpu } = await time(text, feeds, quick ? 3 : 10);
    console.log(`${labels} label${labels > 1 ? "s" : ""} × ${length} tokens: ${fmt(best / labels)} ms per label (best; median ${fmt(median / labels)}; CPU ${fmt(cpu / labels)} ms)`);
    if (labels === 10) summary.push(`text tower ${fmt(best / labels)} ms per label, 10 labels per run (CPU ${fmt(cpu / labels)} ms)`);
  }
  await text.dispose();
  console.log(`\nsummary (best runs, ${threads} threads): ${summary.join("; ")}`);
}

await main();
