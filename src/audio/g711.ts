/**
 * G.711 µ-law and A-law expansion to 16-bit linear PCM (ITU-T G.711), the values ffmpeg's
 * pcm_mulaw / pcm_alaw decoders produce; scaled by 1/32768 like every 16-bit source.
 */

function mulawToLinear(code: number): number {
  const u = ~code & 0xff; // codes are stored complemented
  const exponent = (u >> 4) & 0x07;
  const magnitude = (((u & 0x0f) << 3) + 0x84) << exponent; // 0x84 = bias of 33 · 4
  return u & 0x80 ? 0x84 - magnitude : magnitude - 0x84;
}

function alawToLinear(code: number): number {
  const a = code ^ 0x55; // even bits are inverted on the wire
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  const magnitude = exponent === 0 ? (2 * mantissa + 1) << 3 : (2 * mantissa + 33) << (exponent + 2);
  return a & 0x80 ? magnitude : -magnitude;
}

function table(expand: (code: number) => number): Float32Array {
  const out = new Float32Array(256);
  for (let code = 0; code < 256; code++) out[code] = expand(code) / 32768;
  return out;
}

let mulaw: Float32Array | undefined;
let alaw: Float32Array | undefined;

/** Float value of each of the 256 µ-law codes. */
export function mulawTable(): Float32Array {
  return (mulaw ??= table(mulawToLinear));
}

/** Float value of each of the 256 A-law codes. */
export function alawTable(): Float32Array {
  return (alaw ??= table(alawToLinear));
}
