/**
 * A plain-loop float64 forward pass of a wav2vec2-family *ForSequenceClassification for one
 * unpadded waveform, written from the transformers modules (modeling_wav2vec2.py, _hubert,
 * _wavlm, _data2vec_audio) without the graph code: conv feature encoder, feature projection,
 * positional conv (weight norm folded here from weight_g/weight_v), post- or pre-LN layers,
 * WavLM's gated relative-position bias, weighted layer sum, projector, mean, classifier.
 * Frames are row-major [T, channels] Float64Arrays. Tiny models only.
 */
import { type Json, FAMILY_PREFIX, type TensorMap, type Wav2Vec2Family, get } from "./tiny-wav2vec2-checkpoint.js";
import { activationRef, addRef, layerNormRef, linearRef } from "./reference-layers.js";

type Seq = { data: Float64Array; frames: number; channels: number };

function weight(checkpoint: TensorMap, name: string): Float32Array {
  const t = checkpoint.get(name);
  if (t === undefined || !(t.data instanceof Float32Array)) throw new Error(`reference: no float32 parameter ${name}`);
  return t.data;
}

function dimsOf(checkpoint: TensorMap, name: string): number[] {
  return [...checkpoint.get(name)!.dims];
}

/** PyTorch Conv1d over time with zero padding, on [T, Cin] frames; w [Cout, Cin/groups, k]. */
function conv(x: Seq, w: Float32Array, wDims: number[], bias: Float32Array | undefined, stride: number, pad: number, groups: number): Seq {
  const [cout, perGroup, k] = wDims as [number, number, number];
  const frames = Math.floor((x.frames + 2 * pad - k) / stride) + 1;
  const outPerGroup = cout / groups;
  const y = new Float64Array(frames * cout);
  for (let t = 0; t < frames; t++) {
    for (let o = 0; o < cout; o++) {
      const group = Math.floor(o / outPerGroup);
      let s = bias ? bias[o]! : 0;
      for (let c = 0; c < perGroup; c++) {
        const ci = group * perGroup + c;
        for (let j = 0; j < k; j++) {
          const ti = t * stride + j - pad;
          if (ti >= 0 && ti < x.frames) s += x.data[ti * x.channels + ci]! * w[(o * perGroup + c) * k + j]!;
        }
      }
      y[t * cout + o] = s;
    }
  }
  return { data: y, frames, channels: cout };
}

/** Per-channel normalisation over time (GroupNorm with one group per channel, eps 1e-5). */
function channelNorm(x: Seq, gamma: Float32Array, beta: Float32Array): Seq {
  const y = new Float64Array(x.data.length);
  for (let c = 0; c < x.channels; c++) {
    let mean = 0;
    for (let t = 0; t < x.frames; t++) mean += x.data[t * x.channels + c]!;
    mean /= x.frames;
    let variance = 0;
    for (let t = 0; t < x.frames; t++) variance += (x.data[t * x.channels + c]! - mean) ** 2;
    variance /= x.frames;
    const inv = 1 / Math.sqrt(variance + 1e-5);
    for (let t = 0; t < x.frames; t++) y[t * x.channels + c] = (x.data[t * x.channels + c]! - mean) * inv * gamma[c]! + beta[c]!;
  }
  return { ...x, data: y };
}

/** torch weight_norm(dim=2): w = g · v / ‖v‖, one norm per kernel tap over [out, in]. */
function foldWeightNorm(g: Float32Array, v: Float32Array, dims: number[]): Float32Array {
  const [out, inPer, k] = dims as [number, number, number];
  const w = new Float32Array(v.length);
  for (let j = 0; j < k; j++) {
    let sum = 0;
    for (let i = 0; i < out * inPer; i++) sum += v[i * k + j]! ** 2;
    for (let i = 0; i < out * inPer; i++) w[i * k + j] = (g[j]! * v[i * k + j]!) / Math.sqrt(sum);
  }
  return w;
}

