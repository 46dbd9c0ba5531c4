/**
 * Just enough of the Ogg container (RFC 3533) to identify the codec of the first logical stream
 * and read the granule position that ends it.
 */

export interface OggPage {
  readonly offset: number;
  readonly headerType: number;
  /** Absolute granule position; −1 when no packet ends on this page. */
  readonly granule: number;
  readonly serial: number;
  /** Offset of the page body (the packet data). */
  readonly bodyOffset: number;
  readonly bodyLength: number;
}

const BOS = 0x02;

/**
 * The page whose capture pattern starts at `offset`, or undefined if it is not one or is cut
 * short. `end`: where the source ends, counted from `bytes`' start — a caller that read only a
 * page's header from a file passes the file's remaining length, so the body need not be in hand.
 */
export function readOggPage(bytes: Uint8Array, offset: number, end = bytes.length): OggPage | undefined {
  if (offset + 27 > bytes.length) return undefined;
  if (bytes[offset] !== 0x4f || bytes[offset + 1] !== 0x67 || bytes[offset + 2] !== 0x67 || bytes[offset + 3] !== 0x53) {
    return undefined;
  }
  if (bytes[offset + 4] !== 0) return undefined; // stream structure version
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 27);
  const segments = bytes[offset + 26]!;
  const bodyOffset = offset + 27 + segments;
  if (bodyOffset > bytes.length) return undefined;
  let bodyLength = 0;
  for (let i = offset + 27; i < bodyOffset; i++) bodyLength += bytes[i]!;
  if (bodyOffset + bodyLength > end) return undefined;
  return {
    offset,
    headerType: bytes[offset + 5]!,
    granule: Number(view.getBigInt64(6, true)),
    serial: view.getUint32(14, true),
    bodyOffset,
    bodyLength,
  };
}

/** The first packet's leading bytes on the first page (the codec identification header). */
export function firstOggPacket(bytes: Uint8Array): Uint8Array | undefined {
  const page = readOggPage(bytes, 0);
  if (page === undefined || (page.headerType & BOS) === 0) return undefined;
  return bytes.subarray(page.bodyOffset, page.bodyOffset + page.bodyLength);
}

/**
 * The last granule position of the first logical stream, walking the pages in order; undefined
 * when the file holds several streams (chained or multiplexed), where one number would mislead.
 */
export function lastGranulePosition(bytes: Uint8Array): number | undefined {
  return lastGranuleOfPages((offset) => readOggPage(bytes, offset));
}

/** lastGranulePosition over pages read by `pageAt` (from bytes in memory, or header by header from a file). */
export function lastGranuleOfPages(pageAt: (offset: number) => OggPage | undefined): number | undefined {
  let offset = 0;
  let serial: number | undefined;
  let granule: number | undefined;
  for (;;) {
    const page = pageAt(offset);
    if (page === undefined) return granule;
    if (serial === undefined) serial = page.serial;
    else if (page.serial !== serial) return undefined;
    if (page.granule >= 0) granule = page.granule;
    offset = page.bodyOffset + page.bodyLength;
  }
}
