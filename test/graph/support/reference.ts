// Straightforward JavaScript reference implementations of the ops, in float64 on plain arrays,
// written for clarity, not speed. The op tests compare ONNX Runtime's results against these.

export interface Arr {
  dims: number[];
  data: number[];
}

export function arr(dims: number[], data: ArrayLike<number | bigint>): Arr {
  return { dims: [...dims], data: Array.from(data, Number) };
}

export function size(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

function unravel(index: number, dims: readonly number[]): number[] {
  const out = new Array<number>(dims.length);
  for (let i = dims.length - 1; i >= 0; i--) {
    out[i] = index % dims[i]!;
    index = Math.floor(index / dims[i]!);
  }
  return out;
}

function at(a: Arr, idx: readonly number[]): number {
  const s = stridesOf(a.dims);
  let off = 0;
  for (let i = 0; i < idx.length; i++) off += idx[i]! * s[i]!;
  return a.data[off]!;
}

export function broadcastDims(...shapes: number[][]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    s.forEach((d, i) => {
      const j = rank - s.length + i;
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) throw new Error(`reference: cannot broadcast ${shapes.map((x) => `[${x}]`).join(" ")}`);
    });
  }
  return out;
}

/** Element-wise map over broadcast inputs. */
export function broadcastMap(inputs: Arr[], fn: (...v: number[]) => number): Arr {
  const dims = broadcastDims(...inputs.map((a) => a.dims));
  const data = new Array<number>(size(dims));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, dims);
    const vals = inputs.map((a) => at(a, idx.slice(dims.length - a.dims.length).map((v, k) => (a.dims[k] === 1 ? 0 : v))));
    data[i] = fn(...vals);
  }
  return { dims, data };
}

export function unary(a: Arr, fn: (v: number) => number): Arr {
  return { dims: [...a.dims], data: a.data.map(fn) };
}

/** numpy matmul, including 1-D operands and broadcast batch dims. */
export function matmul(a: Arr, b: Arr): Arr {
  const a2 = a.dims.length === 1 ? { dims: [1, a.dims[0]!], data: a.data } : a;
  const b2 = b.dims.length === 1 ? { dims: [b.dims[0]!, 1], data: b.data } : b;
  const [m, k] = a2.dims.slice(-2) as [number, number];
  const n = b2.dims[b2.dims.length - 1]!;
  const batch = broadcastDims(a2.dims.slice(0, -2), b2.dims.slice(0, -2));
  const out: number[] = [];
  for (let bi = 0; bi < size(batch); bi++) {
    const bidx = unravel(bi, batch);
    const pick = (x: Arr, r: number, c: number): number => {
      const xb = x.dims.slice(0, -2);
      const idx = bidx.slice(bidx.length - xb.length).map((v, i) => (xb[i] === 1 ? 0 : v));
      return at(x, [...idx, r, c]);
    };
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += pick(a2, i, p) * pick(b2, p, j);
      out.push(s);
    }
  }
  const dims = [...batch];
  if (a.dims.length > 1) dims.push(m);
  if (b.dims.length > 1) dims.push(n);
  return { dims, data: out };
}

export function transpose(a: Arr, perm: number[]): Arr {
  const dims = perm.map((p) => a.dims[p]!);
  const data = new Array<number>(a.data.length);
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, dims);
    const src = new Array<number>(idx.length);
    perm.forEach((p, k) => (src[p] = idx[k]!));
    data[i] = at(a, src);
  }
  return { dims, data };
}

/** Reduction over axes with an accumulator; `finish` maps (acc, count) to the result. */
export function reduce(a: Arr, axes: number[] | undefined, keepDims: boolean, init: number, step: (acc: number, v: number) => number, finish = (acc: number, _n: number) => acc): Arr {
  const rank = a.dims.length;
  const ax = (axes ?? a.dims.map((_, i) => i)).map((x) => (x < 0 ? x + rank : x));
  const outDimsKeep = a.dims.map((d, i) => (ax.includes(i) ? 1 : d));
  const acc = new Array<number>(size(outDimsKeep)).fill(init);
  const count = size(a.dims) / Math.max(1, size(outDimsKeep));
  const os = stridesOf(outDimsKeep);
  for (let i = 0; i < a.data.length; i++) {
    const idx = unravel(i, a.dims);
    let off = 0;
    idx.forEach((v, k) => (off += (ax.includes(k) ? 0 : v) * os[k]!));
    acc[off] = step(acc[off]!, a.data[i]!);
  }
  const dims = keepDims ? outDimsKeep : a.dims.filter((_, i) => !ax.includes(i));
  return { dims, data: acc.map((v) => finish(v, count)) };
}