function bucket(relative: number, numBuckets: number, maxDistance: number): number {
  const half = Math.floor(numBuckets / 2);
  const maxExact = Math.floor(half / 2);
  const a = Math.abs(relative);
  const base = relative > 0 ? half : 0;
  if (a < maxExact) return base + a;
  return base + Math.min(Math.floor(maxExact + (Math.log(a / maxExact) / Math.log(maxDistance / maxExact)) * (half - maxExact)), half - 1);
}

/** softmax(Q·Kᵀ/√dh + bias[h])·V per head, then out_proj. bias: [heads][T][T] flattened, or none. */
function attention(checkpoint: TensorMap, prefix: string, x: Float64Array, frames: number, d: number, heads: number, bias?: Float64Array): Float64Array {
  const lin = (name: string): Float64Array => linearRef(x, frames, weight(checkpoint, `${prefix}.${name}.weight`), weight(checkpoint, `${prefix}.${name}.bias`), d);
  const [q, k, v] = [lin("q_proj"), lin("k_proj"), lin("v_proj")];
  const dh = d / heads;
  const context = new Float64Array(frames * d);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < frames; i++) {
      const scores = new Float64Array(frames);
      for (let j = 0; j < frames; j++) {
        let s = 0;
        for (let c = 0; c < dh; c++) s += q[i * d + h * dh + c]! * k[j * d + h * dh + c]!;
        scores[j] = s / Math.sqrt(dh) + (bias ? bias[(h * frames + i) * frames + j]! : 0);
      }
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let j = 0; j < frames; j++) for (let c = 0; c < dh; c++) context[i * d + h * dh + c] += (e[j]! / sum) * v[j * d + h * dh + c]!;
    }
  }
  return linearRef(context, frames, weight(checkpoint, `${prefix}.out_proj.weight`), weight(checkpoint, `${prefix}.out_proj.bias`), d);
}

/** WavLM: the layer's gate per head and query times the shared bias rel_attn_embed[bucket(k − q)]. */
function gatedBias(checkpoint: TensorMap, config: Json, prefix: string, layer0: string, x: Float64Array, frames: number, d: number, heads: number): Float64Array {
  const table = weight(checkpoint, `${layer0}.rel_attn_embed.weight`);
  const constant = weight(checkpoint, `${prefix}.gru_rel_pos_const`);
  const dh = d / heads;
  const out = new Float64Array(heads * frames * frames);
  const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < frames; i++) {
      const slice = x.subarray(i * d + h * dh, i * d + (h + 1) * dh);
      const p = linearRef(Float64Array.from(slice), 1, weight(checkpoint, `${prefix}.gru_rel_pos_linear.weight`), weight(checkpoint, `${prefix}.gru_rel_pos_linear.bias`), 8);
      const a = sigmoid(p[0]! + p[1]! + p[2]! + p[3]!);
      const b = sigmoid(p[4]! + p[5]! + p[6]! + p[7]!);
      const gate = a * (b * constant[h]! - 1) + 2;
      for (let j = 0; j < frames; j++) {
        const index = bucket(j - i, get<number>(config, "num_buckets"), get<number>(config, "max_bucket_distance"));
        out[(h * frames + i) * frames + j] = gate * table[index * heads + h]!;
      }
    }
  }
  return out;
}

