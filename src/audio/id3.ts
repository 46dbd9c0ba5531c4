/** ID3v2 tags, which MP3 (and some FLAC) files carry in front of the audio. */

/** Offset just past any ID3v2 tags at `start` (syncsafe size, optional footer); `start` if none. */
export function skipId3v2(bytes: Uint8Array, start = 0): number {
  let offset = start;
  while (offset + 10 <= bytes.length && bytes[offset] === 0x49 && bytes[offset + 1] === 0x44 && bytes[offset + 2] === 0x33) {
    let size = 0;
    for (let i = 6; i < 10; i++) size = size * 128 + (bytes[offset + i]! & 0x7f);
    const end = offset + 10 + size + (bytes[offset + 5]! & 0x10 ? 10 : 0);
    if (end > bytes.length) return offset; // cut-short tag: leave it to the caller to fail
    offset = end;
  }
  return offset;
}
