import { inflateSync } from "fflate";
import type { ByteSource } from "./byte-source.js";
import { crc32 as portableCrc32 } from "./crc32.js";
import { UnsupportedWeightsError, WeightsFormatError } from "./errors.js";

/** One file in a zip archive, from its central-directory record. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

export interface ZipArchiveOptions {
  /** A faster CRC-32 (e.g. node:zlib's) to verify records with; defaults to the portable one. */
  crc32?: (bytes: Uint8Array) => number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * A read-only zip archive over a ByteSource, as torch.save writes them (stored entries aligned to
 * 64 bytes, zip64 end records) but robust to any writer: sizes come from the central directory
 * (never from local headers, which may defer them to data descriptors), deflate is inflated, zip64
 * fields are honoured, and every offset is bounds-checked before use.
 */
export class ZipArchive {
  private readonly byName = new Map<string, ZipEntry>();
  private readonly ordered: ZipEntry[] = [];
  private readonly centralStart: number;
  private readonly checksum: (bytes: Uint8Array) => number;

  constructor(
    private readonly source: ByteSource,
    options: ZipArchiveOptions = {},
  ) {
    this.checksum = options.crc32 ?? ((bytes) => portableCrc32(bytes));
    const { count, offset, size } = this.findCentralDirectory();
    this.centralStart = offset;
    this.readCentralDirectory(offset, size, count);
  }

  get label(): string {
    return this.source.label;
  }

  /** Entries in central-directory order (the order they were written). */
  entries(): readonly ZipEntry[] {
    return this.ordered;
  }

