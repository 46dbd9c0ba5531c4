/**
 * Materialising strided tensor views (transposes, slices saved without `.contiguous()`) into
 * row-major bytes. Elements move as unsigned integers of their width, so float bit patterns
 * (NaN payloads included) are preserved exactly.
 */
import { copyBytes } from "./dtypes.js";

/** True when row-major order with these strides is plain contiguous memory (size-1 dims ignored). */
export function isContiguous(size: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let i = size.length - 1; i >= 0; i--) {
    if (size[i] === 0) return true;
    if (size[i] !== 1 && stride[i] !== expected) return false;
    expected *= size[i];
  }
  return true;
}

/**
 * Copies the strided view (offset and strides in elements) out of `source` into a new row-major
 * buffer of `numel × elementSize` bytes. `source` must hold every element the view reaches.
 */
export function gatherStrided(source: Uint8Array, elementSize: number, offset: number, size: readonly number[], stride: readonly number[]): Uint8Array {
  let numel = 1;
  for (const d of size) numel *= d;
  const out = new Uint8Array(numel * elementSize);
  if (numel === 0) return out;
  // Work in units of 1, 2 or 4 bytes (8-byte elements as two 4-byte words) on an aligned copy.
  const unit = elementSize >= 4 ? 4 : elementSize;
  const perElement = elementSize / unit;
  const aligned = source.byteOffset % unit === 0 ? source : copyBytes(source);
  const src = wordView(aligned, unit);
  const dst = wordView(out, unit);

  const rank = size.length;
  if (rank === 0) {
    for (let w = 0; w < perElement; w++) dst[w] = src[offset * perElement + w];
    return out;
  }
  const inner = size[rank - 1];
  const innerStride = stride[rank - 1] * perElement;
  const index = new Array<number>(rank - 1).fill(0);
  let base = offset * perElement;
  let o = 0;
  for (;;) {
    let s = base;
    if (perElement === 1) {
      for (let i = 0; i < inner; i++, s += innerStride) dst[o++] = src[s];
    } else {
      for (let i = 0; i < inner; i++, s += innerStride) {
        dst[o++] = src[s];
        dst[o++] = src[s + 1];
      }
    }
    // Odometer over the outer dimensions.
    let d = rank - 2;
    for (; d >= 0; d--) {
      index[d]++;
      base += stride[d] * perElement;
      if (index[d] < size[d]) break;
      base -= stride[d] * perElement * size[d];
      index[d] = 0;
    }
    if (d < 0) return out;
  }
}

function wordView(bytes: Uint8Array, unit: number): Uint8Array | Uint16Array | Uint32Array {
  if (unit === 1) return bytes;
  const Ctor = unit === 2 ? Uint16Array : Uint32Array;
  return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, Math.floor(bytes.byteLength / unit));
}
