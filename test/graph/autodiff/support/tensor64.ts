// Float64 tensors and the strided kernels the reference interpreter needs to be fast enough for
// finite differences over whole (tiny) models: broadcasting maps, batched matmul, transpose and
// reductions, all on Float64Array.
import type { Tensor } from "../../../../src/tensor.js";

export interface T64 {
  readonly dims: readonly number[];
  readonly data: Float64Array;
}

export function size(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

export function t64(dims: readonly number[], data: ArrayLike<number>): T64 {
  return { dims: [...dims], data: Float64Array.from(data) };
}

export function fromTensor(t: Tensor): T64 {
  return { dims: [...t.dims], data: Float64Array.from(t.data as ArrayLike<number | bigint>, Number) };
}

export function scalarOf(a: T64): number {
  return a.data[0]!;
}

export function broadcastDims(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    s.forEach((d, i) => {
      const j = rank - s.length + i;
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) throw new Error(`interpreter: cannot broadcast ${shapes.map((x) => `[${x}]`).join(" ")}`);
    });
  }
  return out;
}

/** Per-axis element strides of `dims` seen through the broadcast shape `to` (0 on broadcast axes). */
function broadcastStrides(dims: readonly number[], to: readonly number[]): number[] {
  const s = stridesOf(dims);
  const offset = to.length - dims.length;
  return to.map((_, i) => (i < offset || dims[i - offset] === 1 ? 0 : s[i - offset]!));
}

/** Element-wise map over broadcast inputs (any count). */
export function mapN(inputs: readonly T64[], fn: (v: number[]) => number): T64 {
  const dims = broadcastDims(inputs.map((a) => a.dims));
  const n = size(dims);
  const r = dims.length;
  const strides = inputs.map((a) => broadcastStrides(a.dims, dims));
  const out = new Float64Array(n);
  const idx = new Array<number>(r).fill(0);
  const pos = new Array<number>(inputs.length).fill(0);
  const vals = new Array<number>(inputs.length).fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inputs.length; k++) vals[k] = inputs[k]!.data[pos[k]!]!;
    out[i] = fn(vals);
    for (let ax = r - 1; ax >= 0; ax--) {
      idx[ax]!++;
      for (let k = 0; k < inputs.length; k++) pos[k]! += strides[k]![ax]!;
      if (idx[ax]! < dims[ax]!) break;
      for (let k = 0; k < inputs.length; k++) pos[k]! -= strides[k]![ax]! * dims[ax]!;
      idx[ax] = 0;
    }
  }
  return { dims, data: out };
}

export function map1(a: T64, fn: (v: number) => number): T64 {
  return { dims: [...a.dims], data: a.data.map(fn) };
}

export function map2(a: T64, b: T64, fn: (x: number, y: number) => number): T64 {
  if (a.dims.length === b.dims.length && a.dims.every((d, i) => d === b.dims[i])) {
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = fn(a.data[i]!, b.data[i]!);
    return { dims: [...a.dims], data: out };
  }
  const dims = broadcastDims([a.dims, b.dims]);
  const [sa, sb] = [broadcastStrides(a.dims, dims), broadcastStrides(b.dims, dims)];
  const out = new Float64Array(size(dims));
  const idx = new Array<number>(dims.length).fill(0);
  let [pa, pb] = [0, 0];
  for (let i = 0; i < out.length; i++) {
    out[i] = fn(a.data[pa]!, b.data[pb]!);
    for (let ax = dims.length - 1; ax >= 0; ax--) {
      idx[ax]!++;
      pa += sa[ax]!;
      pb += sb[ax]!;
      if (idx[ax]! < dims[ax]!) break;
      pa -= sa[ax]! * dims[ax]!;
      pb -= sb[ax]! * dims[ax]!;
      idx[ax] = 0;
    }
  }
  return { dims, data: out };
}

export function transpose(a: T64, perm: readonly number[]): T64 {
  const dims = perm.map((p) => a.dims[p]!);
  const src = stridesOf(a.dims);
  const permuted = perm.map((p) => src[p]!);
  const n = size(dims);
  const out = new Float64Array(n);
  const idx = new Array<number>(dims.length).fill(0);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    out[i] = a.data[pos]!;
    for (let ax = dims.length - 1; ax >= 0; ax--) {
      idx[ax]!++;
      pos += permuted[ax]!;
      if (idx[ax]! < dims[ax]!) break;
      pos -= permuted[ax]! * dims[ax]!;
      idx[ax] = 0;
    }
  }
  return { dims, data: out };
}

