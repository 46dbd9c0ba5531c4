/**
 * Exact conversions between the narrow float formats found in checkpoints and float32.
 * Widening (F16/BF16/F8 → F32) is exact, NaN payloads included: values are moved as bit
 * patterns through Uint32Array views, never through JS numbers. Narrowing (F32 → F16/BF16)
 * rounds to nearest-even like PyTorch's `.half()` / `.bfloat16()`, NaN mapped as PyTorch does.
 */

let float16Table: Uint32Array | undefined;

/** f32 bit pattern for every f16 bit pattern (256 KB, built on first use). */
function float16ToFloat32BitsTable(): Uint32Array {
  if (float16Table) return float16Table;
  const table = new Uint32Array(65536);
  for (let h = 0; h < 65536; h++) table[h] = float16BitsToFloat32Bits(h);
  float16Table = table;
  return table;
}

/** The f32 bit pattern of one f16 bit pattern (subnormals normalised, NaN payload kept). */
export function float16BitsToFloat32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >>> 10) & 0x1f;
  let mantissa = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0;
  // Subnormal f16: shift the leading 1 into the implicit position; every one is normal in f32.
  let e = 113;
  while ((mantissa & 0x400) === 0) {
    mantissa <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((mantissa & 0x3ff) << 13)) >>> 0;
}

export function float16BitsToFloat32(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  const table = float16ToFloat32BitsTable();
  const out32 = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < bits.length; i++) out32[i] = table[bits[i]];
  return out;
}

export function bfloat16BitsToFloat32(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  const out32 = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < bits.length; i++) out32[i] = bits[i] << 16;
  return out;
}

/** F32 → F16 bits, round-to-nearest-even; overflow → ±inf; NaN → sign | 0x7e00 (as c10's fp16 conversion). */
export function float32ToFloat16Bits(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32BitsToFloat16Bits(bits[i], values[i]);
  return out;
}

function float32BitsToFloat16Bits(x: number, value: number): number {
  const sign = (x >>> 16) & 0x8000;
  let abs = x & 0x7fffffff;
  if (abs > 0x7f800000) return sign | 0x7e00;
  // 65520 is the midpoint between the largest half (65504) and 2^16; ties go to even = inf.
  if (abs >= 0x477ff000) return sign | 0x7c00;
  if (abs >= 0x38800000) {
    abs += 0xfff + ((abs >>> 13) & 1);
    return sign | ((abs - 0x38000000) >>> 13);
  }
  // Subnormal (or zero) half: scale so one unit in the last place is 1, then round half to even.
  const scaled = Math.abs(value) * 16777216;
  let whole = Math.floor(scaled);
  const fraction = scaled - whole;
  if (fraction > 0.5 || (fraction === 0.5 && (whole & 1) === 1)) whole++;
  return sign | whole;
}

/** F32 → BF16 bits, round-to-nearest-even; NaN → 0x7fc0 (as c10's round_to_nearest_even). */
export function float32ToBFloat16Bits(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = bits[i];
    if ((x & 0x7fffffff) > 0x7f800000) {
      out[i] = 0x7fc0;
      continue;
    }
    out[i] = Math.floor((x + 0x7fff + ((x >>> 16) & 1)) / 65536);
  }
  return out;
}

export type Float8Format = "F8_E4M3" | "F8_E5M2" | "F8_E8M0";

const float8Tables = new Map<Float8Format, Uint32Array>();

/** f32 bit patterns for the 256 values of an 8-bit float format (OCP FP8 conventions, as torch). */
function float8Table(format: Float8Format): Uint32Array {
  const cached = float8Tables.get(format);
  if (cached) return cached;
  const table = new Uint32Array(256);
  const scratch = new Float32Array(1);
  const scratchBits = new Uint32Array(scratch.buffer);
  for (let b = 0; b < 256; b++) {
    if (format === "F8_E5M2") {
      // E5M2 is exactly the top byte of an IEEE half.
      table[b] = float16BitsToFloat32Bits(b << 8);
      continue;
    }
    if (format === "F8_E8M0") {
      // Unsigned power-of-two scale: 2^(b - 127); 0xff is NaN.
      if (b === 0xff) table[b] = 0x7fc00000;
      else {
        scratch[0] = Math.pow(2, b - 127);
        table[b] = scratchBits[0];
      }
      continue;
    }
    // E4M3 "fn": bias 7, no infinities, NaN only at S.1111.111.
    const sign = b & 0x80 ? -1 : 1;
    const exponent = (b >>> 3) & 0xf;
    const mantissa = b & 0x7;
    if (exponent === 0xf && mantissa === 0x7) {
      table[b] = ((b & 0x80) << 24) | 0x7fc00000;
      continue;
    }
    scratch[0] = exponent === 0 ? sign * mantissa * Math.pow(2, -9) : sign * (1 + mantissa / 8) * Math.pow(2, exponent - 7);
    table[b] = scratchBits[0];
  }
  float8Tables.set(format, table);
  return table;
}

export function float8ToFloat32(bytes: Uint8Array, format: Float8Format, out: Float32Array = new Float32Array(bytes.length)): Float32Array {
  const table = float8Table(format);
  const out32 = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < bytes.length; i++) out32[i] = table[bytes[i]];
  return out;
}
