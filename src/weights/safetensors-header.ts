import type { ByteSource } from "./byte-source.js";
import { type Dtype, dtypeSize, isDtype } from "./dtypes.js";
import { UnsupportedWeightsError, WeightsFormatError } from "./errors.js";

/** One tensor's header entry; offsets are relative to the start of the data section. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  /** Byte offset of the data section in the file (8 + header length). */
  readonly dataStart: number;
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  /** `__metadata__`, or null when the header has none. */
  readonly metadata: Readonly<Record<string, string>> | null;
}

/** The safetensors crate refuses larger headers; so do we, before allocating anything. */
export const MAX_HEADER_BYTES = 100_000_000;

/** Dtypes the safetensors format defines that this reader does not convert. */
const KNOWN_UNSUPPORTED_DTYPES = new Set(["F4", "F6_E2M3", "F6_E3M2", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "C64"]);

/**
 * Reads and validates the header exactly as strictly as the Rust safetensors crate: length within
 * the file, UTF-8 JSON object, known dtypes, offsets contiguous from 0 without gaps or overlaps,
 * byte length = shape product × dtype size, and the last tensor ending at the end of the file.
 */
export function parseSafetensorsHeader(source: ByteSource): SafetensorsHeader {
  const file = source.label;
  const fail: (message: string, tensor?: string) => never = (message, tensor) => {
    throw new WeightsFormatError(`${file}: ${message}`, { file, tensor });
  };
  if (source.byteLength < 8) {
    fail(`${source.byteLength} bytes is too short for a safetensors file (it starts with an 8-byte header length); the file is truncated or not safetensors`);
  }
  const prefix = source.read(0, 8);
  const headerLength = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    fail(`the header length field says ${headerLength} bytes, over the 100 MB safetensors limit; the file is not safetensors or is corrupt`);
  }
  const n = Number(headerLength);
  if (8 + n > source.byteLength) {
    fail(`the header length field says ${n} bytes but only ${source.byteLength - 8} follow it; the file is truncated — download it again`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(source.read(8, n));
  } catch (cause) {
    throw new WeightsFormatError(`${file}: the header is not valid UTF-8; the file is corrupt or not safetensors`, { file }, { cause });
  }
  if (!text.startsWith("{")) fail(`the header does not start with "{"; the file is not safetensors`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new WeightsFormatError(`${file}: the header is not valid JSON (${(cause as Error).message}); the file is corrupt`, { file }, { cause });
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) fail("the header is not a JSON object");

  let metadata: Record<string, string> | null = null;
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = parseMetadata(value, fail);
      continue;
    }
    entries.push(parseEntry(name, value, file, fail));
  }

  // Like the Rust reader: order by offsets, then demand an exact tiling of the data section.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const entry of entries) {
    if (entry.begin !== cursor) {
      fail(
        entry.begin > cursor
          ? `tensor "${entry.name}" starts at data offset ${entry.begin} but the previous tensor ends at ${cursor} (a gap); the header is corrupt`
          : `tensor "${entry.name}" starts at data offset ${entry.begin}, inside the previous tensor (ends at ${cursor}); tensors overlap, the header is corrupt`,
        entry.name,
      );
    }
    const expected = numelOf(entry.shape, entry.name, fail) * dtypeSize(entry.dtype);
    if (entry.end - entry.begin !== expected) {
      fail(`tensor "${entry.name}" (${entry.dtype} [${entry.shape.join(", ")}]) needs ${expected} bytes but its data_offsets span ${entry.end - entry.begin}`, entry.name);
    }
    cursor = entry.end;
  }
  const dataStart = 8 + n;
  const available = source.byteLength - dataStart;
  if (cursor > available) {
    fail(`the tensors need ${cursor} bytes of data but the file holds ${available}; it is truncated — download it again`);
  }
  if (cursor < available) {
    fail(`${available - cursor} bytes follow the last tensor; the safetensors format forbids trailing data (Python's safetensors refuses this file too)`);
  }
  return { dataStart, entries: new Map(entries.map((e) => [e.name, e])), metadata };
}

function parseMetadata(value: unknown, fail: (message: string) => never): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail(`"__metadata__" must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== "string") fail(`"__metadata__"."${key}" must be a string, got ${JSON.stringify(v)}`);
    out[key] = v as string;
  }
  return out;
}

function parseEntry(name: string, value: unknown, file: string, fail: (message: string, tensor?: string) => never): SafetensorsEntry {
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail(`tensor "${name}" must be described by an object {dtype, shape, data_offsets}`, name);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isDtype(dtype)) {
    if (typeof dtype === "string" && KNOWN_UNSUPPORTED_DTYPES.has(dtype)) {
      throw new UnsupportedWeightsError(
        `${file}: tensor "${name}" has dtype ${dtype}, which audioclass does not read; convert the checkpoint to F32, F16 or BF16`,
        { file, tensor: name },
      );
    }
    fail(`tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}`, name);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`tensor "${name}" needs "shape" as an array of non-negative integers, got ${JSON.stringify(shape)}`, name);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
    fail(`tensor "${name}" needs "data_offsets" as [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`, name);
  }
  const [begin, end] = offsets as number[];
  return { name, dtype: dtype as Dtype, shape: shape as number[], begin, end };
}

function numelOf(shape: readonly number[], name: string, fail: (message: string, tensor?: string) => never): number {
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) fail(`tensor "${name}" has shape [${shape.join(", ")}], too many elements to address`, name);
  }
  return n;
}
