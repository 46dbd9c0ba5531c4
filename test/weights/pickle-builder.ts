/**
 * Hand-assembled pickles and torch zip archives for tests that need inputs Python would never
 * write (out-of-bounds views, missing records, hostile opcodes).
 */
import { zipSync } from "fflate";

/** Concatenates opcode strings (latin-1) and raw byte arrays. */
export function pickleBytes(...parts: (string | number[] | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? Uint8Array.from(p, (c) => c.charCodeAt(0)) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

export function binunicode(text: string): Uint8Array {
  const utf8 = new TextEncoder().encode(text);
  const length = new Uint8Array(new Uint32Array([utf8.length]).buffer);
  return pickleBytes("X", length, utf8);
}

export function binint(value: number): Uint8Array {
  return pickleBytes("J", new Uint8Array(new Int32Array([value]).buffer));
}

function tuple(items: Uint8Array[]): Uint8Array {
  return pickleBytes("(", ...items, "t");
}

export interface TensorSpec {
  name: string;
  storageType?: string;
  key: string;
  numel: number;
  offset?: number;
  size: number[];
  stride: number[];
}

/** A protocol-2 state dict pickle shaped exactly like torch.save's. */
export function statePickle(tensors: TensorSpec[]): Uint8Array {
  const items = tensors.map((t) =>
    pickleBytes(
      binunicode(t.name),
      "ctorch._utils\n_rebuild_tensor_v2\n",
      "(",
      tuple([binunicode("storage"), pickleBytes(`ctorch\n${t.storageType ?? "FloatStorage"}\n`), binunicode(t.key), binunicode("cpu"), binint(t.numel)]),
      "Q",
      binint(t.offset ?? 0),
      tuple(t.size.map(binint)),
      tuple(t.stride.map(binint)),
      [0x89],
      "ccollections\nOrderedDict\n)R",
      "tR",
    ),
  );
  return pickleBytes([0x80, 2], "}(", ...items, "u.");
}

/** A torch.save-style zip (stored entries under `archive/`). */
export function torchZip(records: Record<string, Uint8Array>, archive = "archive"): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const [name, data] of Object.entries(records)) entries[`${archive}/${name}`] = [data, { level: 0 }];
  return zipSync(entries);
}
