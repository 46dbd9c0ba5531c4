/**
 * Converting a WAV data chunk's interleaved samples to planar float32, scaled as soundfile and
 * ffmpeg scale them: integer PCM by 1/2^(bits−1) (so −32768 → −1 and 32767 → 0.99997, never
 * 1/32767), 8-bit PCM as unsigned with offset 128, float as is (float64 rounded to float32).
 * Little-endian 16/32-bit and float data are read through typed-array views — no DataView.
 */
import { alawTable, mulawTable } from "./g711.js";
import type { WavLayout } from "./wav-header.js";

type SampleView = Int16Array | Int32Array | Float32Array | Float64Array;
type ViewConstructor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): SampleView; BYTES_PER_ELEMENT: number };

/** Decodes `frames` whole frames starting at `layout.dataOffset` into one Float32Array per channel. */
export function wavSamplesToFloat(bytes: Uint8Array, layout: WavLayout, frames: number): Float32Array[] {
  const { channels, encoding, bytesPerSample } = layout;
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  const count = frames * channels;
  const offset = layout.dataOffset;

  if (encoding === "mulaw" || encoding === "alaw") {
    deinterleaveBytes(bytes.subarray(offset, offset + count), out, encoding === "mulaw" ? mulawTable() : alawTable());
  } else if (encoding === "pcm" && bytesPerSample === 1) {
    deinterleaveBytes(bytes.subarray(offset, offset + count), out, unsigned8Table());
  } else if (!layout.littleEndian) {
    readBigEndian(new DataView(bytes.buffer, bytes.byteOffset + offset, count * bytesPerSample), layout, out);
  } else if (encoding === "pcm" && bytesPerSample === 2) {
    deinterleave(view(Int16Array, bytes, offset, count), out, 2 ** -15);
  } else if (encoding === "pcm" && bytesPerSample === 3) {
    deinterleave24(bytes.subarray(offset, offset + count * 3), out);
  } else if (encoding === "pcm" && bytesPerSample === 4) {
    deinterleave(view(Int32Array, bytes, offset, count), out, 2 ** -31);
  } else if (encoding === "float" && bytesPerSample === 4) {
    deinterleave(view(Float32Array, bytes, offset, count), out, 1);
  } else {
    deinterleave(view(Float64Array, bytes, offset, count), out, 1);
  }
  return out;
}

/** A typed-array view on the samples, or on an aligned copy when the data offset is misaligned. */
function view(Ctor: ViewConstructor, bytes: Uint8Array, offset: number, count: number): SampleView {
  const start = bytes.byteOffset + offset;
  if (start % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(bytes.buffer, start, count);
  // A fresh aligned buffer: bytes.slice() would not do, a Node Buffer's slice() is a view.
  const copy = new Uint8Array(count * Ctor.BYTES_PER_ELEMENT);
  copy.set(bytes.subarray(offset, offset + copy.length));
  return new Ctor(copy.buffer, 0, count);
}

function deinterleave(src: SampleView, out: Float32Array[], scale: number): void {
  const channels = out.length;
  const frames = out[0]!.length;
  if (channels === 1) {
    const mono = out[0]!;
    if (scale === 1) mono.set(src); // float32 copies; float64 rounds to nearest float32
    else for (let i = 0; i < frames; i++) mono[i] = src[i]! * scale;
  } else if (channels === 2) {
    const left = out[0]!;
    const right = out[1]!;
    for (let i = 0, j = 0; i < frames; i++, j += 2) {
      left[i] = src[j]! * scale;
      right[i] = src[j + 1]! * scale;
    }
  } else {
    for (let c = 0; c < channels; c++) {
      const dst = out[c]!;
      for (let i = 0, j = c; i < frames; i++, j += channels) dst[i] = src[j]! * scale;
    }
  }
}

function deinterleave24(src: Uint8Array, out: Float32Array[]): void {
  const channels = out.length;
  const frames = out[0]!.length;
  const scale = 2 ** -23;
  for (let c = 0; c < channels; c++) {
    const dst = out[c]!;
    const stride = 3 * channels;
    for (let i = 0, p = 3 * c; i < frames; i++, p += stride) {
      // Assemble the 24-bit word in the top of an int32, then shift back down to sign-extend.
      dst[i] = (((src[p]! << 8) | (src[p + 1]! << 16) | (src[p + 2]! << 24)) >> 8) * scale;
    }
  }
}

function deinterleaveBytes(src: Uint8Array, out: Float32Array[], lookup: Float32Array): void {
  const channels = out.length;
  const frames = out[0]!.length;
  for (let c = 0; c < channels; c++) {
    const dst = out[c]!;
    for (let i = 0, j = c; i < frames; i++, j += channels) dst[i] = lookup[src[j]!]!;
  }
}

/** RIFX files: rare enough that DataView's per-sample cost does not matter. */
function readBigEndian(data: DataView, layout: WavLayout, out: Float32Array[]): void {
  const { channels, encoding, bytesPerSample } = layout;
  const frames = out[0]!.length;
  const read: (p: number) => number =
    encoding === "float"
      ? bytesPerSample === 4 ? (p) => data.getFloat32(p) : (p) => data.getFloat64(p)
      : bytesPerSample === 2 ? (p) => data.getInt16(p) * 2 ** -15
      : bytesPerSample === 3 ? (p) => ((data.getUint8(p) << 24) | (data.getUint8(p + 1) << 16) | (data.getUint8(p + 2) << 8)) * 2 ** -31
      : (p) => data.getInt32(p) * 2 ** -31;
  for (let i = 0, p = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++, p += bytesPerSample) out[c]![i] = read(p);
  }
}

let unsigned8: Float32Array | undefined;

function unsigned8Table(): Float32Array {
  if (unsigned8 === undefined) {
    unsigned8 = new Float32Array(256);
    for (let b = 0; b < 256; b++) unsigned8[b] = (b - 128) / 128;
  }
  return unsigned8;
}
