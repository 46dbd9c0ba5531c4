import type { ByteSource } from "./byte-source.js";
import { copyBytes, type Dtype, dtypeSize, swapBytesInPlace } from "./dtypes.js";
import { UnsupportedWeightsError, WeightsFormatError } from "./errors.js";
import { unpickle } from "./pickle-machine.js";
import { isTuple, pickleTypeName } from "./pickle-values.js";
import { TorchStorageType, torchGlobalResolver } from "./torch-globals.js";
import { TorchStorageRef } from "./torch-tensor-ref.js";
import { ZipArchive, type ZipArchiveOptions, type ZipEntry } from "./zip-archive.js";

/** A pickled checkpoint: the unpickled object plus a way to fetch a storage's bytes. */
export interface ParsedTorchCheckpoint {
  readonly root: unknown;
  /** Little-endian bytes of the storage's root (views into the file where possible). */
  storageBytes(storage: TorchStorageRef): Uint8Array;
}

export interface TorchZipOptions extends ZipArchiveOptions {
  /** Check each record's CRC-32 on first use (default true): a corrupt download fails loudly. */
  verifyChecksums?: boolean;
}

/** The most a checkpoint's data.pkl may hold uncompressed. */
export const MAX_PICKLE_BYTES = 64 * 2 ** 20;

/**
 * The zip format torch.save has written since PyTorch 1.6: `<archive>/data.pkl` (the pickled
 * object, storages as persistent ids `('storage', StorageType, key, location, numel)`),
 * `<archive>/data/<key>` (raw storage bytes), `<archive>/byteorder` and `<archive>/version`.
 */
export function parseTorchZip(source: ByteSource, options: TorchZipOptions = {}): ParsedTorchCheckpoint {
  const file = source.label;
  const where = { file };
  const fail: (message: string) => never = (message) => {
    throw new WeightsFormatError(`${file}: ${message}`, where);
  };
  const zip = new ZipArchive(source, options);
  const verify = options.verifyChecksums ?? true;
  const first = zip.entries()[0];
  if (!first) fail("the zip archive is empty; it is not a torch.save checkpoint");
  // Like torch's PyTorchStreamReader: every record lives under the first entry's top folder.
  const slash = first.name.indexOf("/");
  if (slash < 0) fail(`"${first.name}" is not inside an archive folder; this zip was not written by torch.save`);
  const prefix = first.name.slice(0, slash + 1);
  const record = (name: string): ZipEntry | undefined => zip.get(prefix + name);

  const pickleEntry = record("data.pkl");
  if (!pickleEntry) {
    if (record("constants.pkl")) {
      throw new UnsupportedWeightsError(`${file} is a TorchScript archive (torch.jit.save), not a state dict; export the model's state_dict with torch.save`, where);
    }
    fail(`no ${prefix}data.pkl in the archive; it is not a torch.save checkpoint`);
  }

  // data.pkl holds only the state dict's structure (names, shapes, storage keys): ~100 bytes a
  // tensor, a few MB for the largest models. Anything far beyond is a decompression bomb.
  if (pickleEntry.uncompressedSize > MAX_PICKLE_BYTES) {
    fail(
      `${pickleEntry.name} is ${(pickleEntry.uncompressedSize / 2 ** 20).toFixed(0)} MiB uncompressed; a checkpoint's pickle holds only tensor ` +
        `metadata (a few MB even for large models), so audioclass reads at most ${MAX_PICKLE_BYTES / 2 ** 20} MiB of it. The file is corrupt or hostile`,
    );
  }

  let bigEndian = false;
  const byteorder = record("byteorder");
  if (byteorder) {
    const mark = new TextDecoder().decode(zip.read(byteorder, verify));
    if (mark !== "little" && mark !== "big") fail(`the byteorder record says "${mark.slice(0, 20)}", expected "little" or "big"`);
    bigEndian = mark === "big";
  }

  const storages = new Map<string, TorchStorageRef>();
  const persistentLoad = (pid: unknown): TorchStorageRef => {
    if (!isTuple(pid) || pid.length !== 5 || pid[0] !== "storage") fail(`unexpected persistent id ${pickleTypeName(pid)}; expected ('storage', type, key, location, numel)`);
    const [, type, key, location, numel] = pid as readonly unknown[];
    if (!(type instanceof TorchStorageType)) fail(`a storage's type is ${pickleTypeName(type)}, not a torch storage class`);
    if (typeof key !== "string" || typeof location !== "string") fail("a storage's key and location must be strings");
    if (typeof numel !== "number" || !Number.isSafeInteger(numel) || numel < 0) fail(`storage "${String(key)}" has size ${String(numel)}`);
    const { dtype } = type;
    const existing = storages.get(key);
    if (existing) {
      if (existing.dtype !== dtype) fail(`storage "${key}" is used as both ${existing.dtype} and ${dtype}`);
      return existing;
    }
    const byteLength = numel * dtypeSize(dtype);
    const entry = record(`data/${key}`);
    if (!entry) fail(`the pickle refers to storage "${key}" but ${prefix}data/${key} is missing; the archive is incomplete`);
    if (entry.uncompressedSize !== byteLength) {
      fail(`${prefix}data/${key} holds ${entry.uncompressedSize} bytes but its storage needs ${byteLength} (${numel} × ${dtype})`);
    }
    const ref = new TorchStorageRef(key, dtype, byteLength, location);
    storages.set(key, ref);
    return ref;
  };

  const label = `${file} (${pickleEntry.name})`;
  const { value: root } = unpickle(zip.read(pickleEntry, verify), {
    label,
    file,
    findGlobal: torchGlobalResolver(label, where),
    persistentLoad,
  });

  const loaded = new Map<string, Uint8Array>();
  return {
    root,
    storageBytes(storage: TorchStorageRef): Uint8Array {
      const key = storage.root.key;
      let bytes = loaded.get(key);
      if (!bytes) {
        const entry = record(`data/${key}`) as ZipEntry;
        bytes = zip.read(entry, verify);
        if (bigEndian) bytes = swapped(bytes, storage.root.dtype);
        loaded.set(key, bytes);
      }
      return bytes;
    },
  };
}

/** A little-endian copy of a storage written on a big-endian machine. */
function swapped(bytes: Uint8Array, dtype: Dtype): Uint8Array {
  const copy = copyBytes(bytes);
  swapBytesInPlace(copy, dtypeSize(dtype));
  return copy;
}
