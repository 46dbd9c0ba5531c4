/**
 * Recomputes the CRC of every Ogg page after a mutation. The codecs drop pages whose checksum is
 * wrong, so without this nearly every mutated Ogg file would only test the page-skipping path.
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

function pageCrc(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    const b = i >= start + 22 && i < start + 26 ? 0 : bytes[i]!; // the CRC field counts as zero
    crc = ((crc << 8) ^ TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  }
  return crc;
}

/** A copy with each well-delimited page's checksum set right; bytes between pages are left alone. */
export function withFixedOggCrcs(input: Uint8Array): Uint8Array {
  const bytes = input.slice();
  const view = new DataView(bytes.buffer);
  let at = 0;
  while (at + 27 <= bytes.length) {
    if (bytes[at] !== 0x4f || bytes[at + 1] !== 0x67 || bytes[at + 2] !== 0x67 || bytes[at + 3] !== 0x53) {
      at++;
      continue;
    }
    const segments = bytes[at + 26]!;
    let end = at + 27 + segments;
    if (end > bytes.length) break;
    for (let i = at + 27; i < at + 27 + segments; i++) end += bytes[i]!;
    if (end > bytes.length) break;
    view.setUint32(at + 22, pageCrc(bytes, at, end), true);
    at = end;
  }
  return bytes;
}