export function softmax(a: Arr, axis: number): Arr {
  const ax = axis < 0 ? axis + a.dims.length : axis;
  const max = reduce(a, [ax], true, -Infinity, Math.max);
  const e = broadcastMap([a, max], (x, m) => Math.exp(x - m));
  const sum = reduce(e, [ax], true, 0, (s, v) => s + v);
  return broadcastMap([e, sum], (x, s) => x / s);
}

/** Normalises over the axes from `axis` to the end, then scale and shift. */
export function layerNorm(x: Arr, scale: Arr, bias: Arr | undefined, axis: number, eps: number): Arr {
  const ax = axis < 0 ? axis + x.dims.length : axis;
  const axes = x.dims.map((_, i) => i).filter((i) => i >= ax);
  const mean = reduce(x, axes, true, 0, (s, v) => s + v, (s, n) => s / n);
  const centered = broadcastMap([x, mean], (v, m) => v - m);
  const variance = reduce(centered, axes, true, 0, (s, v) => s + v * v, (s, n) => s / n);
  const normed = broadcastMap([centered, variance], (c, v) => c / Math.sqrt(v + eps));
  const scaled = broadcastMap([normed, scale], (n, s) => n * s);
  return bias ? broadcastMap([scaled, bias], (v, b) => v + b) : scaled;
}

/** Per (sample, channel) normalisation over the spatial axes of [N, C, ...]. */
export function instanceNorm(x: Arr, scale: Arr, bias: Arr, eps: number): Arr {
  const spatial = x.dims.map((_, i) => i).slice(2);
  const normed = layerNormOverAxes(x, spatial, eps);
  const perChannel = (p: Arr): Arr => ({ dims: [p.dims[0]!, ...spatial.map(() => 1)], data: p.data });
  return broadcastMap([normed, perChannel(scale), perChannel(bias)], (n, s, b) => n * s + b);
}

function layerNormOverAxes(x: Arr, axes: number[], eps: number): Arr {
  const mean = reduce(x, axes, true, 0, (s, v) => s + v, (s, n) => s / n);
  const centered = broadcastMap([x, mean], (v, m) => v - m);
  const variance = reduce(centered, axes, true, 0, (s, v) => s + v * v, (s, n) => s / n);
  return broadcastMap([centered, variance], (c, v) => c / Math.sqrt(v + eps));
}

/** N-D convolution (cross-correlation, as PyTorch and ONNX define Conv). */
export function conv(x: Arr, w: Arr, b: Arr | undefined, strides: number[], pads: number[], dilations: number[], group: number): Arr {
  const n = x.dims[0]!;
  const [m, cg] = w.dims as [number, number];
  const spatialIn = x.dims.slice(2);
  const kernel = w.dims.slice(2);
  const r = spatialIn.length;
  const spatialOut = spatialIn.map((d, i) => Math.floor((d + pads[i]! + pads[i + r]! - dilations[i]! * (kernel[i]! - 1) - 1) / strides[i]!) + 1);
  const dims = [n, m, ...spatialOut];
  const data = new Array<number>(size(dims)).fill(0);
  const mPerGroup = m / group;
  for (let i = 0; i < data.length; i++) {
    const [bn, oc, ...pos] = unravel(i, dims) as [number, number, ...number[]];
    const g = Math.floor(oc / mPerGroup);
    let s = b ? b.data[oc]! : 0;
    for (let ic = 0; ic < cg; ic++) {
      for (let k = 0; k < size(kernel); k++) {
        const kidx = unravel(k, kernel);
        const src = pos.map((p, d) => p * strides[d]! - pads[d]! + kidx[d]! * dilations[d]!);
        if (src.some((v, d) => v < 0 || v >= spatialIn[d]!)) continue;
        s += at(x, [bn, g * cg + ic, ...src]) * at(w, [oc, ic, ...kidx]);
      }
    }
    data[i] = s;
  }
  return { dims, data };
}

export function pool(x: Arr, kernel: number[], strides: number[], pads: number[], mode: "avg" | "max", countIncludePad = false): Arr {
  const r = kernel.length;
  const spatialIn = x.dims.slice(2);
  const spatialOut = spatialIn.map((d, i) => Math.floor((d + pads[i]! + pads[i + r]! - kernel[i]!) / strides[i]!) + 1);
  const dims = [x.dims[0]!, x.dims[1]!, ...spatialOut];
  const data = new Array<number>(size(dims));
  for (let i = 0; i < data.length; i++) {
    const [bn, ch, ...pos] = unravel(i, dims) as [number, number, ...number[]];
    let acc = mode === "max" ? -Infinity : 0;
    let count = 0;
    for (let k = 0; k < size(kernel); k++) {
      const kidx = unravel(k, kernel);
      const src = pos.map((p, d) => p * strides[d]! - pads[d]! + kidx[d]!);
      if (src.some((v, d) => v < 0 || v >= spatialIn[d]!)) {
        if (countIncludePad) count++;
        continue;
      }
      const v = at(x, [bn, ch, ...src]);
      acc = mode === "max" ? Math.max(acc, v) : acc + v;
      count++;
    }
    data[i] = mode === "max" ? acc : acc / count;
  }
  return { dims, data };
}