  get(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  /** Absolute file offset of the entry's (possibly compressed) data. */
  dataOffset(entry: ZipEntry): number {
    const header = this.bytes(entry.localHeaderOffset, 30, `the local header of "${entry.name}"`);
    const view = new DataView(header.buffer, header.byteOffset, 30);
    if (view.getUint32(0, true) !== LOCAL) this.fail(`the local header of "${entry.name}" is missing (bad signature at ${entry.localHeaderOffset})`);
    const nameLength = view.getUint16(26, true);
    const extraLength = view.getUint16(28, true);
    const start = entry.localHeaderOffset + 30 + nameLength + extraLength;
    if (start + entry.compressedSize > this.centralStart) {
      this.fail(`the data of "${entry.name}" (${entry.compressedSize} bytes at ${start}) runs into the central directory; the archive is corrupt`);
    }
    return start;
  }

  /**
   * The entry's uncompressed bytes. Stored entries are zero-copy views into the source. With
   * `verify` (the default) the CRC-32 is checked, so a corrupted download is reported, not loaded.
   */
  read(entry: ZipEntry, verify = true): Uint8Array {
    if (entry.flags & 0x1) {
      throw new UnsupportedWeightsError(`${this.label}: "${entry.name}" is encrypted; re-save the checkpoint without encryption`, { file: this.label });
    }
    const start = this.dataOffset(entry);
    const raw = this.bytes(start, entry.compressedSize, `the data of "${entry.name}"`);
    let data: Uint8Array;
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize) this.fail(`stored entry "${entry.name}" has different compressed and uncompressed sizes`);
      data = raw;
    } else if (entry.method === 8) {
      data = this.inflate(entry, raw);
    } else {
      throw new UnsupportedWeightsError(
        `${this.label}: "${entry.name}" uses zip compression method ${entry.method}; only stored (0) and deflate (8) are supported — re-save with torch.save`,
        { file: this.label },
      );
    }
    if (verify && this.checksum(data) !== entry.crc32) {
      this.fail(`the CRC-32 of "${entry.name}" does not match its data; the file is corrupt — download it again`);
    }
    return data;
  }

  private inflate(entry: ZipEntry, raw: Uint8Array): Uint8Array {
    // Deflate cannot expand data more than ~1032×; a larger claim is a zip bomb or corruption.
    if (entry.uncompressedSize > raw.byteLength * 1032 + 1024) {
      this.fail(`"${entry.name}" claims ${entry.uncompressedSize} bytes from ${raw.byteLength} compressed bytes, more than deflate can produce`);
    }
    let out: Uint8Array;
    try {
      out = inflateSync(raw, { out: new Uint8Array(entry.uncompressedSize) });
    } catch (cause) {
      throw new WeightsFormatError(`${this.label}: "${entry.name}" does not inflate (${(cause as Error).message}); the archive is corrupt`, { file: this.label }, { cause });
    }
    if (out.byteLength !== entry.uncompressedSize) this.fail(`"${entry.name}" inflates to ${out.byteLength} bytes, the directory says ${entry.uncompressedSize}`);
    return out;
  }

  private findCentralDirectory(): { count: number; offset: number; size: number } {
    const length = this.source.byteLength;
    if (length < 22) this.fail(`${length} bytes is too short for a zip archive; the file is truncated`);
    const tailLength = Math.min(length, 22 + 65535);
    const tail = this.source.read(length - tailLength, tailLength);
    const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    let at = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (view.getUint32(i, true) === EOCD && i + 22 + view.getUint16(i + 20, true) <= tailLength) {
        at = i;
        break;
      }
    }
    if (at < 0) this.fail("no zip end-of-central-directory record; the file is truncated or not a zip archive");
    const eocdOffset = length - tailLength + at;
    if (view.getUint16(at + 4, true) !== 0 || view.getUint16(at + 6, true) !== 0) {
      throw new UnsupportedWeightsError(`${this.label}: multi-part (spanned) zip archives are not supported`, { file: this.label });
    }
    let count = view.getUint16(at + 10, true);
    let size = view.getUint32(at + 12, true);
    let offset = view.getUint32(at + 16, true);
    if (eocdOffset >= 20) {
      const locator = this.bytes(eocdOffset - 20, 20, "the zip64 locator");
      const lv = new DataView(locator.buffer, locator.byteOffset, 20);
      if (lv.getUint32(0, true) === ZIP64_LOCATOR) {
        const recordOffset = this.safeNumber(lv.getBigUint64(8, true), "the zip64 record offset");
        const record = this.bytes(recordOffset, 56, "the zip64 end-of-central-directory record");
        const rv = new DataView(record.buffer, record.byteOffset, 56);
        if (rv.getUint32(0, true) !== ZIP64_EOCD) this.fail("the zip64 locator points at something that is not a zip64 end record");
        count = this.safeNumber(rv.getBigUint64(32, true), "the zip64 entry count");
        size = this.safeNumber(rv.getBigUint64(40, true), "the zip64 directory size");
        offset = this.safeNumber(rv.getBigUint64(48, true), "the zip64 directory offset");
      }
    }
    if (offset + size > eocdOffset) this.fail(`the central directory (${size} bytes at ${offset}) overlaps the end record; the archive is corrupt`);
    return { count, offset, size };
  }

  private readCentralDirectory(offset: number, size: number, count: number): void {
    const dir = this.bytes(offset, size, "the central directory");
    const view = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
    const decoder = new TextDecoder("utf-8");
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > size || view.getUint32(p, true) !== CENTRAL) this.fail(`central directory record ${i} of ${count} is missing or damaged`);
      const flags = view.getUint16(p + 8, true);
      const method = view.getUint16(p + 10, true);
      const crc = view.getUint32(p + 16, true);
      let compressedSize = view.getUint32(p + 20, true);
      let uncompressedSize = view.getUint32(p + 24, true);
      const nameLength = view.getUint16(p + 28, true);
      const extraLength = view.getUint16(p + 30, true);
      const commentLength = view.getUint16(p + 32, true);
      let localHeaderOffset = view.getUint32(p + 42, true);
      const end = p + 46 + nameLength + extraLength + commentLength;
      if (end > size) this.fail(`central directory record ${i} runs past the directory`);
      const name = decoder.decode(dir.subarray(p + 46, p + 46 + nameLength));
      // Zip64 extra field: the 64-bit values replace, in this order, the 32-bit fields set to 0xffffffff.
      for (let e = p + 46 + nameLength; e + 4 <= p + 46 + nameLength + extraLength; ) {
        const id = view.getUint16(e, true);
        const len = view.getUint16(e + 2, true);
        if (id === 0x0001) {
          let q = e + 4;
          const next = (what: string): number => {
            if (q + 8 > e + 4 + len) this.fail(`the zip64 field of "${name}" is too short for its ${what}`);
            const v = this.safeNumber(view.getBigUint64(q, true), `the ${what} of "${name}"`);
            q += 8;
            return v;
          };
          if (uncompressedSize === 0xffffffff) uncompressedSize = next("size");
          if (compressedSize === 0xffffffff) compressedSize = next("compressed size");
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = next("offset");
        }
        e += 4 + len;
      }
      if (this.byName.has(name)) this.fail(`the archive lists "${name}" twice; refusing an ambiguous archive`);
      const entry: ZipEntry = { name, method, flags, crc32: crc, compressedSize, uncompressedSize, localHeaderOffset };
      this.byName.set(name, entry);
      this.ordered.push(entry);
      p = end;
    }
  }

  private bytes(offset: number, length: number, what: string): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.source.byteLength) {
      this.fail(`${what} (bytes ${offset}..${offset + length}) lies outside the ${this.source.byteLength}-byte file; it is truncated or corrupt`);
    }
    return this.source.read(offset, length);
  }

  private safeNumber(value: bigint, what: string): number {
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} is out of range`);
    return Number(value);
  }

  private fail(message: string): never {
    throw new WeightsFormatError(`${this.label}: ${message}`, { file: this.label });
  }
}
