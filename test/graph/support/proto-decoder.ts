// An independent protobuf decoder for checking the writer: it reads the wire format directly
// (tag = field << 3 | wire type; varints little-endian base 128) and decodes the ONNX messages
// we write into plain objects, recording each field's wire type so tests can check them.

export interface RawField {
  field: number;
  wire: number;
  varint?: bigint;
  bytes?: Uint8Array;
  fixed32?: number;
  fixed64?: bigint;
}

export function decodeFields(buf: Uint8Array): RawField[] {
  const out: RawField[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let p = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (p >= buf.length) throw new Error("truncated varint");
      const b = buf[p++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error("varint longer than 10 bytes");
    }
  };
  while (p < buf.length) {
    const key = readVarint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) throw new Error("field number 0");
    if (wire === 0) out.push({ field, wire, varint: readVarint() });
    else if (wire === 2) {
      const len = Number(readVarint());
      if (p + len > buf.length) throw new Error(`length ${len} runs past the end`);
      out.push({ field, wire, bytes: buf.subarray(p, p + len) });
      p += len;
    } else if (wire === 5) {
      out.push({ field, wire, fixed32: view.getUint32(p, true) });
      p += 4;
    } else if (wire === 1) {
      out.push({ field, wire, fixed64: view.getBigUint64(p, true) });
      p += 8;
    } else throw new Error(`unsupported wire type ${wire} for field ${field}`);
  }
  return out;
}

const signed64 = (v: bigint): number => Number(BigInt.asIntN(64, v));
const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

export function packedVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let p = 0;
  while (p < bytes.length) {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = bytes[p++]!;
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    out.push(signed64(result));
  }
  return out;
}

function packedFloats(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

function floatOf(f: RawField): number {
  const b = new DataView(new ArrayBuffer(4));
  b.setUint32(0, f.fixed32!, true);
  return b.getFloat32(0, true);
}

/** Asserts the wire type and returns the fields with that number. */
function get(fields: RawField[], n: number, wire: number): RawField[] {
  const found = fields.filter((f) => f.field === n);
  for (const f of found) if (f.wire !== wire) throw new Error(`field ${n}: wire type ${f.wire}, expected ${wire}`);
  return found;
}

export interface DecodedTensor { name: string; dims: number[]; dataType: number; rawData?: Uint8Array; externalData: Record<string, string>; dataLocation: number }
export interface DecodedAttribute { name: string; type: number; i?: number; f?: number; s?: string; ints?: number[]; floats?: number[]; t?: DecodedTensor }
export interface DecodedNode { inputs: string[]; outputs: string[]; name: string; opType: string; domain: string; attributes: DecodedAttribute[] }
export interface DecodedValueInfo { name: string; elemType: number; dims: Array<{ value?: number; param?: string }> }
export interface DecodedModel {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  opsets: Array<{ domain: string; version: number }>;
  metadata: Record<string, string>;
  graph: { name: string; nodes: DecodedNode[]; initializers: DecodedTensor[]; inputs: DecodedValueInfo[]; outputs: DecodedValueInfo[] };
}

function decodeEntries(fields: RawField[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const e = decodeFields(f.bytes!);
    out[text(get(e, 1, 2)[0]?.bytes)] = text(get(e, 2, 2)[0]?.bytes);
  }
  return out;
}

export function decodeTensor(bytes: Uint8Array): DecodedTensor {
  const f = decodeFields(bytes);
  return {
    name: text(get(f, 8, 2)[0]?.bytes),
    dims: get(f, 1, 2).flatMap((d) => packedVarints(d.bytes!)),
    dataType: Number(get(f, 2, 0)[0]!.varint),
    rawData: get(f, 9, 2)[0]?.bytes,
    externalData: decodeEntries(get(f, 13, 2)),
    dataLocation: Number(get(f, 14, 0)[0]?.varint ?? 0n),
  };
}

function decodeAttribute(bytes: Uint8Array): DecodedAttribute {
  const f = decodeFields(bytes);
  const a: DecodedAttribute = { name: text(get(f, 1, 2)[0]!.bytes), type: Number(get(f, 20, 0)[0]!.varint) };
  const i = get(f, 3, 0)[0];
  if (i) a.i = signed64(i.varint!);
  const fl = get(f, 2, 5)[0];
  if (fl) a.f = floatOf(fl);
  const s = get(f, 4, 2)[0];
  if (s) a.s = text(s.bytes);
  const ints = get(f, 8, 2);
  if (ints.length) a.ints = ints.flatMap((x) => packedVarints(x.bytes!));
  const floats = get(f, 7, 2);
  if (floats.length) a.floats = floats.flatMap((x) => packedFloats(x.bytes!));
  const t = get(f, 5, 2)[0];
  if (t) a.t = decodeTensor(t.bytes!);
  return a;
}

function decodeValueInfo(bytes: Uint8Array): DecodedValueInfo {
  const f = decodeFields(bytes);
  const type = decodeFields(get(f, 2, 2)[0]!.bytes!);
  const tensor = decodeFields(get(type, 1, 2)[0]!.bytes!);
  const shape = decodeFields(get(tensor, 2, 2)[0]!.bytes!);
  return {
    name: text(get(f, 1, 2)[0]!.bytes),
    elemType: Number(get(tensor, 1, 0)[0]!.varint),
    dims: get(shape, 1, 2).map((d) => {
      const df = decodeFields(d.bytes!);
      const v = get(df, 1, 0)[0];
      const p = get(df, 2, 2)[0];
      return v ? { value: signed64(v.varint!) } : p ? { param: text(p.bytes) } : {};
    }),
  };
}

export function decodeModel(bytes: Uint8Array): DecodedModel {
  const m = decodeFields(bytes);
  const g = decodeFields(get(m, 7, 2)[0]!.bytes!);
  return {
    irVersion: Number(get(m, 1, 0)[0]!.varint),
    producerName: text(get(m, 2, 2)[0]?.bytes),
    producerVersion: text(get(m, 3, 2)[0]?.bytes),
    opsets: get(m, 8, 2).map((o) => {
      const f = decodeFields(o.bytes!);
      return { domain: text(get(f, 1, 2)[0]?.bytes), version: Number(get(f, 2, 0)[0]!.varint) };
    }),
    metadata: decodeEntries(get(m, 14, 2)),
    graph: {
      name: text(get(g, 2, 2)[0]?.bytes),
      nodes: get(g, 1, 2).map((n) => {
        const f = decodeFields(n.bytes!);
        return {
          inputs: get(f, 1, 2).map((x) => text(x.bytes)),
          outputs: get(f, 2, 2).map((x) => text(x.bytes)),
          name: text(get(f, 3, 2)[0]?.bytes),
          opType: text(get(f, 4, 2)[0]!.bytes),
          domain: text(get(f, 7, 2)[0]?.bytes),
          attributes: get(f, 5, 2).map((a) => decodeAttribute(a.bytes!)),
        };
      }),
      initializers: get(g, 5, 2).map((t) => decodeTensor(t.bytes!)),
      inputs: get(g, 11, 2).map((v) => decodeValueInfo(v.bytes!)),
      outputs: get(g, 12, 2).map((v) => decodeValueInfo(v.bytes!)),
    },
  };
}
