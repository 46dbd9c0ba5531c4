/**
 * A deliberately naive float64 re-implementation of ClapAudioModel + audio_projection, written
 * loop by loop from modeling_clap.py (torch.roll, window_partition, the img_mask slices, the
 * AFF block…) and sharing no code with the graph builders. It checks the graph on the paths the
 * public fixture does not reach: shifted windows, padded windows, odd grids, fusion.
 */
import { readAudioSettings } from "../../../src/models/clap/clap-config.js";
import type { ModelConfig } from "../../../src/models/model-config.js";
import type { Tensor } from "../../../src/tensor.js";

type Weights = ReadonlyMap<string, Tensor<"float32">>;
type Matrix = Float64Array[]; // rows

function param(w: Weights, name: string): Float32Array {
  const t = w.get(name);
  if (t === undefined) throw new Error(`reference: no weight ${name}`);
  return t.data;
}

function erf(x: number): number {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-ax * ax);
  return sign * y;
}

const gelu = (x: number): number => 0.5 * x * (1 + erf(x / Math.SQRT2));

function linear(w: Weights, name: string, x: Float64Array, bias = true): Float64Array {
  const weight = param(w, `${name}.weight`);
  const out = new Float64Array(weight.length / x.length);
  const b = bias ? param(w, `${name}.bias`) : undefined;
  for (let o = 0; o < out.length; o++) {
    let s = b ? b[o]! : 0;
    for (let i = 0; i < x.length; i++) s += weight[o * x.length + i]! * x[i]!;
    out[o] = s;
  }
  return out;
}

function layerNorm(w: Weights, name: string, x: Float64Array, eps = 1e-5): Float64Array {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  const g = param(w, `${name}.weight`);
  const b = param(w, `${name}.bias`);
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * g[i]! + b[i]!);
}

/** [channels][height][width] as nested arrays. */
type Image = Matrix[];

function conv2d(w: Weights, name: string, input: Image, stride: [number, number], pad: [number, number]): Image {
  const weight = param(w, `${name}.weight`);
  const bias = param(w, `${name}.bias`);
  const [outC, inC, kh, kw] = w.get(`${name}.weight`)!.dims as number[];
  const h = input[0]!.length;
  const wd = input[0]![0]!.length;
  const oh = Math.floor((h + 2 * pad[0] - kh!) / stride[0]) + 1;
  const ow = Math.floor((wd + 2 * pad[1] - kw!) / stride[1]) + 1;
  const out: Image = [];
  for (let o = 0; o < outC!; o++) {
    const plane: Matrix = [];
    for (let y = 0; y < oh; y++) {
      const row = new Float64Array(ow);
      for (let x = 0; x < ow; x++) {
        let s = bias[o]!;
        for (let c = 0; c < inC!; c++) {
          for (let i = 0; i < kh!; i++) {
            const yy = y * stride[0] - pad[0] + i;
            if (yy < 0 || yy >= h) continue;
            for (let j = 0; j < kw!; j++) {
              const xx = x * stride[1] - pad[1] + j;
              if (xx < 0 || xx >= wd) continue;
              s += weight[((o * inC! + c) * kh! + i) * kw! + j]! * input[c]![yy]![xx]!;
            }
          }
        }
        row[x] = s;
      }
      plane.push(row);
    }
    out.push(plane);
  }
  return out;
}

function batchNormChannels(w: Weights, name: string, x: Image): Image {
  const [g, b, m, v] = ["weight", "bias", "running_mean", "running_var"].map((p) => param(w, `${name}.${p}`));
  return x.map((plane, c) => plane.map((row) => row.map((val) => ((val - m![c]!) / Math.sqrt(v![c]! + 1e-5)) * g![c]! + b![c]!)));
}

/** interpolate(mode="bicubic", align_corners=True) of rows (axis 0) of a matrix to `out` rows. */
function bicubicRows(x: Matrix, out: number): Matrix {
  const n = x.length;
  if (n === out) return x;
  const A = -0.75;
  const near = (t: number) => ((A + 2) * t - (A + 3)) * t * t + 1;
  const far = (t: number) => ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;
  const result: Matrix = [];
  for (let i = 0; i < out; i++) {
    const real = (i * (n - 1)) / (out - 1);
    const base = Math.floor(real);
    const t = real - base;
    const weights = [far(t + 1), near(t), near(1 - t), far(2 - t)];
    const row = new Float64Array(x[0]!.length);
    for (let k = 0; k < 4; k++) {
      const src = x[Math.min(Math.max(base - 1 + k, 0), n - 1)]!;
      for (let j = 0; j < row.length; j++) row[j]! += weights[k]! * src[j]!;
    }
    result.push(row);
  }
  return result;
}

const transpose = (x: Matrix): Matrix => Array.from({ length: x[0]!.length }, (_, j) => Float64Array.from(x, (row) => row[j]!));

