/**
 * An independent reader of TensorBoard event files for the tests, written from the format's
 * description (tensorflow/core/lib/io/record_writer.cc, event.proto, summary.proto), sharing no
 * code with src/: a bit-by-bit CRC-32C, a protobuf wire-format decoder, and the Event / Summary
 * fields TensorBoard reads. Any framing or checksum error throws.
 */

/** CRC-32C bit by bit (no table), as RFC 3720 defines it. */
export function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

function masked(crc: number): number {
  const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
  return (rotated + 0xa282ead8) % 0x100000000;
}

/** The records of a TFRecord file; checks both CRCs of each. */
export function readTfRecords(file: Uint8Array): Uint8Array[] {
  const records: Uint8Array[] = [];
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let at = 0;
  while (at < file.length) {
    if (at + 12 > file.length) throw new Error(`truncated record header at byte ${at}`);
    const length = Number(view.getBigUint64(at, true));
    const lengthCrc = view.getUint32(at + 8, true);
    if (lengthCrc !== masked(referenceCrc32c(file.subarray(at, at + 8)))) throw new Error(`bad length CRC at byte ${at}`);
    const start = at + 12;
    if (start + length + 4 > file.length) throw new Error(`truncated record at byte ${at}`);
    const data = file.subarray(start, start + length);
    if (view.getUint32(start + length, true) !== masked(referenceCrc32c(data))) throw new Error(`bad data CRC at byte ${start + length}`);
    records.push(data);
    at = start + length + 4;
  }
  return records;
}

export interface ProtoField {
  readonly field: number;
  readonly wire: number;
  /** varint (as bigint), fixed64/fixed32 raw bytes, or the length-delimited payload */
  readonly value: bigint | Uint8Array;
}

/** Decodes one message level into its fields, in order. */
export function decodeProto(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= bytes.length) throw new Error("truncated varint");
      const b = bytes[at++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) fields.push({ field, wire, value: varint() });
    else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (at + size > bytes.length) throw new Error("truncated fixed field");
      fields.push({ field, wire, value: bytes.subarray(at, at + size) });
      at += size;
    } else if (wire === 2) {
      const length = Number(varint());
      if (at + length > bytes.length) throw new Error("truncated length-delimited field");
      fields.push({ field, wire, value: bytes.subarray(at, at + length) });
      at += length;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return fields;
}

const utf8 = (b: Uint8Array): string => new TextDecoder("utf-8", { fatal: true }).decode(b);
const float32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
const float64 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);

export interface SummaryValueRead {
  readonly tag: string;
  readonly simpleValue?: number;
  readonly pluginName?: string;
  readonly text?: string;
}

export interface EventRead {
  readonly wallTime: number;
  readonly step: number;
  readonly fileVersion?: string;
  readonly values?: SummaryValueRead[];
  readonly sessionLogStatus?: number;
}

function first(fields: ProtoField[], field: number): ProtoField | undefined {
  return fields.find((f) => f.field === field);
}

function summaryValue(bytes: Uint8Array): SummaryValueRead {
  const f = decodeProto(bytes);
  const tag = first(f, 1);
  const simple = first(f, 2);
  const metadata = first(f, 9);
  const tensor = first(f, 8);
  const plugin = metadata && first(decodeProto(metadata.value as Uint8Array), 1);
  const pluginName = plugin && first(decodeProto(plugin.value as Uint8Array), 1);
  const stringVal = tensor && first(decodeProto(tensor.value as Uint8Array), 8);
  return {
    tag: tag ? utf8(tag.value as Uint8Array) : "",
    ...(simple && { simpleValue: float32(simple.value as Uint8Array) }),
    ...(pluginName && { pluginName: utf8(pluginName.value as Uint8Array) }),
    ...(stringVal && { text: utf8(stringVal.value as Uint8Array) }),
  };
}

export function decodeEvent(bytes: Uint8Array): EventRead {
  const f = decodeProto(bytes);
  const wall = first(f, 1);
  const step = first(f, 2);
  const version = first(f, 3);
  const summary = first(f, 5);
  const session = first(f, 7);
  const status = session && first(decodeProto(session.value as Uint8Array), 1);
  return {
    wallTime: wall ? float64(wall.value as Uint8Array) : 0,
    step: step ? Number(BigInt.asIntN(64, step.value as bigint)) : 0,
    ...(version && { fileVersion: utf8(version.value as Uint8Array) }),
    ...(summary && { values: decodeProto(summary.value as Uint8Array).filter((v) => v.field === 1).map((v) => summaryValue(v.value as Uint8Array)) }),
    ...(status && { sessionLogStatus: Number(status.value) }),
  };
}

export function readEventFile(file: Uint8Array): EventRead[] {
  return readTfRecords(file).map(decodeEvent);
}

/** tag → [[step, value], …] of the scalars in the events. */
export function scalarsByTag(events: readonly EventRead[]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const event of events) {
    for (const v of event.values ?? []) {
      if (v.simpleValue === undefined) continue;
      const list = out.get(v.tag) ?? [];
      list.push([event.step, v.simpleValue]);
      out.set(v.tag, list);
    }
  }
  return out;
}
