import type { ByteSource } from "./byte-source.js";
import { dtypeSize } from "./dtypes.js";
import { WeightsFormatError } from "./errors.js";
import { unpickle } from "./pickle-machine.js";
import { isTuple, PickleDict, pickleTypeName } from "./pickle-values.js";
import { TorchStorageType, torchGlobalResolver } from "./torch-globals.js";
import { TorchStorageRef } from "./torch-tensor-ref.js";
import type { ParsedTorchCheckpoint } from "./torch-zip-format.js";

/** The first pickle of a legacy checkpoint (torch/serialization.py MAGIC_NUMBER). */
const MAGIC_NUMBER = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;

/**
 * The pre-1.6 format (`torch.save(..., _use_new_zipfile_serialization=False)`): five consecutive
 * pickles — magic number, protocol version, sys info, the object (storages as persistent ids
 * `('storage', StorageType, key, location, numel, view_metadata)`), the sorted storage keys — then
 * each storage as an int64 little-endian element count followed by its little-endian bytes.
 * (The even older tar-based format of PyTorch < 0.4 is not supported.)
 */
export function parseTorchLegacy(source: ByteSource): ParsedTorchCheckpoint {
  const file = source.label;
  const where = { file };
  const fail: (message: string) => never = (message) => {
    throw new WeightsFormatError(`${file}: ${message}`, where);
  };
  const bytes = source.read(0, source.byteLength);
  const findGlobal = torchGlobalResolver(file, where);
  let pos = 0;
  const next = (what: string, persistentLoad?: (pid: unknown) => unknown): unknown => {
    const result = unpickle(bytes, { label: `${file} (${what})`, file, findGlobal, persistentLoad, start: pos });
    pos = result.end;
    return result.value;
  };

  if (next("magic number") !== MAGIC_NUMBER) fail("the magic number is wrong; this is not a PyTorch checkpoint");
  const version = next("protocol version");
  if (version !== PROTOCOL_VERSION) fail(`legacy protocol version ${String(version)} is not ${PROTOCOL_VERSION}`);
  const sysInfo = next("sys info");
  if (!(sysInfo instanceof PickleDict)) fail("the sys-info record is not a dict");

  const roots = new Map<string, TorchStorageRef>();
  const views = new Map<string, TorchStorageRef>();
  const persistentLoad = (pid: unknown): TorchStorageRef => {
    if (!isTuple(pid) || pid.length !== 6 || pid[0] !== "storage") {
      fail(`unexpected persistent id ${pickleTypeName(pid)}; expected ('storage', type, key, location, numel, view)`);
    }
    const [, type, key, location, numel, view] = pid as readonly unknown[];
    if (!(type instanceof TorchStorageType)) fail(`a storage's type is ${pickleTypeName(type)}, not a torch storage class`);
    if (typeof key !== "string" || typeof location !== "string") fail("a storage's key and location must be strings");
    if (typeof numel !== "number" || !Number.isSafeInteger(numel) || numel < 0) fail(`storage "${String(key)}" has size ${String(numel)}`);
    const { dtype } = type;
    let root = roots.get(key);
    if (!root) {
      root = new TorchStorageRef(key, dtype, numel * dtypeSize(dtype), location);
      roots.set(key, root);
    }
    if (view === null) return root;
    // Pre-1.0 storage views: (view_key, offset, size) in elements of the root's dtype.
    if (!isTuple(view) || view.length !== 3) fail(`storage "${key}" has malformed view metadata`);
    const [viewKey, offset, size] = view as readonly unknown[];
    if (typeof viewKey !== "string" || typeof offset !== "number" || typeof size !== "number" || offset < 0 || size < 0) fail(`storage "${key}" has malformed view metadata`);
    const element = dtypeSize(root.dtype);
    if ((offset + size) * element > root.byteLength) fail(`storage view "${viewKey}" reaches past its storage "${key}"`);
    let ref = views.get(viewKey);
    if (!ref) {
      ref = new TorchStorageRef(viewKey, root.dtype, size * element, root.location, root, offset * element);
      views.set(viewKey, ref);
    }
    return ref;
  };
  const root = next("object", persistentLoad);
  const keys = next("storage keys");
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string")) fail("the storage key list is not a list of strings");

  const data = new Map<string, Uint8Array>();
  for (const key of keys as string[]) {
    const storage = roots.get(key);
    if (!storage) fail(`the key list names storage "${key}", which no tensor uses`);
    const { byteLength, dtype } = storage;
    if (pos + 8 > bytes.byteLength) fail(`truncated: storage "${key}" is missing`);
    const count = new DataView(bytes.buffer, bytes.byteOffset + pos, 8).getBigInt64(0, true);
    const element = dtypeSize(dtype);
    if (count < 0n || count * BigInt(element) !== BigInt(byteLength)) {
      fail(`storage "${key}" is recorded with ${count} elements but the pickle says ${byteLength / element}`);
    }
    pos += 8;
    if (pos + byteLength > bytes.byteLength) fail(`truncated: storage "${key}" needs ${byteLength} bytes, ${bytes.byteLength - pos} remain — download the file again`);
    data.set(key, bytes.subarray(pos, pos + byteLength));
    pos += byteLength;
  }
  for (const key of roots.keys()) if (!data.has(key)) fail(`storage "${key}" is used by a tensor but has no data`);

  return {
    root,
    storageBytes(storage: TorchStorageRef): Uint8Array {
      return data.get(storage.root.key) as Uint8Array;
    },
  };
}