/** features of one clip [channels][frames][bins] → the [channels][S][S] image. */
function melImage(w: Weights, s: ReturnType<typeof readAudioSettings>, clip: Image): Image {
  const [g, b, m, v] = ["weight", "bias", "running_mean", "running_var"].map((p) => param(w, `audio_model.audio_encoder.batch_norm.${p}`));
  return clip.map((mel) => {
    let x: Matrix = mel.map((row) => row.map((val, f) => ((val - m![f]!) / Math.sqrt(v![f]! + 1e-5)) * g![f]! + b![f]!));
    x = bicubicRows(x, s.specWidth);
    x = transpose(bicubicRows(transpose(x), s.specHeight));
    const slice = s.specWidth / s.freqRatio;
    const image: Matrix = [];
    for (let k = 0; k < s.freqRatio; k++) for (let f = 0; f < s.specHeight; f++) image.push(Float64Array.from({ length: slice }, (_, t) => x[k * slice + t]![f]!));
    return image;
  });
}

function affBranch(w: Weights, prefix: string, x: Image, first: number): Image {
  let h = conv2d(w, `${prefix}.${first}`, x, [1, 1], [0, 0]);
  h = batchNormChannels(w, `${prefix}.${first + 1}`, h).map((p) => p.map((r) => r.map((val) => Math.max(val, 0))));
  h = conv2d(w, `${prefix}.${first + 3}`, h, [1, 1], [0, 0]);
  return batchNormChannels(w, `${prefix}.${first + 4}`, h);
}

function patchEmbed(w: Weights, s: ReturnType<typeof readAudioSettings>, image: Image, longer: boolean): Matrix {
  const p = "audio_model.audio_encoder.patch_embed";
  const pad: [number, number] = [Math.floor((s.patchSize[0] - s.patchStride[0]) / 2), Math.floor((s.patchSize[1] - s.patchStride[1]) / 2)];
  let x = conv2d(w, `${p}.proj`, s.enableFusion ? [image[0]!] : image, s.patchStride, pad);
  if (s.enableFusion && longer) {
    const width = x[0]![0]!.length;
    const side: Image = x.map((plane) => plane.map(() => new Float64Array(width)));
    for (let k = 1; k < image.length; k++) {
      const local = conv2d(w, `${p}.mel_conv2d`, [image[k]!], [s.patchStride[0], s.patchStride[1] * 3], pad);
      const lw = local[0]![0]!.length;
      local.forEach((plane, d) => plane.forEach((row, y) => row.forEach((val, j) => {
        const col = (k - 1) * lw + j;
        if (col < width) side[d]![y]![col] = val;
      })));
    }
    const input = x.map((plane, d) => plane.map((row, y) => row.map((val, j) => val + side[d]![y]![j]!)));
    const local = affBranch(w, `${p}.fusion_model.local_att`, input, 0);
    const pooled = input.map((plane) => [Float64Array.of(plane.reduce((a, r) => a + r.reduce((q, z) => q + z, 0), 0) / (plane.length * plane[0]!.length))]);
    const global = affBranch(w, `${p}.fusion_model.global_att`, pooled, 1);
    x = x.map((plane, d) => plane.map((row, y) => row.map((val, j) => {
      const gate = 1 / (1 + Math.exp(-(local[d]![y]![j]! + global[d]![0]![0]!)));
      return 2 * val * gate + 2 * side[d]![y]![j]! * (1 - gate);
    })));
  }
  const tokens: Matrix = [];
  const [gh, gw] = [x[0]!.length, x[0]![0]!.length];
  for (let y = 0; y < gh; y++) for (let j = 0; j < gw; j++) tokens.push(Float64Array.from(x, (plane) => plane[y]![j]!));
  return s.enablePatchLayerNorm ? tokens.map((t) => layerNorm(w, `${p}.norm`, t)) : tokens;
}