function positionalEmbedding(checkpoint: TensorMap, config: Json, family: Wav2Vec2Family, pos: string, h: Seq): Seq {
  const act = get<string>(config, "feat_extract_activation");
  const groups = get<number>(config, "num_conv_pos_embedding_groups");
  const sameConv = (x: Seq, w: Float32Array, dims: number[], bias: Float32Array): Seq => {
    const k = dims[2]!;
    const y = conv(x, w, dims, bias, 1, Math.floor(k / 2), groups);
    return k % 2 === 0 ? { ...y, frames: y.frames - 1, data: y.data.subarray(0, (y.frames - 1) * y.channels) } : y;
  };
  if (family === "data2vec-audio") {
    let x = h;
    const ones = new Float32Array(h.channels).fill(1);
    const zeros = new Float32Array(h.channels);
    for (let i = 0; i < get<number>(config, "num_conv_pos_embeddings"); i++) {
      const name = `${pos}.layers.${i}.conv`;
      const y = sameConv(x, weight(checkpoint, `${name}.weight`), dimsOf(checkpoint, `${name}.weight`), weight(checkpoint, `${name}.bias`));
      x = { ...y, data: activationRef(layerNormRef(Float64Array.from(y.data), y.frames, ones, zeros, 1e-5), act) };
    }
    return x;
  }
  let x = h;
  let w: Float32Array;
  if (checkpoint.has(`${pos}.batch_norm.weight`)) {
    const [gamma, beta, mean, variance] = ["weight", "bias", "running_mean", "running_var"].map((n) => weight(checkpoint, `${pos}.batch_norm.${n}`)) as [Float32Array, Float32Array, Float32Array, Float32Array];
    x = { ...h, data: h.data.map((v, i) => { const c = i % h.channels; return ((v - mean[c]!) / Math.sqrt(variance[c]! + 1e-5)) * gamma[c]! + beta[c]!; }) };
    w = weight(checkpoint, `${pos}.conv.weight`);
  } else {
    w = foldWeightNorm(weight(checkpoint, `${pos}.conv.weight_g`), weight(checkpoint, `${pos}.conv.weight_v`), dimsOf(checkpoint, `${pos}.conv.weight_v`));
  }
  const dims = [h.channels, h.channels / groups, get<number>(config, "num_conv_pos_embeddings")];
  const y = sameConv(x, w, dims, weight(checkpoint, `${pos}.conv.bias`));
  return { ...y, data: activationRef(Float64Array.from(y.data), act) };
}