/** numpy matmul with broadcast batch dims and 1-D operands; optional transposes of the last two axes. */
export function matmul(aIn: T64, bIn: T64, transA = false, transB = false): T64 {
  const a = aIn.dims.length === 1 ? { dims: [1, aIn.dims[0]!], data: aIn.data } : aIn;
  const b = bIn.dims.length === 1 ? { dims: [bIn.dims[0]!, 1], data: bIn.data } : bIn;
  const [ar, br] = [a.dims.length, b.dims.length];
  const [m, ka] = transA ? [a.dims[ar - 1]!, a.dims[ar - 2]!] : [a.dims[ar - 2]!, a.dims[ar - 1]!];
  const [kb, n] = transB ? [b.dims[br - 1]!, b.dims[br - 2]!] : [b.dims[br - 2]!, b.dims[br - 1]!];
  if (ka !== kb) throw new Error(`interpreter: matmul inner dims ${ka} vs ${kb}`);
  const batch = broadcastDims([a.dims.slice(0, -2), b.dims.slice(0, -2)]);
  const aBatch = broadcastStrides(a.dims.slice(0, -2), batch);
  const bBatch = broadcastStrides(b.dims.slice(0, -2), batch);
  const [aMat, bMat] = [a.dims[ar - 2]! * a.dims[ar - 1]!, b.dims[br - 2]! * b.dims[br - 1]!];
  const [aRow, aCol] = transA ? [1, a.dims[ar - 1]!] : [a.dims[ar - 1]!, 1];
  const [bRow, bCol] = transB ? [1, b.dims[br - 1]!] : [b.dims[br - 1]!, 1];
  const count = size(batch);
  const out = new Float64Array(count * m * n);
  const idx = new Array<number>(batch.length).fill(0);
  for (let bi = 0; bi < count; bi++) {
    let aOff = 0;
    let bOff = 0;
    idx.forEach((v, i) => {
      aOff += v * aBatch[i]! * aMat;
      bOff += v * bBatch[i]! * bMat;
    });
    const base = bi * m * n;
    if (bCol === 1) {
      // B rows contiguous: accumulate a[i, p]·B[p, :] into the output row
      for (let i = 0; i < m; i++) {
        for (let p = 0; p < ka; p++) {
          const av = a.data[aOff + i * aRow + p * aCol]!;
          if (av === 0) continue;
          let pb = bOff + p * bRow;
          const row = base + i * n;
          for (let j = 0; j < n; j++, pb++) out[row + j]! += av * b.data[pb]!;
        }
      }
    } else {
      // Bᵀ stored: both operands contiguous along p
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          let pa = aOff + i * aRow;
          let pb = bOff + j * bCol;
          for (let p = 0; p < ka; p++, pa += aCol, pb += bRow) sum += a.data[pa]! * b.data[pb]!;
          out[base + i * n + j] = sum;
        }
      }
    }
    for (let ax = batch.length - 1; ax >= 0; ax--) {
      if (++idx[ax]! < batch[ax]!) break;
      idx[ax] = 0;
    }
  }
  const dims = [...batch];
  if (aIn.dims.length > 1) dims.push(m);
  if (bIn.dims.length > 1) dims.push(n);
  return { dims, data: out };
}

/** Reduction over axes (all when undefined): `step` folds values, `finish` maps (acc, count). */
export function reduce(
  a: T64,
  axes: readonly number[] | undefined,
  keepDims: boolean,
  init: number,
  step: (acc: number, v: number) => number,
  finish: (acc: number, count: number) => number = (acc) => acc,
): T64 {
  const rank = a.dims.length;
  const ax = new Set((axes ?? a.dims.map((_, i) => i)).map((x) => (x < 0 ? x + rank : x)));
  const kept = a.dims.map((d, i) => (ax.has(i) ? 1 : d));
  const acc = new Float64Array(size(kept)).fill(init);
  const target = broadcastStrides(kept, a.dims).map((s, i) => (ax.has(i) ? 0 : s));
  const idx = new Array<number>(rank).fill(0);
  let pos = 0;
  for (let i = 0; i < a.data.length; i++) {
    acc[pos] = step(acc[pos]!, a.data[i]!);
    for (let k = rank - 1; k >= 0; k--) {
      idx[k]!++;
      pos += target[k]!;
      if (idx[k]! < a.dims[k]!) break;
      pos -= target[k]! * a.dims[k]!;
      idx[k] = 0;
    }
  }
  const count = a.data.length / Math.max(1, acc.length);
  const dims = keepDims ? kept : a.dims.filter((_, i) => !ax.has(i));
  return { dims, data: acc.map((v) => finish(v, count)) };
}