function swinBlock(w: Weights, prefix: string, x: Matrix, height: number, width: number, heads: number, window: number, shiftSize: number, eps: number): Matrix {
  const shift = Math.min(height, width) <= window ? 0 : shiftSize;
  const hp = Math.ceil(height / window) * window;
  const wp = Math.ceil(width / window) * window;
  const channels = x[0]!.length;
  const normed = x.map((t) => layerNorm(w, `${prefix}.layernorm_before`, t, eps));
  // the padded grid, rolled by −shift: shifted[y][j] = grid[(y + shift) % hp][(j + shift) % wp]
  const at = (y: number, j: number): Float64Array => (y < height && j < width ? normed[y * width + j]! : new Float64Array(channels));
  const shifted = (y: number, j: number) => at((y + shift) % hp, (j + shift) % wp);
  const region = (i: number, size: number) => (i < size - window ? 0 : i < size - shift ? 1 : 2);
  const table = param(w, `${prefix}.attention.self.relative_position_bias_table`);
  const headSize = channels / heads;
  const out: Float64Array[][] = Array.from({ length: hp }, () => new Array<Float64Array>(wp));
  for (let wr = 0; wr < hp / window; wr++) {
    for (let wc = 0; wc < wp / window; wc++) {
      const pos = Array.from({ length: window * window }, (_, t) => [wr * window + Math.floor(t / window), wc * window + (t % window)] as const);
      const tokens = pos.map(([y, j]) => shifted(y, j));
      const q = tokens.map((t) => linear(w, `${prefix}.attention.self.query`, t));
      const k = tokens.map((t) => linear(w, `${prefix}.attention.self.key`, t));
      const v = tokens.map((t) => linear(w, `${prefix}.attention.self.value`, t));
      const label = pos.map(([y, j]) => region(y, hp) * 3 + region(j, wp));
      const context = tokens.map(() => new Float64Array(channels));
      for (let h = 0; h < heads; h++) {
        for (let i = 0; i < tokens.length; i++) {
          const scores = tokens.map((_, jj) => {
            let dot = 0;
            for (let d = 0; d < headSize; d++) dot += q[i]![h * headSize + d]! * k[jj]![h * headSize + d]!;
            const [yi, xi] = [Math.floor(i / window), i % window];
            const [yj, xj] = [Math.floor(jj / window), jj % window];
            const index = (yi - yj + window - 1) * (2 * window - 1) + (xi - xj + window - 1);
            const mask = shift > 0 && label[i] !== label[jj] ? -100 : 0;
            return dot / Math.sqrt(headSize) + table[index * heads + h]! + mask;
          });
          const max = Math.max(...scores);
          const e = scores.map((z) => Math.exp(z - max));
          const sum = e.reduce((a, b) => a + b, 0);
          for (let jj = 0; jj < tokens.length; jj++) for (let d = 0; d < headSize; d++) context[i]![h * headSize + d]! += (e[jj]! / sum) * v[jj]![h * headSize + d]!;
        }
      }
      pos.forEach(([y, j], t) => (out[y]![j] = linear(w, `${prefix}.attention.output.dense`, context[t]!)));
    }
  }
  // roll back by +shift and crop: attended[y][j] = out[(y − shift) mod hp][(j − shift) mod wp]… of the unrolled grid
  const result: Matrix = [];
  for (let y = 0; y < height; y++) {
    for (let j = 0; j < width; j++) {
      const a = out[(y - shift + hp) % hp]![(j - shift + wp) % wp]!;
      const r = x[y * width + j]!.map((val, c) => val + a[c]!);
      const mlp = linear(w, `${prefix}.output.dense`, linear(w, `${prefix}.intermediate.dense`, layerNorm(w, `${prefix}.layernorm_after`, r, eps)).map(gelu));
      result.push(r.map((val, c) => val + mlp[c]!));
    }
  }
  return result;
}

function patchMerging(w: Weights, prefix: string, x: Matrix, height: number, width: number): Matrix {
  const channels = x[0]!.length;
  const at = (y: number, j: number) => (y < height && j < width ? x[y * width + j]! : new Float64Array(channels));
  const out: Matrix = [];
  for (let y = 0; y < Math.ceil(height / 2); y++) {
    for (let j = 0; j < Math.ceil(width / 2); j++) {
      const cat = new Float64Array(4 * channels);
      [at(2 * y, 2 * j), at(2 * y + 1, 2 * j), at(2 * y, 2 * j + 1), at(2 * y + 1, 2 * j + 1)].forEach((t, k) => cat.set(t, k * channels));
      out.push(linear(w, `${prefix}.reduction`, layerNorm(w, `${prefix}.norm`, cat), false));
    }
  }
  return out;
}

/** audio_embeds of one clip: features [channels][frames][bins] (row-major Float32Array) + its is_longer. */
export function referenceAudioEmbedding(w: Weights, config: ModelConfig, features: Float32Array, dims: readonly number[], longer: boolean): Float64Array {
  const s = readAudioSettings(config.sub("audio_config"));
  const [channels, frames, bins] = dims as [number, number, number];
  const clip: Image = Array.from({ length: channels }, (_, c) =>
    Array.from({ length: frames }, (_, t) => Float64Array.from(features.subarray((c * frames + t) * bins, (c * frames + t + 1) * bins))),
  );
  let x = patchEmbed(w, s, melImage(w, s, clip), longer);
  let [height, width] = s.grid;
  s.depths.forEach((depth, i) => {
    for (let j = 0; j < depth; j++) {
      const shift = j % 2 === 0 ? 0 : Math.floor(s.windowSize / 2);
      x = swinBlock(w, `audio_model.audio_encoder.layers.${i}.blocks.${j}`, x, height, width, s.numAttentionHeads[i]!, s.windowSize, shift, s.layerNormEps);
    }
    if (i < s.depths.length - 1) {
      x = patchMerging(w, `audio_model.audio_encoder.layers.${i}.downsample`, x, height, width);
      [height, width] = [Math.ceil(height / 2), Math.ceil(width / 2)];
    }
  });
  const normed = x.map((t) => layerNorm(w, "audio_model.audio_encoder.norm", t));
  const pooled = normed[0]!.map((_, c) => normed.reduce((a, t) => a + t[c]!, 0) / normed.length);
  const projected = linear(w, "audio_projection.linear2", linear(w, "audio_projection.linear1", pooled).map((v) => Math.max(v, 0)));
  const norm = Math.sqrt(projected.reduce((a, b) => a + b * b, 0));
  return projected.map((v) => v / norm);
}