/** Logits [num_labels] for one waveform (no padding, no mask), in float64. */
export function wav2vec2FamilyReferenceLogits(config: Json, checkpoint: TensorMap, samples: Float32Array): Float64Array {
  const family = get<Wav2Vec2Family>(config, "model_type");
  const p = FAMILY_PREFIX[family];
  const eps = get<number>(config, "layer_norm_eps");
  const d = get<number>(config, "hidden_size");
  const heads = get<number>(config, "num_attention_heads");
  const stable = config["do_stable_layer_norm"] === true;
  const ln = (x: Float64Array, frames: number, name: string, e = eps): Float64Array => layerNormRef(x, frames, weight(checkpoint, `${name}.weight`), weight(checkpoint, `${name}.bias`), e);

  // feature encoder
  let x: Seq = { data: Float64Array.from(samples), frames: samples.length, channels: 1 };
  const layerNorms = family === "data2vec-audio" || get<string>(config, "feat_extract_norm") === "layer";
  get<number[]>(config, "conv_dim").forEach((_, i) => {
    const name = `${p}.feature_extractor.conv_layers.${i}`;
    const bias = config["conv_bias"] === true ? weight(checkpoint, `${name}.conv.bias`) : undefined;
    x = conv(x, weight(checkpoint, `${name}.conv.weight`), dimsOf(checkpoint, `${name}.conv.weight`), bias, get<number[]>(config, "conv_stride")[i]!, 0, 1);
    if (layerNorms) x = { ...x, data: ln(x.data, x.frames, `${name}.layer_norm`, 1e-5) };
    else if (i === 0) x = channelNorm(x, weight(checkpoint, `${name}.layer_norm.weight`), weight(checkpoint, `${name}.layer_norm.bias`));
    x = { ...x, data: activationRef(x.data, get<string>(config, "feat_extract_activation")) };
  });
  const frames = x.frames;
  let features = x.data;
  if (checkpoint.has(`${p}.feature_projection.layer_norm.weight`)) features = ln(features, frames, `${p}.feature_projection.layer_norm`);
  let h = linearRef(features, frames, weight(checkpoint, `${p}.feature_projection.projection.weight`), weight(checkpoint, `${p}.feature_projection.projection.bias`), d);

  // encoder
  const pos = positionalEmbedding(checkpoint, config, family, `${p}.encoder.pos_conv_embed`, { data: h, frames, channels: d });
  h = addRef(h, pos.data);
  if (!stable) h = ln(h, frames, `${p}.encoder.layer_norm`);
  const states = [h];
  const act = get<string>(config, "hidden_act");
  const layers = get<number>(config, "num_hidden_layers");
  for (let i = 0; i < layers; i++) {
    const layer = `${p}.encoder.layers.${i}`;
    const attend = (input: Float64Array): Float64Array => {
      const bias = family === "wavlm" ? gatedBias(checkpoint, config, `${layer}.attention`, `${p}.encoder.layers.0.attention`, input, frames, d, heads) : undefined;
      return attention(checkpoint, `${layer}.attention`, input, frames, d, heads, bias);
    };
    const ffn = (input: Float64Array): Float64Array => {
      const inner = linearRef(input, frames, weight(checkpoint, `${layer}.feed_forward.intermediate_dense.weight`), weight(checkpoint, `${layer}.feed_forward.intermediate_dense.bias`), get<number>(config, "intermediate_size"));
      return linearRef(activationRef(inner, act), frames, weight(checkpoint, `${layer}.feed_forward.output_dense.weight`), weight(checkpoint, `${layer}.feed_forward.output_dense.bias`), d);
    };
    if (stable) {
      h = addRef(h, attend(ln(h, frames, `${layer}.layer_norm`)));
      h = addRef(h, ffn(ln(h, frames, `${layer}.final_layer_norm`)));
      if (checkpoint.has(`${layer}.adapter_layer.norm.weight`)) {
        const a = `${layer}.adapter_layer`;
        const dim = dimsOf(checkpoint, `${a}.linear_1.weight`)[0]!;
        const inner = activationRef(linearRef(ln(h, frames, `${a}.norm`, 1e-5), frames, weight(checkpoint, `${a}.linear_1.weight`), weight(checkpoint, `${a}.linear_1.bias`), dim), "relu");
        h = addRef(h, linearRef(inner, frames, weight(checkpoint, `${a}.linear_2.weight`), weight(checkpoint, `${a}.linear_2.bias`), d));
      }
    } else {
      h = ln(addRef(h, attend(h)), frames, `${layer}.layer_norm`);
      h = ln(addRef(h, ffn(h)), frames, `${layer}.final_layer_norm`);
    }
    states.push(h);
  }
  if (stable) states[states.length - 1] = ln(h, frames, `${p}.encoder.layer_norm`);

  // head
  let last = states[states.length - 1]!;
  if (config["use_weighted_layer_sum"] === true) {
    const w = weight(checkpoint, "layer_weights");
    const e = Array.from(w, (v) => Math.exp(v));
    const total = e.reduce((a, b) => a + b, 0);
    last = new Float64Array(frames * d);
    states.forEach((s, l) => s.forEach((v, i) => (last[i] += (e[l]! / total) * v)));
  }
  const projSize = get<number>(config, "classifier_proj_size");
  const projected = linearRef(last, frames, weight(checkpoint, "projector.weight"), weight(checkpoint, "projector.bias"), projSize);
  const pooled = new Float64Array(projSize);
  for (let t = 0; t < frames; t++) for (let c = 0; c < projSize; c++) pooled[c] += projected[t * projSize + c]! / frames;
  const labels = dimsOf(checkpoint, "classifier.weight")[0]!;
  return linearRef(pooled, 1, weight(checkpoint, "classifier.weight"), weight(checkpoint, "classifier.bias"), labels);
}
