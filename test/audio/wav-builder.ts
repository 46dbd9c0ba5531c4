/** Builds WAV files byte by byte for tests of odd, broken and rare layouts. */

export interface ChunkSpec {
  id: string;
  body: Uint8Array;
  /** Size to write in the header instead of body.length. */
  declaredSize?: number;
  /** Omit the pad byte after an odd-sized body (a common writer bug). */
  noPad?: boolean;
}

export function chunk(id: string, body: Uint8Array, extra: Partial<ChunkSpec> = {}): ChunkSpec {
  return { id, body, ...extra };
}

export function fmtBody(o: { tag?: number; channels: number; rate: number; bits: number; blockAlign?: number }): Uint8Array {
  const align = o.blockAlign ?? o.channels * Math.ceil(o.bits / 8);
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint16(0, o.tag ?? 1, true);
  v.setUint16(2, o.channels, true);
  v.setUint32(4, o.rate, true);
  v.setUint32(8, o.rate * align, true);
  v.setUint16(12, align, true);
  v.setUint16(14, o.bits, true);
  return b;
}

/** WAVE_FORMAT_EXTENSIBLE fmt body with the standard KSDATAFORMAT sub-type GUID for `subTag`. */
export function extensibleFmtBody(o: { subTag: number; channels: number; rate: number; bits: number; validBits?: number; mask: number }): Uint8Array {
  const align = o.channels * Math.ceil(o.bits / 8);
  const b = new Uint8Array(40);
  const v = new DataView(b.buffer);
  v.setUint16(0, 0xfffe, true);
  v.setUint16(2, o.channels, true);
  v.setUint32(4, o.rate, true);
  v.setUint32(8, o.rate * align, true);
  v.setUint16(12, align, true);
  v.setUint16(14, o.bits, true);
  v.setUint16(16, 22, true);
  v.setUint16(18, o.validBits ?? o.bits, true);
  v.setUint32(20, o.mask, true);
  v.setUint16(24, o.subTag, true);
  b.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 26);
  return b;
}

export function int16Body(values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 2);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setInt16(2 * i, x, true));
  return b;
}

export function float32Body(values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setFloat32(4 * i, x, true));
  return b;
}

/** A RIFF/WAVE file from chunks; `riffSize` overrides the RIFF header size. */
export function buildWav(chunks: ChunkSpec[], options: { riffSize?: number; magic?: string } = {}): Uint8Array {
  const parts: number[] = [];
  const ascii = (s: string) => { for (const ch of s) parts.push(ch.charCodeAt(0)); };
  const u32 = (n: number) => parts.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  ascii("WAVE");
  for (const c of chunks) {
    ascii(c.id);
    u32(c.declaredSize ?? c.body.length);
    for (const byte of c.body) parts.push(byte);
    if (c.body.length % 2 === 1 && !c.noPad) parts.push(0);
  }
  const body = Uint8Array.from(parts);
  const out = new Uint8Array(8 + body.length);
  out.set(new TextEncoder().encode(options.magic ?? "RIFF"), 0);
  new DataView(out.buffer).setUint32(4, options.riffSize ?? body.length, true);
  out.set(body, 8);
  return out;
}

/** A plain 16-bit PCM WAV. */
export function pcm16Wav(values: number[], channels = 1, rate = 8000): Uint8Array {
  return buildWav([chunk("fmt ", fmtBody({ channels, rate, bits: 16 })), chunk("data", int16Body(values))]);
}
