import { compareCodePoints } from "../util/python-json.js";
import { dtypeRank } from "./dtypes.js";
import { InvalidTensorError } from "./errors.js";
import { type RawTensor, rawTensorBytes, toRawTensor, type WritableTensor } from "./raw-tensor.js";

/** Tensors to write, by name: a plain object or a Map (insertion order is kept for sharding). */
export type TensorDict = Readonly<Record<string, WritableTensor>> | ReadonlyMap<string, WritableTensor>;

/** A safetensors file laid out but not yet written: the header, then each tensor's bytes in order. */
export interface SafetensorsLayout {
  /** 8-byte little-endian length + JSON header padded with spaces to a multiple of 8. */
  readonly header: Uint8Array;
  /** Tensor data in file order (little-endian views of the inputs, no copies on little-endian hosts). */
  readonly chunks: readonly Uint8Array[];
  /** Tensor names in file order. */
  readonly order: readonly string[];
  /** Total file size in bytes. */
  readonly byteLength: number;
}

export function tensorDictEntries(tensors: TensorDict): [string, WritableTensor][] {
  if (tensors instanceof Map) return [...tensors.entries()];
  if (tensors === null || typeof tensors !== "object") {
    throw new InvalidTensorError(`tensors must be an object or a Map of name → tensor, got ${tensors === null ? "null" : typeof tensors}`);
  }
  return Object.entries(tensors as Record<string, WritableTensor>);
}

/** Metadata as written: the caller's entries plus `format: "pt"`, which transformers requires to load the file. */
export function withFormatMetadata(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = { ...(metadata ?? {}) };
  for (const [key, value] of Object.entries(out)) {
    if (typeof value !== "string") throw new InvalidTensorError(`metadata "${key}" must be a string (safetensors metadata is string → string), got ${typeof value}`);
  }
  if (out.format === undefined) out.format = "pt";
  return out;
}

/**
 * Lays tensors out exactly as Python's `safetensors.torch.save_file` does (Rust `prepare`):
 * sorted by descending dtype alignment, then by name (byte order), `__metadata__` first, compact
 * JSON, header padded with spaces to a multiple of 8 so every tensor starts 8-byte aligned.
 * Metadata keys are written sorted (Python's order is a Rust HashMap's, i.e. arbitrary).
 */
export function layoutSafetensors(tensors: TensorDict, metadata?: Readonly<Record<string, string>>): SafetensorsLayout {
  const named: { name: string; raw: RawTensor }[] = tensorDictEntries(tensors).map(([name, tensor]) => {
    checkTensorName(name);
    return { name, raw: toRawTensor(tensor, name) };
  });
  named.sort((a, b) => dtypeRank(b.raw.dtype) - dtypeRank(a.raw.dtype) || compareCodePoints(a.name, b.name));

  const meta = withFormatMetadata(metadata);
  const parts: string[] = [];
  const metaKeys = Object.keys(meta).sort(compareCodePoints);
  parts.push(`"__metadata__":{${metaKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(meta[k])}`).join(",")}}`);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const { name, raw } of named) {
    const bytes = rawTensorBytes(raw);
    const end = offset + bytes.byteLength;
    parts.push(`${JSON.stringify(name)}:{"dtype":"${raw.dtype}","shape":[${raw.shape.join(",")}],"data_offsets":[${offset},${end}]}`);
    chunks.push(bytes);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const header = new Uint8Array(8 + padded).fill(0x20, 8 + json.byteLength);
  new DataView(header.buffer).setBigUint64(0, BigInt(padded), true);
  header.set(json, 8);
  return { header, chunks, order: named.map((n) => n.name), byteLength: header.byteLength + offset };
}

/** The whole file in one buffer (browser downloads, tests); prefer `saveSafetensors` for large models. */
export function encodeSafetensors(tensors: TensorDict, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const layout = layoutSafetensors(tensors, metadata);
  const out = new Uint8Array(layout.byteLength);
  out.set(layout.header, 0);
  let offset = layout.header.byteLength;
  for (const chunk of layout.chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function checkTensorName(name: string): void {
  if (name === "__metadata__") throw new InvalidTensorError(`"__metadata__" is reserved in safetensors headers and cannot name a tensor`, { tensor: name });
  if (name.length === 0) throw new InvalidTensorError("a tensor name must not be empty");
  // Python's safetensors goes through Rust strings, which cannot hold unpaired surrogates.
  if (/\p{Surrogate}/u.test(name)) throw new InvalidTensorError(`tensor name ${JSON.stringify(name)} contains an unpaired UTF-16 surrogate`, { tensor: name });
}
