/**
 * A minimal protobuf encoder, shared by the ONNX writer (graph/) and the TensorBoard event
 * writer (training/). Messages are written into small scratch
 * buffers; a nested message or a large `bytes` field is appended as a reference to its parts, so
 * weight data is copied exactly once, into the final buffer (finish()) — or never, when it goes
 * to external data.
 */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** bytes fields at least this long are referenced instead of copied into the scratch buffer */
const REFERENCE_THRESHOLD = 4096;
const textEncoder = new TextEncoder();

/** Bytes a varint needs for a non-negative integer below 2^53. */
export function varintSize(value: number): number {
  let n = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    n++;
  }
  return n;
}

function varintSizeBig(value: bigint): number {
  let v = BigInt.asUintN(64, value);
  let n = 1;
  while (v >= 128n) {
    v >>= 7n;
    n++;
  }
  return n;
}

export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private partsLength = 0;
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialCapacity = 64) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  /** Encoded length so far. */
  get length(): number {
    return this.partsLength + this.pos;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private flushScratch(): void {
    if (this.pos === 0) return;
    this.parts.push(this.buf.subarray(0, this.pos));
    this.partsLength += this.pos;
    this.buf = new Uint8Array(Math.max(64, Math.min(this.buf.length, 4096)));
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
  }

  /** Raw varint of a non-negative integer below 2^53. */
  private varint(value: number): void {
    this.ensure(10);
    while (value >= 128) {
      this.buf[this.pos++] = (value % 128) | 128;
      value = Math.floor(value / 128);
    }
    this.buf[this.pos++] = value;
  }

  /** Raw varint of a 64-bit two's-complement integer (negative numbers take 10 bytes). */
  private varintBig(value: bigint): void {
    this.ensure(10);
    let v = BigInt.asUintN(64, value);
    while (v >= 128n) {
      this.buf[this.pos++] = Number(v & 127n) | 128;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  private signedVarint(value: number | bigint): void {
    if (typeof value === "number" && value >= 0 && value <= Number.MAX_SAFE_INTEGER) this.varint(value);
    else this.varintBig(BigInt(value));
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** int64 / int32 / enum field (varint; negatives as 64-bit two's complement, as protobuf does). */
  int(field: number, value: number | bigint): void {
    this.tag(field, WIRE_VARINT);
    this.signedVarint(value);
  }

  float(field: number, value: number): void {
    this.tag(field, WIRE_FIXED32);
    this.ensure(4);
    this.view.setFloat32(this.pos, value, true);
    this.pos += 4;
  }

  /** double field (fixed64, little-endian). */
  double(field: number, value: number): void {
    this.tag(field, WIRE_FIXED64);
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  string(field: number, value: string): void {
    this.bytes(field, textEncoder.encode(value));
  }

  /** A bytes field. Large arrays are referenced, not copied: do not mutate them before finish(). */
  bytes(field: number, data: Uint8Array): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(data.byteLength);
    if (data.byteLength >= REFERENCE_THRESHOLD) {
      this.flushScratch();
      this.parts.push(data);
      this.partsLength += data.byteLength;
      return;
    }
    this.ensure(data.byteLength);
    this.buf.set(data, this.pos);
    this.pos += data.byteLength;
  }

  /** An embedded message (its parts are referenced, not copied). */
  message(field: number, child: ProtoWriter): void {
    child.flushScratch();
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(child.partsLength);
    this.flushScratch();
    for (const part of child.parts) this.parts.push(part);
    this.partsLength += child.partsLength;
  }

  /** A packed repeated int64/int32 field. */
  packedInts(field: number, values: ArrayLike<number | bigint>): void {
    let size = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      size += typeof v === "number" && v >= 0 && v <= Number.MAX_SAFE_INTEGER ? varintSize(v) : varintSizeBig(BigInt(v));
    }
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(size);
    for (let i = 0; i < values.length; i++) this.signedVarint(values[i]!);
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: ArrayLike<number>): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(values.length * 4);
    this.ensure(values.length * 4);
    for (let i = 0; i < values.length; i++) {
      this.view.setFloat32(this.pos, values[i]!, true);
      this.pos += 4;
    }
  }

  /** The encoded message in one buffer: every part is copied once. */
  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.partsLength);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.byteLength;
    }
    return out;
  }
}