export const sum = (a: T64, axes: readonly number[] | undefined, keep = true): T64 => reduce(a, axes, keep, 0, (s, v) => s + v);
export const mean = (a: T64, axes: readonly number[] | undefined, keep = true): T64 => reduce(a, axes, keep, 0, (s, v) => s + v, (s, n) => s / n);
export const max = (a: T64, axes: readonly number[] | undefined, keep = true): T64 => reduce(a, axes, keep, -Infinity, Math.max);

export function softmax(a: T64, axis: number): T64 {
  const e = map2(a, max(a, [axis]), (x, m) => Math.exp(x - m));
  return map2(e, sum(e, [axis]), (x, s) => x / s);
}

/** (x − mean)/√(var + ε) over the axes from `axis` to the end. */
export function normalize(x: T64, axis: number, epsilon: number): T64 {
  const a = axis < 0 ? axis + x.dims.length : axis;
  const axes = x.dims.map((_, i) => i).filter((i) => i >= a);
  const centered = map2(x, mean(x, axes), (v, m) => v - m);
  const variance = mean(map1(centered, (v) => v * v), axes);
  return map2(centered, variance, (c, v) => c / Math.sqrt(v + epsilon));
}

export function reshape(a: T64, dims: readonly number[]): T64 {
  return { dims: [...dims], data: a.data };
}

/** N-D convolution (cross-correlation) with ONNX's strides, pads [begins, ends], dilations, groups. */
export function conv(x: T64, w: T64, b: T64 | undefined, strides: readonly number[], pads: readonly number[], dilations: readonly number[], group: number): T64 {
  const [n, c] = x.dims as [number, number];
  const [m, cg] = w.dims as [number, number];
  const inSpatial = x.dims.slice(2);
  const kernel = w.dims.slice(2);
  const r = inSpatial.length;
  const outSpatial = inSpatial.map((d, i) => Math.floor((d + pads[i]! + pads[i + r]! - dilations[i]! * (kernel[i]! - 1) - 1) / strides[i]!) + 1);
  const [inSize, outSize, taps] = [size(inSpatial), size(outSpatial), size(kernel)];
  const inStrides = stridesOf(inSpatial);
  // for each (output position, kernel tap): the flat input position it reads, or −1 in the padding
  const table = new Int32Array(outSize * taps);
  const outIdx = new Array<number>(r).fill(0);
  for (let o = 0; o < outSize; o++) {
    const tapIdx = new Array<number>(r).fill(0);
    for (let t = 0; t < taps; t++) {
      let flat = 0;
      for (let a = 0; a < r; a++) {
        const p = outIdx[a]! * strides[a]! - pads[a]! + tapIdx[a]! * dilations[a]!;
        if (p < 0 || p >= inSpatial[a]!) {
          flat = -1;
          break;
        }
        flat += p * inStrides[a]!;
      }
      table[o * taps + t] = flat;
      for (let a = r - 1; a >= 0; a--) {
        if (++tapIdx[a]! < kernel[a]!) break;
        tapIdx[a] = 0;
      }
    }
    for (let a = r - 1; a >= 0; a--) {
      if (++outIdx[a]! < outSpatial[a]!) break;
      outIdx[a] = 0;
    }
  }
  const out = new Float64Array(n * m * outSize);
  const perGroup = m / group;
  const rows = cg * taps;
  const cols = new Float64Array(rows * outSize);
  for (let bn = 0; bn < n; bn++) {
    for (let grp = 0; grp < group; grp++) {
      // im2col: cols[(ic, t), o] = x[bn, grp·cg + ic, position of tap t for output o]
      for (let ic = 0; ic < cg; ic++) {
        const src = (bn * c + grp * cg + ic) * inSize;
        for (let t = 0; t < taps; t++) {
          const row = (ic * taps + t) * outSize;
          for (let o = 0; o < outSize; o++) {
            const at = table[o * taps + t]!;
            cols[row + o] = at >= 0 ? x.data[src + at]! : 0;
          }
        }
      }
      for (let oc = grp * perGroup; oc < (grp + 1) * perGroup; oc++) {
        const dst = (bn * m + oc) * outSize;
        const wBase = oc * rows;
        for (let r = 0; r < rows; r++) {
          const wv = w.data[wBase + r]!;
          const row = r * outSize;
          for (let o = 0; o < outSize; o++) out[dst + o]! += wv * cols[row + o]!;
        }
        if (b !== undefined) for (let o = 0; o < outSize; o++) out[dst + o]! += b.data[oc]!;
      }
    }
  }
  return { dims: [n, m, ...outSpatial], data: out };
}