export function concat(arrs: Arr[], axis: number): Arr {
  const ax = axis < 0 ? axis + arrs[0]!.dims.length : axis;
  const dims = [...arrs[0]!.dims];
  dims[ax] = arrs.reduce((s, a) => s + a.dims[ax]!, 0);
  const data = new Array<number>(size(dims));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, dims);
    let p = idx[ax]!;
    let k = 0;
    while (p >= arrs[k]!.dims[ax]!) p -= arrs[k++]!.dims[ax]!;
    idx[ax] = p;
    data[i] = at(arrs[k]!, idx);
  }
  return { dims, data };
}

/** ONNX Slice semantics (negative indices, clamping, negative steps). */
export function slice(a: Arr, starts: number[], ends: number[], axes: number[], steps: number[]): Arr {
  const ranges = a.dims.map((d) => ({ start: 0, step: 1, count: d }));
  axes.forEach((axis0, i) => {
    const ax = axis0 < 0 ? axis0 + a.dims.length : axis0;
    const d = a.dims[ax]!;
    const step = steps[i]!;
    let s = starts[i]! < 0 ? starts[i]! + d : starts[i]!;
    let e = ends[i]! < 0 ? ends[i]! + d : ends[i]!;
    if (step > 0) {
      s = Math.min(Math.max(s, 0), d);
      e = Math.min(Math.max(e, 0), d);
    } else {
      s = Math.min(Math.max(s, 0), d - 1);
      e = Math.min(Math.max(e, -1), d - 1);
    }
    const count = Math.max(0, Math.ceil((e - s) / step));
    ranges[ax] = { start: s, step, count };
  });
  const dims = ranges.map((r) => r.count);
  const data = new Array<number>(size(dims));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, dims).map((v, k) => ranges[k]!.start + v * ranges[k]!.step);
    data[i] = at(a, idx);
  }
  return { dims, data };
}

export function gather(a: Arr, indices: Arr, axis: number): Arr {
  const ax = axis < 0 ? axis + a.dims.length : axis;
  const dims = [...a.dims.slice(0, ax), ...indices.dims, ...a.dims.slice(ax + 1)];
  const data = new Array<number>(size(dims));
  const ir = indices.dims.length;
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, dims);
    let j = at(indices, idx.slice(ax, ax + ir));
    if (j < 0) j += a.dims[ax]!;
    data[i] = at(a, [...idx.slice(0, ax), j, ...idx.slice(ax + ir)]);
  }
  return { dims, data };
}

export function pad(a: Arr, pads: number[], mode: "constant" | "reflect" | "edge", value = 0): Arr {
  const r = a.dims.length;
  const dims = a.dims.map((d, i) => d + pads[i]! + pads[i + r]!);
  const data = new Array<number>(size(dims));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, dims).map((v, k) => v - pads[k]!);
    let inside = true;
    const src = idx.map((v, k) => {
      const d = a.dims[k]!;
      if (v >= 0 && v < d) return v;
      inside = false;
      if (mode === "edge") return Math.min(Math.max(v, 0), d - 1);
      if (mode === "reflect") return v < 0 ? -v : 2 * (d - 1) - v;
      return 0;
    });
    data[i] = mode === "constant" && !inside ? value : at(a, src);
  }
  return { dims, data };
}

export function tile(a: Arr, repeats: number[]): Arr {
  const dims = a.dims.map((d, i) => d * repeats[i]!);
  const data = new Array<number>(size(dims));
  for (let i = 0; i < data.length; i++) data[i] = at(a, unravel(i, dims).map((v, k) => v % a.dims[k]!));
  return { dims, data };
}

export function cumsum(a: Arr, axis: number, exclusive: boolean, reverse: boolean): Arr {
  const ax = axis < 0 ? axis + a.dims.length : axis;
  const data = new Array<number>(a.data.length);
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, a.dims);
    const p = idx[ax]!;
    const n = a.dims[ax]!;
    let s = 0;
    for (let q = 0; q < n; q++) {
      const include = reverse ? (exclusive ? q > p : q >= p) : exclusive ? q < p : q <= p;
      if (!include) continue;
      const j = [...idx];
      j[ax] = q;
      s += at(a, j);
    }
    data[i] = s;
  }
  return { dims: [...a.dims], data };
}

export function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is only 1e-7 accurate; use a series/continued fraction for 1e-15.
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = t;
    let term = t;
    for (let n = 1; n < 80; n++) {
      term *= (-t * t) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction for large |x|
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (t + f);
  const erfc = Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  return Math.sign(x) * (1 - erfc);
}

export const geluExact = (v: number): number => 0.5 * v * (1 + erf(v / Math.SQRT2));
export const geluTanh = (v: number): number => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
